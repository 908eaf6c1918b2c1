"""Damaged, hostile or absurd input is a form error or a 404, never a server error: version
numbers that are not this record's, numbers too long for the database, NUL characters
(which PostgreSQL refuses), infinite coordinates. Also the consistency checks that a
reviewer found missing: a product's vendor, withdrawn sources, unpublished records."""

import pytest
from django.contrib.messages import get_messages

from apps.core.history import save_version
from apps.core.models import Visibility
from apps.deployments.models import Deployment
from apps.vendors.models import Product
from tests.editing.test_record_forms_editing import NEW_SOURCE, edit_data, errors_of
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    OversightEventFactory,
    ProductFactory,
    SourceFactory,
    VendorFactory,
    technology,
)

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
OUT_OF_DATE = "This form is out of date or damaged: reload the page and make your change again."

FACTORIES = {
    "agencies": AgencyFactory,
    "vendors": VendorFactory,
    "products": ProductFactory,
    "deployments": DeploymentFactory,
    "contracts": ContractFactory,
    "ndas": NdaFactory,
    "oversight": OversightEventFactory,
    "sources": SourceFactory,
}


def key_of(record):
    return getattr(record, "slug", None) or record.pk


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# 1. base_version must name one of this record's versions.


@pytest.mark.parametrize("kind", sorted(FACTORIES))
@pytest.mark.parametrize("base_version", ["other", "-5", HUGE, "", None, "abc", "1\x00"])
def test_an_edit_not_based_on_a_version_of_the_record_is_refused(
    reviewer_client, kind, base_version
):
    record = FACTORIES[kind]()
    other = FACTORIES[kind]()
    url = f"/{kind}/{key_of(record)}/edit/"
    data = edit_data(reviewer_client, url, edit_summary="Tidy up")
    if base_version is None:
        del data["base_version"]
    elif base_version == "other":
        data["base_version"] = other.history.latest().history_id
    else:
        data["base_version"] = base_version
    versions = record.history.count()

    response = reviewer_client.post(url, data)

    assert response.status_code == 400
    assert OUT_OF_DATE in response.content.decode()
    assert record.history.count() == versions  # nothing saved


def test_an_edit_based_on_the_latest_version_is_still_saved(reviewer_client):
    record = AgencyFactory(locality="Hillsboro")
    url = f"/agencies/{record.slug}/edit/"
    response = reviewer_client.post(
        url, edit_data(reviewer_client, url, locality="Beaverton", edit_summary="Moved")
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.locality == "Beaverton"


# 2. Version numbers in the history page's address.


@pytest.mark.parametrize(
    "query", [{"old": HUGE, "new": "1"}, {"old": "1", "new": HUGE}, {"old": "²", "new": "1"}]
)
def test_history_with_an_impossible_version_number_is_not_found(client, query):
    agency = AgencyFactory()
    assert client.get(f"/agencies/{agency.slug}/history/", query).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/deployments/%C2%B2/history/",
        f"/deployments/{HUGE}/history/",
        "/deployments/%C2%B2/edit/",
        "/agencies/a%00b/history/",
        "/agencies/a%00b/edit/",
    ],
)
def test_an_impossible_record_address_is_not_found(reviewer_client, url):
    DeploymentFactory()
    assert reviewer_client.get(url).status_code == 404


# 3. Coordinates.


@pytest.mark.parametrize("value", ["Infinity", "-Infinity", "1e400", "NaN", "sNaN"])
def test_a_coordinate_that_is_not_a_finite_number_is_a_form_error(volunteer_client, value):
    data = {
        "name": "Hillsboro Police Department",
        "kind": "police",
        "jurisdiction_level": "municipal",
        "country": "US",
        "region": "OR",
        "latitude": value,
        "longitude": "-122.989827",
        **NEW_SOURCE,
    }
    assert "latitude" in errors_of(volunteer_client.post("/agencies/new/", data))


def test_a_coordinate_with_many_decimals_is_still_rounded(volunteer_client):
    data = {
        "name": "Hillsboro Police Department",
        "kind": "police",
        "jurisdiction_level": "municipal",
        "country": "US",
        "region": "OR",
        "latitude": "45.52289412345",
        "longitude": "-122.989827",
        **NEW_SOURCE,
    }
    assert volunteer_client.post("/agencies/new/", data).status_code == 302


# 4. NUL characters.


