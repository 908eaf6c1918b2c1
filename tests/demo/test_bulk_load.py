"""The write gateway's bulk load (records.services.BulkLoad) and generate_data's runs of
their own: determinism, refusals."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction

from apps.agencies.models import Agency
from apps.contracts.models import Contract
from apps.deployments.models import Deployment
from apps.records.services import BulkLoad
from tests.factories import AgencyFactory, technology

pytestmark = pytest.mark.django_db


def fingerprint():
    """What a run made, by content (not ids, which depend on the database)."""
    return {
        "agencies": list(Agency.objects.order_by("slug").values_list("slug", "kind", "region")),
        "deployments": sorted(
            Deployment.objects.values_list(
                "agency__slug", "technology__slug", "product__slug", "status", "start_date"
            ),
            key=str,
        ),
        "contracts": sorted(Contract.objects.values_list("identifier", "amount"), key=str),
    }


def test_the_same_seed_gives_the_same_registry():
    with transaction.atomic():
        call_command("generate_data", deployments=200, seed=3, stdout=StringIO())
        first = fingerprint()
        transaction.set_rollback(True)
    call_command("generate_data", deployments=200, seed=3, stdout=StringIO())
    assert fingerprint() == first
    assert first["deployments"]


def test_it_refuses_a_database_that_holds_records():
    AgencyFactory()
    with pytest.raises(CommandError, match="generate_data fills an empty one"):
        call_command("generate_data", deployments=10, stdout=StringIO())
    assert Deployment.objects.count() == 0


def test_a_bulk_load_that_breaks_a_publication_rule_is_refused():
    agency = AgencyFactory()
    load = BulkLoad(summary="A test load")
    with pytest.raises(ValidationError, match="cites no published source"), transaction.atomic():
        load.create(Deployment, [Deployment(agency=agency, technology=technology("drones"))])
        load.finish()
    assert not Deployment.objects.exists()
    assert not Deployment.history.exists()
