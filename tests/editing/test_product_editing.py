import re

import pytest
from django.test import Client

from apps.core.models import Visibility
from apps.records.models import ChangeRequest
from apps.records.services import version_number
from apps.vendors.models import Product
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
from tests.factories import ProductFactory, VendorFactory, technology

pytestmark = pytest.mark.django_db


def product_form(vendor, **overrides):
    data = {
        "vendor": vendor.name,
        "name": "Rekognition Example",
        "technologies": [technology("face-recognition").pk, technology("video-analytics").pk],
        "description": "Matches faces in photos and video.",
        "website": "https://cloud.example.com/rekognition",
        **NEW_SOURCE,
    }
    data.update(overrides)
    return data


def test_volunteer_adds_a_product_that_a_reviewer_publishes(volunteer_client, reviewer):
    vendor = VendorFactory(name="Example Web Services")
    response = volunteer_client.post("/products/new/", product_form(vendor))
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    product = change.record
    assert product.slug == "example-web-services-rekognition-example"
    assert product.vendor == vendor and product.visibility == Visibility.PENDING
    assert set(product.technologies.values_list("slug", flat=True)) == {
        "face-recognition",
        "video-analytics",
    }
    assert Client().get(f"/products/{product.slug}/").status_code == 404
    assert product.pk not in {p.pk for p in Client().get("/products/").context["object_list"]}

    approve(reviewer, change)
    page = Client().get(f"/products/{product.slug}/")
    assert page.status_code == 200
    assert "Face Recognition" in page.content.decode()
    history = history_names(f"/products/{product.slug}/history/")
    assert "Vera Volunteer" in history and "Rita Reviewer" in history
    version = Product.objects.get(pk=product.pk).history.latest()
    assert version.approved_by == reviewer
    assert sorted(version.relations["technologies"]) == sorted(
        [technology("face-recognition").pk, technology("video-analytics").pk]
    )


def test_volunteer_edit_of_technologies_waits_and_approval_applies_it(volunteer_client, reviewer):
    product = ProductFactory(name="Drone Finder", technologies=[technology("drones")])
    url = f"/products/{product.slug}/edit/"
    data = edit_data(
        volunteer_client,
        url,
        technologies=[technology("drones").pk, technology("video-analytics").pk],
        description="Now with video analytics.",
        edit_summary="New feature",
    )
    assert volunteer_client.post(url, data).status_code == 302
    assert list(product.technologies.all()) == [technology("drones")]
    change = pending_update()
    rows = diff_rows(reviewer, change)
    assert rows["Description"] == ("", "Now with video analytics.")
    old, new = rows["Technologies"]
    assert old == "Drones" and set(new.split("; ")) == {"Drones", "Video Analytics"}
    assert set(rows) == {"Description", "Technologies"}
    approve(reviewer, change)
    assert set(product.technologies.values_list("slug", flat=True)) == {
        "drones",
        "video-analytics",
    }


def test_technologies_given_as_one_value_a_line_each_are_read(reviewer_client):
    # The edit-conflict merge writes a multiple choice back into the form data this way.
    vendor = VendorFactory()
    ids = f"{technology('drones').pk}\n{technology('face-recognition').pk}"
    response = reviewer_client.post("/products/new/", product_form(vendor, technologies=ids))
    assert response.status_code == 302
    product = Product.objects.get()
    assert set(product.technologies.values_list("slug", flat=True)) == {
        "drones",
        "face-recognition",
    }
    form = reviewer_client.get(f"/products/{product.slug}/edit/")
    assert form.content.decode().count('type="checkbox" name="technologies"') == len(
        form.context["form"].fields["technologies"].queryset
    )


def test_a_vendor_sells_one_product_of_a_name(volunteer_client):
    existing = ProductFactory(name="Rekognition Example")
    data = product_form(existing.vendor, name="rekognition example")
    errors = errors_of(volunteer_client.post("/products/new/", data))
    assert errors["name"] == [
        f"{existing.vendor.name} already has a product called “Rekognition Example” "
        f"[{existing.slug}]: edit that one instead."
    ]
    another = VendorFactory()
    assert volunteer_client.post("/products/new/", product_form(another)).status_code == 302
    assert Product.objects.get(vendor=another).name == "Rekognition Example"


def test_product_form_explains_an_unknown_vendor_or_technology(volunteer_client):
    vendor = VendorFactory.build(name="Nobody Inc")
    errors = errors_of(
        volunteer_client.post("/products/new/", product_form(vendor, technologies=["9999"]))
    )
    assert "No vendor is called “Nobody Inc”" in errors["vendor"][0]
    assert "Select a valid choice" in errors["technologies"][0]


def test_revert_restores_the_technologies_of_a_version(reviewer):
    product = ProductFactory(technologies=[technology("face-recognition")])
    first = product.history.latest()
    client = logged_in(reviewer)
    url = f"/products/{product.slug}/edit/"
    data = edit_data(client, url, technologies=[technology("drones").pk], edit_summary="Wrong")
    assert client.post(url, data).status_code == 302
    assert list(product.technologies.all()) == [technology("drones")]
    response = client.post(
        f"/products/{product.slug}/revert/",
        {"version": version_number(product, first.history_id), "reason": "Undo"},
    )
    assert response.status_code == 302
    assert list(product.technologies.all()) == [technology("face-recognition")]
    assert product.history.latest().relations["technologies"] == [technology("face-recognition").pk]


def test_a_stale_product_form_keeps_its_technologies_when_saved_again(reviewer_client):
    both = [technology("drones"), technology("video-analytics")]
    product = ProductFactory(name="Sky Eye", technologies=both)
    url = f"/products/{product.slug}/edit/"
    first = edit_data(reviewer_client, url, description="First", edit_summary="1")
    second = edit_data(reviewer_client, url, name="Sky Eye 2", edit_summary="2")
    assert reviewer_client.post(url, first).status_code == 302
    response = reviewer_client.post(url, second)
    assert response.status_code == 409
    checked = re.findall(
        r'<input type="checkbox" name="technologies" value="(\d+)"[^>]*checked',
        (response.content.decode()),
    )
    assert sorted(map(int, checked)) == sorted(tech.pk for tech in both)
    form_data = response.context["form"].data
    retry = {key: form_data.getlist(key) for key in form_data}  # as a browser sends it
    assert reviewer_client.post(url, retry).status_code == 302
    product.refresh_from_db()
    assert (product.name, product.description) == ("Sky Eye 2", "First")
    assert set(product.technologies.all()) == set(both)
