import re

import pytest
from django.test import Client

from apps.core.models import Visibility
from apps.records.models import ChangeRequest
from apps.records.services import version_number
from apps.vendors.models import Vendor
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
from tests.factories import VendorAliasFactory, VendorFactory

pytestmark = pytest.mark.django_db


def vendor_form(**overrides):
    data = {
        "name": "Clearview Example",
        "aliases": "Clearview\nSmartcheckr",
        "website": "clearview.example.com",
        "country": "us",
        "parent": "",
        "description": "Sells face search of scraped photos.",
        **NEW_SOURCE,
    }
    data.update(overrides)
    return data


def public_vendor_ids():
    return {vendor.pk for vendor in Client().get("/vendors/").context["object_list"]}


def test_volunteer_adds_a_vendor_that_a_reviewer_publishes(volunteer_client, reviewer):
    parent = VendorFactory(name="Example Holdings")
    response = volunteer_client.post("/vendors/new/", vendor_form(parent="Example Holdings"))
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    vendor = change.record
    assert (vendor.slug, vendor.country, vendor.parent) == ("clearview-example", "US", parent)
    assert vendor.website == "https://clearview.example.com"
    assert vendor.visibility == Visibility.PENDING
    assert set(vendor.aliases.values_list("name", flat=True)) == {"Clearview", "Smartcheckr"}
    assert vendor.pk not in public_vendor_ids()
    assert Client().get("/vendors/clearview-example/").status_code == 404

    approve(reviewer, change)
    assert vendor.pk in public_vendor_ids()
    page = Client().get("/vendors/clearview-example/").content.decode()
    also_known_as = re.search(r"Also known as</dt><dd>(.*?)</dd>", page)[1]
    assert set(also_known_as.split("; ")) == {"Clearview", "Smartcheckr"}
    history = history_names("/vendors/clearview-example/history/")
    assert "Vera Volunteer" in history and "Rita Reviewer" in history
    version = Vendor.objects.get(pk=vendor.pk).history.latest()
    assert version.history_user.username == "vera" and version.approved_by == reviewer


def test_aliases_match_when_picking_a_vendor_elsewhere(reviewer_client):
    reviewer_client.post("/vendors/new/", vendor_form())
    response = reviewer_client.post(
        "/vendors/new/", vendor_form(name="Other", parent="SMARTCHECKR")
    )
    assert response.status_code == 302
    assert Vendor.objects.get(name="Other").parent.name == "Clearview Example"


def test_volunteer_edit_of_a_vendor_waits_and_approval_applies_it(volunteer_client, reviewer):
    vendor = VendorFactory(name="Vigilant Example", country="US")
    VendorAliasFactory(vendor=vendor, name="Vigilant")
    url = f"/vendors/{vendor.slug}/edit/"
    data = edit_data(volunteer_client, url, country="", aliases="", edit_summary="Unknown HQ")
    assert volunteer_client.post(url, data).status_code == 302
    vendor.refresh_from_db()
    assert vendor.country == "US" and vendor.aliases.count() == 1
    change = pending_update()
    assert diff_rows(reviewer, change) == {
        "Country": ("US", ""),
        "Other names": ("Vigilant", ""),
    }
    approve(reviewer, change)
    vendor.refresh_from_db()
    assert vendor.country == "" and not vendor.aliases.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"country": "XX"}, "country", "“XX” is not an ISO 3166-1 alpha-2 country code"),
        ({"website": "not a web address"}, "website", "Enter a valid URL."),
        ({"parent": "Nobody Inc"}, "parent", "No vendor is called “Nobody Inc”"),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_vendor_form_explains_what_is_wrong(volunteer_client, changes, field, message):
    response = volunteer_client.post("/vendors/new/", vendor_form(**changes))
    assert any(message in error for error in errors_of(response)[field])
    assert message in response.content.decode()
    assert not Vendor.objects.exists()


def test_a_company_cannot_be_its_own_parent(reviewer_client):
    vendor = VendorFactory()
    url = f"/vendors/{vendor.slug}/edit/"
    data = edit_data(reviewer_client, url, parent=f"{vendor.name} [{vendor.slug}]")
    assert errors_of(reviewer_client.post(url, data))["parent"] == [
        "A company cannot be its own parent."
    ]


def test_revert_brings_back_the_other_names_of_a_version(reviewer):
    vendor = VendorFactory(name="Axon Example")
    client = logged_in(reviewer)
    url = f"/vendors/{vendor.slug}/edit/"
    client.post(url, edit_data(client, url, aliases="TASER International", edit_summary="Old"))
    first = vendor.history.latest()
    client.post(url, edit_data(client, url, aliases="", edit_summary="Drop old name"))
    assert not vendor.aliases.exists()
    client.post(
        f"/vendors/{vendor.slug}/revert/",
        {"version": version_number(vendor, first.history_id), "reason": "x"},
    )
    assert list(vendor.aliases.values_list("name", flat=True)) == ["TASER International"]
