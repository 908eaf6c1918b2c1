import pytest
from django.test import Client

from apps.contracts.models import Contract
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
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    ProductFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties():
    agency = AgencyFactory(name="Washington County Sheriff's Office")
    vendor = VendorFactory(name="Example Web Services")
    product = ProductFactory(vendor=vendor, name="Rekognition Example")
    deployment = DeploymentFactory(agency=agency, product=product)
    return agency, vendor, product, deployment


def contract_form(buyer, seller, **overrides):
    data = {
        "agency": buyer.name,
        "vendor": seller.name,
        "title": "Face recognition pilot",
        "identifier": "PO-2017-114",
        "procurement_method": "free-trial",
        "amount": "0",
        "currency": "usd",
        "signed": "2017-06",
        "start": "2017-07-01",
        "end": "2018",
        "products": "",
        "deployments": "",
        "funding_source": "",
        "summary": "A free first month, then $400 a month.",
        **NEW_SOURCE,
    }
    data.update(overrides)
    return data


def public_contract_ids():
    return {c.pk for c in Client().get("/contracts/").context["object_list"]}


def test_volunteer_adds_a_contract_that_a_reviewer_publishes(volunteer_client, reviewer, parties):
    agency, vendor, product, deployment = parties
    data = contract_form(
        agency,
        vendor,
        products="rekognition example",
        deployments=f"#{deployment.pk}\nhttps://tracker.example.org/deployments/{deployment.pk}/",
    )
    response = volunteer_client.post("/contracts/new/", data)
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    contract = change.record
    assert contract.visibility == Visibility.PENDING
    assert (contract.agency, contract.vendor, contract.currency) == (agency, vendor, "USD")
    assert (str(contract.signed), str(contract.start), str(contract.end)) == (
        "June 2017",
        "1 July 2017",
        "2018",
    )
    assert list(contract.products.all()) == [product]
    assert list(contract.deployments.all()) == [deployment]
    assert contract.pk not in public_contract_ids()
    assert Client().get(contract.get_absolute_url()).status_code == 404

    approve(reviewer, change)
    assert contract.pk in public_contract_ids()
    page = Client().get(contract.get_absolute_url()).content.decode()
    assert "Rekognition Example" in page and "Free trial / no cost" in page
    assert f'href="/contracts/{contract.pk}/history/"' in page
    history = history_names(f"/contracts/{contract.pk}/history/")
    assert "Vera Volunteer" in history and "Rita Reviewer" in history
    version = Contract.objects.get(pk=contract.pk).history.latest()
    assert version.approved_by == reviewer
    assert version.relations["products"] == [product.pk]
    assert version.relations["deployments"] == [deployment.pk]


def test_a_product_of_another_vendor_is_refused(volunteer_client, parties):
    agency, vendor, _product, _deployment = parties
    other = ProductFactory(name="BriefCam Example", vendor=VendorFactory(name="BriefCam Inc"))
    data = contract_form(agency, vendor, products=f"Rekognition Example\n{other.name}")
    response = volunteer_client.post("/contracts/new/", data)
    errors = errors_of(response)["products"]
    assert "“BriefCam Example” is a product of BriefCam Inc, not of Example Web Services." in errors
    assert "Products of Example Web Services: Rekognition Example." in errors
    assert "is a product of BriefCam Inc" in response.content.decode()
    unknown = contract_form(agency, vendor, products="Nothing Like It")
    assert (
        "No product is called “Nothing Like It”."
        in errors_of(volunteer_client.post("/contracts/new/", unknown))["products"]
    )
    assert not Contract.objects.exists()


def test_a_product_can_be_picked_by_its_identifier(volunteer_client, parties):
    agency, vendor, product, _deployment = parties
    data = contract_form(agency, vendor, products=f"Rekognition [{product.slug}]")
    assert volunteer_client.post("/contracts/new/", data).status_code == 302
    assert list(Contract.objects.get().products.all()) == [product]


def test_deployments_must_be_the_buyers_or_the_vendors(volunteer_client, parties):
    agency, vendor, _product, _deployment = parties
    unrelated = DeploymentFactory()
    data = contract_form(agency, vendor, deployments=f"#{unrelated.pk}\n#999999\nthe drones")
    errors = errors_of(volunteer_client.post("/contracts/new/", data))["deployments"]
    assert f"Deployment #{unrelated.pk} ({unrelated}) is neither" in errors[0]
    assert errors[0].endswith("check the number.")
    assert "There is no deployment #999999." in errors
    assert any("“the drones” is not a deployment number" in error for error in errors)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"start": "2018", "end": "2017"}, "end", "The end date cannot be before the start date."),
        ({"signed": "June 2017"}, "signed", "is not a date: use YYYY, YYYY-MM or YYYY-MM-DD."),
        ({"amount": "-5"}, "amount", "greater than or equal to 0"),
        ({"currency": "XYZ"}, "currency", "“XYZ” is not an ISO 4217 currency code"),
        ({"agency": "Nowhere"}, "agency", "No agency is called “Nowhere”"),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_contract_form_explains_what_is_wrong(volunteer_client, parties, changes, field, message):
    agency, vendor, _product, _deployment = parties
    response = volunteer_client.post("/contracts/new/", contract_form(agency, vendor, **changes))
    assert any(message in error for error in errors_of(response)[field])
    assert not Contract.objects.exists()


def test_volunteer_edit_of_a_contract_waits_and_approval_applies_it(
    volunteer_client, reviewer, parties
):
    agency, vendor, product, _deployment = parties
    contract = ContractFactory(agency=agency, vendor=vendor, amount="12000.00")
    url = f"/contracts/{contract.pk}/edit/"
    data = edit_data(
        volunteer_client, url, amount="14500", products=product.name, edit_summary="Amendment"
    )
    assert volunteer_client.post(url, data).status_code == 302
    contract.refresh_from_db()
    assert str(contract.amount) == "12000.00" and not contract.products.exists()
    change = pending_update()
    assert diff_rows(reviewer, change) == {
        "Amount": ("12000.00", "14500.00"),
        "Products": ("", "Rekognition Example"),
    }
    approve(reviewer, change)
    contract.refresh_from_db()
    assert str(contract.amount) == "14500.00"
    assert list(contract.products.all()) == [product]


def test_revert_restores_the_products_of_a_version(reviewer, parties):
    agency, vendor, product, _deployment = parties
    client = logged_in(reviewer)
    client.post("/contracts/new/", contract_form(agency, vendor, products=product.name))
    contract = Contract.objects.get()
    with_product = contract.history.latest()
    url = f"/contracts/{contract.pk}/edit/"
    client.post(url, edit_data(client, url, products="", edit_summary="Remove"))
    assert not contract.products.exists()
    response = client.post(
        f"/contracts/{contract.pk}/revert/",
        {"version": version_number(contract, with_product.history_id), "reason": "x"},
    )
    assert response.status_code == 302
    assert list(contract.products.all()) == [product]
