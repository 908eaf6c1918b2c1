import pytest
from django.test import Client

from apps.contracts.models import Nda
from apps.core.models import Visibility
from apps.records.models import ChangeRequest
from tests.editing.test_record_forms_editing import (
    NEW_SOURCE,
    approve,
    diff_rows,
    edit_data,
    errors_of,
    history_names,
    pending_update,
)
from tests.factories import AgencyFactory, NdaFactory, VendorFactory

pytestmark = pytest.mark.django_db

EXACTLY_ONE = "Give exactly one counterparty: a vendor or another agency."


@pytest.fixture
def sheriff():
    return AgencyFactory(name="Washington County Sheriff's Office")


def nda_form(bound, **overrides):
    data = {
        "agency": bound.name,
        "counterparty_vendor": "",
        "counterparty_agency": "",
        "signed": "2017-03",
        "signatory": "Sheriff",
        "term": "Indefinite",
        "scope": "Pricing and the system's capabilities.",
        "cited_to_withhold": "yes",
        **NEW_SOURCE,
    }
    data.update(overrides)
    return data


def public_nda_ids():
    return {nda.pk for nda in Client().get("/ndas/").context["object_list"]}


def test_volunteer_adds_an_nda_that_a_reviewer_publishes(volunteer_client, reviewer, sheriff):
    vendor = VendorFactory(name="Example Web Services")
    response = volunteer_client.post(
        "/ndas/new/", nda_form(sheriff, counterparty_vendor=vendor.name)
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    nda = change.record
    assert (nda.agency, nda.counterparty, str(nda.signed)) == (sheriff, vendor, "March 2017")
    assert nda.visibility == Visibility.PENDING
    assert nda.pk not in public_nda_ids()
    assert Client().get(nda.get_absolute_url()).status_code == 404

    approve(reviewer, change)
    assert nda.pk in public_nda_ids()
    page = Client().get(nda.get_absolute_url()).content.decode()
    assert "cited this agreement to withhold records" in page
    assert f'href="/ndas/{nda.pk}/history/"' in page
    history = history_names(f"/ndas/{nda.pk}/history/")
    assert "Vera Volunteer" in history and "Rita Reviewer" in history
    assert Nda.objects.get(pk=nda.pk).history.latest().approved_by == reviewer


def test_an_nda_can_be_signed_with_another_agency(volunteer_client, sheriff):
    AgencyFactory(name="Federal Bureau of Example", kind="federal", region="")
    data = nda_form(sheriff, counterparty_agency="Federal Bureau of Example")
    assert volunteer_client.post("/ndas/new/", data).status_code == 302
    assert Nda.objects.get().counterparty.name == "Federal Bureau of Example"


@pytest.mark.parametrize("both", [True, False])
def test_an_nda_needs_exactly_one_counterparty(volunteer_client, sheriff, both):
    changes = (
        {"counterparty_vendor": VendorFactory().name, "counterparty_agency": AgencyFactory().name}
        if both
        else {}
    )
    response = volunteer_client.post("/ndas/new/", nda_form(sheriff, **changes))
    assert errors_of(response)["counterparty_vendor"] == [EXACTLY_ONE]
    assert EXACTLY_ONE in response.content.decode()
    assert "Constraint" not in response.content.decode()
    assert not Nda.objects.exists()


def test_an_agency_cannot_sign_an_nda_with_itself(volunteer_client, sheriff):
    data = nda_form(sheriff, counterparty_agency=f"{sheriff.name} [{sheriff.slug}]")
    errors = errors_of(volunteer_client.post("/ndas/new/", data))
    assert errors["counterparty_agency"] == ["An agency cannot sign an NDA with itself."]


def test_volunteer_edit_of_an_nda_waits_and_approval_applies_it(volunteer_client, reviewer):
    nda = NdaFactory(cited_to_withhold="unknown", term="")
    url = f"/ndas/{nda.pk}/edit/"
    data = edit_data(
        volunteer_client, url, cited_to_withhold="yes", term="5 years", edit_summary="Denial"
    )
    assert volunteer_client.post(url, data).status_code == 302
    nda.refresh_from_db()
    assert nda.cited_to_withhold == "unknown"
    change = pending_update()
    assert diff_rows(reviewer, change) == {
        "Cited to withhold records": ("Unknown", "Yes"),
        "Term": ("", "5 years"),
    }
    approve(reviewer, change)
    nda.refresh_from_db()
    assert (nda.cited_to_withhold, nda.term) == ("yes", "5 years")