def deployment_data(**overrides):
    agency, product = AgencyFactory(), ProductFactory()
    data = {
        "agency": agency.name,
        "technology": technology().pk,
        "product": f"{product.name} [{product.slug}]",
        "vendor": "",
        "status": "active",
        "start": "2017-05",
        "end": "",
        "summary": "Bought to search booking photos.",
        "public_input": "no",
        "use_policy": "unknown",
        "data_sharing": "unknown",
        "last_verified": "",
        **NEW_SOURCE,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("agency", "x\x00y"),
        ("agency", "Example [x\x00y]"),
        ("product", "x\x00y"),
        ("vendor", "x\x00y"),
        ("sources", "https://news.example.org/a\x00b"),
        ("sources", "#1\x00"),
    ],
)
def test_a_nul_character_in_a_record_picker_is_a_form_error(volunteer_client, field, value):
    data = deployment_data(**{field: value})
    errors = errors_of(volunteer_client.post("/deployments/new/", data))
    assert "Null characters are not allowed." in errors[field]
    assert not Deployment.objects.exists()


@pytest.mark.parametrize("kind", ["agencies", "vendors", "products", "technologies", "sources"])
def test_autocomplete_with_a_nul_character_suggests_nothing(volunteer_client, kind):
    AgencyFactory(name="Washington County Sheriff's Office")
    response = volunteer_client.get(f"/autocomplete/{kind}/", {"q": "wa\x00sh"})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_a_nul_character_in_the_merge_form_is_a_form_error(reviewer_client):
    duplicate = AgencyFactory()
    response = reviewer_client.post(
        f"/agencies/{duplicate.slug}/merge/", {"survivor": "a\x00b", "reason": "Same office"}
    )
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.context["form"].errors["survivor"]


def contract_data(agency, vendor, **overrides):
    data = {
        "agency": agency.name,
        "vendor": vendor.name,
        "title": "Face recognition pilot",
        "identifier": "PO-2017-114",
        "procurement_method": "free-trial",
        "amount": "0",
        "currency": "USD",
        "signed": "2017-06",
        "start": "",
        "end": "",
        "products": "",
        "deployments": "",
        "funding_source": "",
        "summary": "",
        **NEW_SOURCE,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("field", "value"),
    [("products", "Rekognition\x00Example"), ("deployments", "#1\x00"), ("products", "a\x00")],
)
def test_a_nul_character_in_a_contract_line_is_a_form_error(volunteer_client, field, value):
    vendor = VendorFactory()
    ProductFactory(vendor=vendor, name="Rekognition Example")
    data = contract_data(AgencyFactory(), vendor, **{field: value})
    errors = errors_of(volunteer_client.post("/contracts/new/", data))
    assert "Null characters are not allowed." in errors[field]


# 5. Numbers too long for the database.


@pytest.mark.parametrize(
    "line", [f"#{HUGE}", f"https://tracker.example.org/deployments/{HUGE}/", f"#{'9' * 19}"]
)
def test_a_contract_citing_an_impossible_deployment_number_is_a_form_error(volunteer_client, line):
    data = contract_data(AgencyFactory(), VendorFactory(), deployments=line)
    errors = errors_of(volunteer_client.post("/contracts/new/", data))
    assert any("There is no deployment #" in error for error in errors["deployments"])


def test_a_contract_naming_a_product_by_an_impossible_number_is_a_form_error(volunteer_client):
    vendor = VendorFactory()
    data = contract_data(AgencyFactory(), vendor, products=f"Example [{HUGE}]")
    errors = errors_of(volunteer_client.post("/contracts/new/", data))
    assert any("No product is called" in error for error in errors["products"])


def test_a_product_with_an_impossible_technology_number_is_a_form_error(volunteer_client):
    vendor = VendorFactory()
    data = {
        "vendor": vendor.name,
        "name": "Rekognition Example",
        "technologies": ["9" * 22],
        "description": "",
        "website": "",
        **NEW_SOURCE,
    }
    assert "technologies" in errors_of(volunteer_client.post("/products/new/", data))
    assert not Product.objects.filter(name="Rekognition Example").exists()


@pytest.mark.parametrize("line", [f"#{HUGE}", "#²", "#-5"])
def test_citing_an_impossible_source_number_is_a_form_error(volunteer_client, line):
    data = deployment_data(sources=line)
    errors = errors_of(volunteer_client.post("/deployments/new/", data))
    assert any("Not in the registry" in error for error in errors["sources"])


@pytest.mark.parametrize("key", [HUGE, "²"])
def test_picking_a_record_by_an_impossible_number_is_a_form_error(volunteer_client, key):
    data = deployment_data(agency=f"Example [{key}]")
    errors = errors_of(volunteer_client.post("/deployments/new/", data))
    assert any("No agency has the identifier" in error for error in errors["agency"])


@pytest.mark.parametrize("name", [HUGE, "²"])
def test_a_record_name_that_looks_like_a_number_is_shown_again_as_typed(volunteer_client, name):
    data = deployment_data(agency=name)
    response = volunteer_client.post("/deployments/new/", data)
    assert any("No agency is called" in error for error in errors_of(response)["agency"])
    assert f'value="{name}"' in response.content.decode()


# 6. A product's vendor.


