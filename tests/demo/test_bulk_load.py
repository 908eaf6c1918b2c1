"""The write gateway's bulk load (records.services.BulkLoad) and generate_data's runs of
their own: determinism, refusals."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction

from apps.agencies.models import Agency, AgencyAlias
from apps.contracts.models import Contract
from apps.core.history import relations_snapshot
from apps.deployments.models import Deployment
from apps.records import bulk
from apps.records.models import SearchEntry
from apps.records.services import BulkLoad
from apps.sources.models import Source
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
        drones = technology("drones").pk
        load.create(Deployment, [{"agency_id": agency.pk, "technology_id": drones}])
        load.finish()
    assert not Deployment.objects.exists()
    assert not Deployment.history.exists()


def versions_of(model):
    """Everything a version holds but its own id, which depends on the order of writing."""
    history = model.history.model
    names = [f.attname for f in history._meta.concrete_fields if f.attname != "history_id"]
    return sorted(history.objects.values_list(*names), key=str)


def test_a_bulk_load_writes_the_versions_and_entries_that_saving_one_by_one_would():
    """On PostgreSQL the load writes its rows by COPY and its versions in SQL: the same
    rows as the Python path (bulk_create; versions built from snapshots_in_bulk), and each
    version's links are relations_snapshot() of its record: ids sorted, alias names sorted
    by code point, pinpoints only where a citation has one."""
    load = BulkLoad(summary="A test load")
    with transaction.atomic():
        first, second = load.create(
            Source,
            [
                {"title": f"Report {n}", "url": f"https://example.org/{n}", "publisher": "P"}
                for n in (1, 2)
            ],
        )
        (agency,) = load.create(
            Agency, [{"name": "Éclair Police Department", "slug": "eclair", "region": "OR"}]
        )
        for name in ["alpha", "Zulu", "Élan"]:
            AgencyAlias.objects.create(agency_id=agency, name=name)
        load.link(
            Agency.sources.through,
            [
                {"agency_id": agency, "source_id": second, "page": 3, "quote": "We bought it."},
                {"agency_id": agency, "source_id": first},
            ],
        )
        (deployment,) = load.create(
            Deployment,
            [{"agency_id": agency, "technology_id": technology("drones").pk, "summary": "S."}],
        )
        load.link(Deployment.sources.through, [{"deployment_id": deployment, "source_id": first}])
        load.finish()

        record = Agency.objects.get(pk=agency)
        assert record.visibility == "published"
        assert record.kind == "other" and record.country == "US"  # the fields' defaults
        version = record.history.get()
        assert version.relations == relations_snapshot(record)
        assert version.relations == {
            "sources": [first, second],
            "aliases": ["Zulu", "alpha", "Élan"],
            "pinpoints": {str(second): {"page": 3, "quote": "We bought it."}},
        }
        assert Deployment.history.get().relations == {"sources": [first]}
        assert SearchEntry.objects.filter(kind="deployments", record_id=deployment).exists()

        written = {model: versions_of(model) for model in [Source, Agency, Deployment]}
        for model, pks in load.loaded.items():
            model.history.all().delete()
            bulk._versions_in_python(model, pks, load.summary, load.now)
            assert versions_of(model) == written[model], model
