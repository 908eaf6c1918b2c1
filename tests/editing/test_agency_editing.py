import re

import pytest
from django.test import Client

from apps.agencies.models import Agency
from apps.core.models import Visibility
from apps.records.models import ChangeRequest
from apps.records.services import version_number
from tests.editing.test_record_forms_editing import (
    NEW_SOURCE,
    approve,
    diff_rows,
    edit_data,
    errors_of,
    history_names,
    logged_in,
    pending_update,
)
from tests.factories import AgencyAliasFactory, AgencyFactory

pytestmark = pytest.mark.django_db


def agency_form(**overrides):
    data = {
        "name": "Hillsboro Police Department",
        "aliases": "HPD\nHillsboro PD\nhpd\n\nHillsboro Police Department",
        "kind": "police",
        "jurisdiction_level": "municipal",
        "country": "us",
        "region": "or",
        "locality": "Hillsboro",
        "parent": "",
        "website": "www.hillsboro-oregon.gov/police",
        "ori": "or0340200",
        "ocd_division_id": "ocd-division/country:us/state:or/place:hillsboro",
        "latitude": "45.5228940123",
        "longitude": "-122.989827",
        "description": "",
        **NEW_SOURCE,
    }
    data.update(overrides)
    return data


def public_agency_ids():
    return {agency.pk for agency in Client().get("/agencies/").context["object_list"]}


def test_volunteer_adds_an_agency_that_a_reviewer_publishes(volunteer_client, reviewer):
    city = AgencyFactory(name="City of Hillsboro", kind="city")
    response = volunteer_client.post("/agencies/new/", agency_form(parent="City of Hillsboro"))
    change = ChangeRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == change.get_absolute_url()
    agency = change.record
    assert agency.slug == "hillsboro-police-department-or"
    assert agency.visibility == Visibility.PENDING
    assert (agency.country, agency.region, agency.ori) == ("US", "OR", "OR0340200")
    assert str(agency.latitude) == "45.522894"  # rounded to the six places stored
    assert agency.website == "https://www.hillsboro-oregon.gov/police"
    assert agency.parent == city
    assert set(agency.aliases.values_list("name", flat=True)) == {"Hillsboro PD", "HPD"}
    assert agency.sources.get().visibility == Visibility.PENDING

    # Not public yet: not listed, no page, no public history.
    assert agency.pk not in public_agency_ids()
    assert Client().get("/agencies/hillsboro-police-department-or/").status_code == 404
    assert Client().get("/agencies/hillsboro-police-department-or/history/").status_code == 404

    approve(reviewer, change)
    agency.refresh_from_db()
    assert agency.visibility == Visibility.PUBLISHED
    assert agency.pk in public_agency_ids()
    page = Client().get(agency.get_absolute_url()).content.decode()
    also_known_as = re.search(r"Also known as</dt><dd>(.*?)</dd>", page)[1]
    assert set(also_known_as.split("; ")) == {"Hillsboro PD", "HPD"}
    assert f'href="/agencies/{agency.slug}/history/"' in page
    history = history_names(f"/agencies/{agency.slug}/history/")
    assert "Vera Volunteer" in history and "Rita Reviewer" in history
    version = agency.history.latest()
    assert version.history_user.username == "vera" and version.approved_by == reviewer
    assert set(version.relations["aliases"]) == {"HPD", "Hillsboro PD"}


def test_volunteer_edit_of_an_agency_waits_and_approval_applies_it(volunteer_client, reviewer):
    agency = AgencyFactory(name="Washington County Sheriff's Office", locality="Hillsboro")
    AgencyAliasFactory(agency=agency, name="WCSO")
    url = f"/agencies/{agency.slug}/edit/"
    data = edit_data(
        volunteer_client,
        url,
        locality="Beaverton",
        aliases="WCSO\nWashington County Sheriff",
        edit_summary="The office moved",
    )
    assert volunteer_client.post(url, data).status_code == 302
    agency.refresh_from_db()
    assert agency.locality == "Hillsboro"
    assert list(agency.aliases.values_list("name", flat=True)) == ["WCSO"]
    change = pending_update()
    assert diff_rows(reviewer, change) == {
        "Locality": ("Hillsboro", "Beaverton"),
        "Other names": ("WCSO", "WCSO; Washington County Sheriff"),
    }
    approve(reviewer, change)
    agency.refresh_from_db()
    assert agency.locality == "Beaverton"
    assert sorted(agency.aliases.values_list("name", flat=True)) == [
        "WCSO",
        "Washington County Sheriff",
    ]
    assert agency.history.latest().history_change_reason == "The office moved"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ori": "OR034"}, "ori", "An ORI is 9 characters"),
        ({"region": "ZZ"}, "region", "No region of United States has the code “ZZ”"),
        ({"country": "XX"}, "country", "No country is called or coded “XX”"),
        ({"longitude": ""}, "longitude", "Give both latitude and longitude, or neither."),
        ({"latitude": "95"}, "latitude", "less than or equal to 90"),
        ({"ocd_division_id": "oregon"}, "ocd_division_id", "An Open Civic Data division id"),
        ({"parent": "Nowhere City"}, "parent", "No agency is called “Nowhere City”"),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_agency_form_explains_what_is_wrong(volunteer_client, changes, field, message):
    response = volunteer_client.post("/agencies/new/", agency_form(**changes))
    errors = errors_of(response)
    assert any(message in error for error in errors[field]), errors
    assert message in response.content.decode()
    assert not Agency.objects.filter(name="Hillsboro Police Department").exists()