def test_the_vendor_of_a_product_with_deployments_or_contracts_cannot_change(reviewer_client):
    product = ProductFactory()
    DeploymentFactory(product=product)
    DeploymentFactory(product=product)
    ContractFactory(vendor=product.vendor).products.add(product)
    other_vendor = VendorFactory()
    url = f"/products/{product.slug}/edit/"
    data = edit_data(reviewer_client, url, vendor=other_vendor.name, edit_summary="Sold")

    errors = errors_of(reviewer_client.post(url, data))

    assert any(
        "2 deployments and 1 contract" in error and "new product" in error
        for error in errors["vendor"]
    )
    product.refresh_from_db()
    assert product.vendor != other_vendor
    assert {d.vendor for d in product.deployments.all()} == {product.vendor}


def test_the_vendor_of_an_unused_product_can_change(reviewer_client):
    product = ProductFactory()
    other_vendor = VendorFactory()
    url = f"/products/{product.slug}/edit/"
    data = edit_data(reviewer_client, url, vendor=other_vendor.name, edit_summary="Typo")
    assert reviewer_client.post(url, data).status_code == 302
    product.refresh_from_db()
    assert product.vendor == other_vendor


def test_other_changes_to_a_product_with_deployments_are_saved(reviewer_client):
    product = ProductFactory(description="Old")
    DeploymentFactory(product=product)
    url = f"/products/{product.slug}/edit/"
    data = edit_data(reviewer_client, url, description="New", edit_summary="Better")
    assert reviewer_client.post(url, data).status_code == 302


# 7. Withdrawn sources.


@pytest.mark.parametrize("by", ["number", "url"])
def test_a_withdrawn_source_cannot_be_cited(volunteer_client, by):
    source = SourceFactory(visibility=Visibility.WITHDRAWN)
    line = f"#{source.pk}" if by == "number" else source.url
    data = deployment_data(sources=line, new_source_url="", new_source_title="")
    data.update(new_source_publisher="", new_source_date="")
    errors = errors_of(volunteer_client.post("/deployments/new/", data))
    # An address the person typed is said to be withdrawn (its title is not shown).
    expected = f"Not in the registry: {line}" if by == "number" else "was withdrawn"
    assert any(expected in error for error in errors["sources"])
    assert not any(source.title in error for error in errors["sources"])


def test_a_pending_source_can_be_cited_by_its_author(volunteer_client, volunteer):
    source = SourceFactory.build(visibility=Visibility.PENDING)
    save_version(source, user=volunteer, summary="Added as a source", first=True)
    data = deployment_data(sources=f"#{source.pk}", new_source_url="")
    data.update(new_source_title="", new_source_publisher="", new_source_date="")
    assert volunteer_client.post("/deployments/new/", data).status_code == 302
    assert list(Deployment.objects.get().sources.all()) == [source]


# 8 and 9. A reviewer editing a record that is not public yet.


def test_a_reviewer_saving_a_pending_record_is_sent_to_its_history(reviewer_client):
    agency = AgencyFactory(visibility=Visibility.PENDING, locality="Hillsboro")
    url = f"/agencies/{agency.slug}/edit/"
    data = edit_data(reviewer_client, url, locality="Beaverton", edit_summary="Fix")

    response = reviewer_client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == f"/agencies/{agency.slug}/history/"
    assert messages_of(response) == [
        "Saved. This record is not public yet: it is waiting for review."
    ]
    assert reviewer_client.get(response["Location"]).status_code == 200
    agency.refresh_from_db()
    assert agency.locality == "Beaverton" and agency.visibility == Visibility.PENDING


def test_a_reviewer_saving_a_published_record_is_sent_to_its_page(reviewer_client):
    agency = AgencyFactory()
    url = f"/agencies/{agency.slug}/edit/"
    data = edit_data(reviewer_client, url, locality="Beaverton", edit_summary="Fix")
    response = reviewer_client.post(url, data)
    assert response["Location"] == agency.get_absolute_url()
    assert messages_of(response) == ["Saved and published."]


@pytest.mark.parametrize("kind", ["agencies", "deployments"])
def test_cancel_on_the_form_of_a_pending_record_goes_to_its_history(reviewer_client, kind):
    record = FACTORIES[kind](visibility=Visibility.PENDING)
    page = reviewer_client.get(f"/{kind}/{key_of(record)}/edit/").content.decode()
    assert f'<a href="/{kind}/{key_of(record)}/history/">Cancel</a>' in page
    assert f'<a href="{record.get_absolute_url()}">Cancel</a>' not in page


def test_cancel_on_the_form_of_a_published_record_goes_to_its_page(reviewer_client):
    agency = AgencyFactory()
    page = reviewer_client.get(f"/agencies/{agency.slug}/edit/").content.decode()
    assert f'<a href="{agency.get_absolute_url()}">Cancel</a>' in page