def test_an_ori_belongs_to_one_agency(volunteer_client):
    AgencyFactory(name="Hillsboro Police", ori="OR0340200")
    errors = errors_of(volunteer_client.post("/agencies/new/", agency_form()))
    assert "already has the ORI OR0340200" in errors["ori"][0]
    assert "Hillsboro Police [hillsboro-police-or]" in errors["ori"][0]


def test_an_agency_cannot_be_its_own_parent(reviewer_client):
    agency = AgencyFactory(name="Example County")
    url = f"/agencies/{agency.slug}/edit/"
    data = edit_data(reviewer_client, url, parent=f"Example County [{agency.slug}]")
    errors = errors_of(reviewer_client.post(url, data))
    assert errors["parent"] == ["An agency cannot be its own parent."]


def test_revert_brings_back_the_other_names_of_a_version(reviewer):
    agency = AgencyFactory(name="Orlando Police Department")
    client = logged_in(reviewer)
    url = f"/agencies/{agency.slug}/edit/"
    client.post(url, edit_data(client, url, aliases="OPD", edit_summary="Add OPD"))
    with_opd = agency.history.latest()
    client.post(url, edit_data(client, url, aliases="Orlando PD", edit_summary="Rename"))
    assert list(agency.aliases.values_list("name", flat=True)) == ["Orlando PD"]
    response = client.post(
        f"/agencies/{agency.slug}/revert/",
        {
            "version": version_number(agency, with_opd.history_id),
            "reason": "The short name was right",
        },
    )
    assert response.status_code == 302
    assert list(agency.aliases.values_list("name", flat=True)) == ["OPD"]
    assert agency.history.latest().relations["aliases"] == ["OPD"]


def test_list_page_offers_adding_an_agency_to_volunteers_only(volunteer_client):
    AgencyFactory()
    assert 'href="/agencies/new/"' in volunteer_client.get("/agencies/").content.decode()
    assert 'href="/agencies/new/"' not in Client().get("/agencies/").content.decode()


@pytest.mark.parametrize(
    ("country", "region", "stored"),
    [
        ("us", "Oregon", ("US", "OR")),
        ("US", "US-OR", ("US", "OR")),
        ("United States", "or", ("US", "OR")),
        ("Mexico", "Ciudad de México", ("MX", "CMX")),
        ("MX", "ciudad de mexico", ("MX", "CMX")),
        ("CA", "", ("CA", "")),
    ],
)
def test_agency_form_takes_a_place_as_a_code_or_a_name(volunteer_client, country, region, stored):
    response = volunteer_client.post(
        "/agencies/new/", agency_form(country=country, region=region, ori="")
    )
    assert response.status_code == 302, errors_of(response)
    agency = Agency.objects.get(name="Hillsboro Police Department")
    assert (agency.country, agency.region) == stored


@pytest.mark.parametrize(
    ("country", "region", "message"),
    [
        ("US", "Atlantis", "No region of United States is called or coded “Atlantis”"),
        ("US", "MX-CMX", "“MX-CMX” is in Mexico, not in the country chosen"),
        ("Narnia", "Oregon", None),
    ],
)
def test_agency_form_says_once_what_is_wrong_with_a_place(
    volunteer_client, country, region, message
):
    errors = errors_of(
        volunteer_client.post("/agencies/new/", agency_form(country=country, region=region))
    )
    if message is None:
        assert errors["country"] == [
            "No country is called or coded “Narnia”: use a code such as US or a name such as "
            "United States."
        ]
        assert "region" not in errors
    else:
        assert len(errors["region"]) == 1 and message in errors["region"][0], errors
    assert not Agency.objects.filter(name="Hillsboro Police Department").exists()
