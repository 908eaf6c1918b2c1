"""Filters take what people type: places by code or name, records by slug, name, alias or
ORI; a repeated parameter means "any of"; every list has `q`; bad values are 400s that name
the parameter."""

import csv
import io
import json

import pytest

from apps.core.models import Visibility
from tests.factories import (
    AgencyAliasFactory,
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    OversightEventFactory,
    ProductFactory,
    SourceFactory,
    VendorAliasFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "/deployments/",
    "/agencies/",
    "/vendors/",
    "/products/",
    "/contracts/",
    "/ndas/",
    "/oversight/",
    "/sources/",
]


def listed(response):
    assert response.status_code == 200, response.context and response.context.get("errors")
    return {record.pk for record in response.context["object_list"]}


def csv_records(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def places():
    """Deployments in Oregon, Washington, Mexico City and Ontario."""
    return {
        "oregon": DeploymentFactory(agency=AgencyFactory(country="US", region="OR")),
        "washington": DeploymentFactory(
            agency=AgencyFactory(country="US", region="WA"), status="pilot"
        ),
        "mexico": DeploymentFactory(
            agency=AgencyFactory(name="Secretaría de Seguridad", country="MX", region="CMX"),
            status="proposed",
        ),
        "ontario": DeploymentFactory(agency=AgencyFactory(country="CA", region="ON")),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"region": "OR"}, {"oregon"}),
        ({"region": "or"}, {"oregon"}),
        ({"region": "US-OR"}, {"oregon"}),
        ({"region": "Oregon"}, {"oregon"}),
        ({"region": "OREGON"}, {"oregon"}),
        ({"region": " oregon "}, {"oregon"}),
        ({"region": "Ciudad de Mexico"}, {"mexico"}),
        ({"region": "ciudad de méxico"}, {"mexico"}),
        ({"region": "MX-CMX"}, {"mexico"}),
        ({"region": "Ontario"}, {"ontario"}),
        ({"region": "ON", "country": "CA"}, {"ontario"}),
        ({"region": "ON", "country": "Canada"}, {"ontario"}),
        ({"country": "US"}, {"oregon", "washington"}),
        ({"country": "USA"}, {"oregon", "washington"}),
        ({"country": "United States"}, {"oregon", "washington"}),
        ({"country": "united states of america"}, {"oregon", "washington"}),
        ({"country": "Mexico"}, {"mexico"}),
        ({"country": "méxico"}, {"mexico"}),
        ({"region": ["OR", "WA"]}, {"oregon", "washington"}),
        ({"region": ["Oregon", "Ciudad de Mexico"]}, {"oregon", "mexico"}),
        ({"country": ["MX", "CA"]}, {"mexico", "ontario"}),
        ({"status": ["active", "pilot"]}, {"oregon", "washington", "ontario"}),
        ({"status": ["pilot", "proposed"], "region": ["WA", "MX-CMX"]}, {"washington", "mexico"}),
    ],
)
def test_places_are_found_by_code_or_name(client, places, query, expected):
    response = client.get("/deployments/", query)
    assert listed(response) == {places[name].pk for name in expected}


@pytest.mark.parametrize("url", ["/deployments/", "/agencies/", "/contracts/", "/ndas/"])
def test_an_unknown_place_is_a_400_that_names_the_parameter(client, places, url):
    response = client.get(url, {"region": "Atlantis"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "(<code>region</code>)" in content
    assert "No region is called or coded “Atlantis”" in content
    response = client.get(url, {"country": "Narnia"})
    assert response.status_code == 400
    assert "(<code>country</code>)" in response.content.decode()


def test_region_zz_is_a_400_not_an_empty_list(client, places):
    response = client.get("/deployments/", {"region": "ZZ"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "No region of United States has the code “ZZ”" in content
    assert "Zanzan (CI-ZZ)" in content  # what the code means elsewhere, to pick


def test_an_ambiguous_region_name_lists_the_candidates(client, places):
    response = client.get("/deployments/", {"region": "Central", "status": "active"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "“Central” could be 8 places" in content
    assert '<a href="?region=GH-CP&amp;status=active">Central, Ghana (GH-CP)</a>' in content


def test_a_region_outside_the_chosen_country_is_refused(client, places):
    response = client.get("/deployments/", {"region": "US-OR", "country": "MX"})
    assert response.status_code == 400
    assert "“US-OR” is in United States, not in the country chosen (Mexico)" in (
        response.content.decode()
    )


def test_customer_region_of_vendors_takes_names(client, places):
    response = client.get("/vendors/", {"customer_region": ["Oregon", "Ciudad de Mexico"]})
    assert listed(response) == {places["oregon"].vendor_id, places["mexico"].vendor_id}


@pytest.fixture
def records():
    sheriff = AgencyFactory(name="Washington County Sheriff's Office", region="OR", ori="OR0340000")
    AgencyAliasFactory(agency=sheriff, name="WCSO")
    quebec = AgencyFactory(name="Sûreté du Québec", country="CA", region="QC")
    parent = VendorFactory(name="Amazon")
    subsidiary = VendorFactory(name="Amazon Web Services", parent=parent)
    VendorAliasFactory(vendor=subsidiary, name="AWS")
    rekognition = ProductFactory(name="Rekognition", vendor=subsidiary)
    return {
        "sheriff": DeploymentFactory(agency=sheriff, product=rekognition),
        "quebec": DeploymentFactory(agency=quebec),
        "parent": parent,
        "subsidiary": subsidiary,
    }


@pytest.mark.parametrize(
    ("param", "typed", "expected"),
    [
        ("agency", "SLUG", {"sheriff"}),
        ("agency", "Washington County Sheriff's Office", {"sheriff"}),
        ("agency", "washington county sheriff's office", {"sheriff"}),
        ("agency", "WCSO", {"sheriff"}),
        ("agency", "wcso", {"sheriff"}),
        ("agency", "OR0340000", {"sheriff"}),
        ("agency", "Surete du Quebec", {"quebec"}),
        ("vendor", "Amazon", {"sheriff"}),  # its subsidiary's deployment
        ("vendor", "amazon web services", {"sheriff"}),
        ("vendor", "AWS", {"sheriff"}),
        ("product", "Rekognition", {"sheriff"}),
        ("product", "rekognition", {"sheriff"}),
        ("technology", "Face Recognition", {"sheriff", "quebec"}),
    ],
)
def test_records_are_found_by_slug_name_alias_or_ori(client, records, param, typed, expected):
    if typed == "SLUG":
        typed = records["sheriff"].agency.slug
    response = client.get("/deployments/", {param: typed})
    assert listed(response) == {records[name].pk for name in expected}


def test_an_ambiguous_name_is_a_400_listing_the_candidates_with_links(client, records):
    first = AgencyFactory(name="Springfield Police Department", region="OR")
    second = AgencyFactory(name="Springfield Police Department", region="IL")
    response = client.get("/deployments/", {"agency": "springfield police department"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "is the name of 2 agencys" not in content
    assert "“springfield police department” is the name of 2 agencies" in content
    for agency in (first, second):
        assert f'href="?agency={agency.slug}"' in content
        assert f'href="{agency.get_absolute_url()}"' in content
    response = client.get("/deployments/export.json", {"agency": "Springfield Police Department"})
    assert response.status_code == 400
    details = response.json()["details"][0]
    assert details["parameter"] == "agency"
    assert {c["url"] for c in details["candidates"]} == {
        f"http://testserver{a.get_absolute_url()}" for a in (first, second)
    }


def test_unpublished_records_are_never_matched_by_name(client, records):
    AgencyFactory(
        name="Washington County Sheriff's Office", region="WA", visibility=Visibility.PENDING
    )
    hidden = AgencyFactory(name="Secret Task Force", visibility=Visibility.PENDING)
    response = client.get("/deployments/", {"agency": "Washington County Sheriff's Office"})
    assert listed(response) == {records["sheriff"].pk}  # not ambiguous with a pending one
    for typed in ("Secret Task Force", hidden.slug):
        response = client.get("/deployments/", {"agency": typed})
        assert response.status_code == 400
        assert "No agency has the identifier, name or ORI" in response.content.decode()


def test_record_filters_suggest_published_records(client, records):
    AgencyFactory(name="Unreviewed Agency", visibility=Visibility.PENDING)
    content = client.get("/deployments/").content.decode()
    assert 'list="id_agency_options"' in content
    assert "Washington County Sheriff&#x27;s Office — " in content
    assert "Unreviewed Agency" not in content
    assert f'<option value="{records["parent"].slug}">Amazon</option>' in content


def test_every_list_with_vendors_takes_names(client, records):
    contract = ContractFactory(vendor=records["subsidiary"])
    nda = NdaFactory(counterparty_vendor=records["subsidiary"])
    assert listed(client.get("/contracts/", {"vendor": "Amazon"})) == {contract.pk}
    assert listed(client.get("/agencies/", {"vendor": "aws"})) == {records["sheriff"].agency_id}
    assert listed(client.get("/products/", {"vendor": "Amazon"})) == {records["sheriff"].product_id}
    assert listed(client.get("/ndas/", {"agency": nda.agency.name})) == {nda.pk}


def test_repeated_values_are_one_chip_each_removable_alone(client, places):
    response = client.get(
        "/deployments/", {"region": ["OR", "Ciudad de Mexico"], "status": "active"}
    )
    chips = response.context["active_filters"]
    assert ("Region", "Oregon (US-OR)", "?region=MX-CMX&status=active") in chips
    assert ("Region", "Ciudad de México (MX-CMX)", "?region=US-OR&status=active") in chips
    assert ("Status", "Active", "?region=US-OR&region=MX-CMX") in chips
    content = response.content.decode()
    # The form shows both values and an empty box for another.
    assert 'name="region" id="id_region" value="OR"' in content
    assert 'name="region" id="id_region_1" value="Ciudad de Mexico"' in content
    assert 'name="region" id="id_region_2" value=""' in content


def test_exports_keep_every_value_of_a_repeated_parameter(client, places):
    query = {"region": ["OR", "WA"], "status": ["active", "pilot"]}
    page = client.get("/deployments/", query)
    assert listed(page) == {places["oregon"].pk, places["washington"].pk}
    content = page.content.decode()
    assert "/deployments/export.csv?region=OR&amp;region=WA&amp;status=active&amp;status=pilot" in (
        content
    )
    rows = csv_records(client.get("/deployments/export.csv", query))
    assert {row["agency"] for row in rows} == {
        places["oregon"].agency.name,
        places["washington"].agency.name,
    }
    data = json.loads(b"".join(client.get("/deployments/export.json", query).streaming_content))
    assert {record["id"] for record in data["results"]} == {
        places["oregon"].pk,
        places["washington"].pk,
    }


@pytest.fixture
def three():
    """Three deployments with their own agency, vendor (in its own country), product,
    contract, NDA and source (its own publisher): two are asked for, the third is not."""
    made = []
    for country, publisher in (("CA", "Gazette One"), ("MX", "Gazette Two"), ("US", "Other")):
        deployment = DeploymentFactory(
            product=ProductFactory(vendor=VendorFactory(country=country))
        )
        source = deployment.sources.first()
        source.publisher = publisher
        source.save()
        made.append(
            {
                "deployment": deployment,
                "agency": deployment.agency,
                "vendor": deployment.vendor,
                "product": deployment.product,
                "contract": ContractFactory(agency=deployment.agency, vendor=deployment.vendor),
                "nda": NdaFactory(agency=deployment.agency, counterparty_vendor=deployment.vendor),
                "oversight": OversightEventFactory(
                    agency=deployment.agency, deployments=[deployment]
                ),
                "source": source,
            }
        )
    return made


# list: (record kind, parameter, its value for the first record, for the second), one by
# slug (or code) and one by name where the filter takes both.
REPEATED = {
    "/deployments/": (
        "deployment",
        "agency",
        lambda r: r["agency"].slug,
        lambda r: r["agency"].name,
    ),
    "/agencies/": ("agency", "vendor", lambda r: r["vendor"].slug, lambda r: r["vendor"].name),
    "/vendors/": ("vendor", "country", lambda r: r["vendor"].country, lambda r: "Mexico"),
    "/products/": ("product", "vendor", lambda r: r["vendor"].slug, lambda r: r["vendor"].name),
    "/contracts/": ("contract", "agency", lambda r: r["agency"].slug, lambda r: r["agency"].name),
    "/ndas/": ("nda", "agency", lambda r: r["agency"].slug, lambda r: r["agency"].name),
    "/oversight/": (
        "oversight",
        "agency",
        lambda r: r["agency"].slug,
        lambda r: r["agency"].name,
    ),
    "/sources/": ("source", "publisher", lambda r: "gazette one", lambda r: "Gazette Two"),
}


@pytest.mark.parametrize("url", LISTS)
def test_every_list_and_its_exports_honour_repeated_parameters(client, three, url):
    kind, param, first_value, second_value = REPEATED[url]
    query = {param: [first_value(three[0]), second_value(three[1])]}
    wanted = {three[0][kind].pk, three[1][kind].pk}
    page = client.get(url, query)
    assert listed(page) == wanted
    assert page.context["paginator"].count == 2
    assert len([chip for chip in page.context["active_filters"] if chip[0]]) == 2
    data = json.loads(b"".join(client.get(f"{url}export.json", query).streaming_content))
    assert {record["id"] for record in data["results"]} == wanted
    body = b"".join(client.get(f"{url}export.csv", query).streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))[1:]
    assert rows
    unwanted = three[2][kind]
    for record in (three[0][kind], three[1][kind]):
        name = getattr(record, "name", None) or getattr(record, "title", None)
        if name:
            assert name in body
    unwanted_name = getattr(unwanted, "name", None) or getattr(unwanted, "title", None)
    if unwanted_name:
        assert unwanted_name not in body


@pytest.mark.parametrize("url", LISTS)
def test_a_single_valued_parameter_given_twice_is_refused(client, url):
    response = client.get(url, {"q": ["one", "two"]})
    assert response.status_code == 400
    assert "Give this parameter once" in response.content.decode()


@pytest.fixture
def texts():
    # Agencies first, so that an agency's id is never the id of a record that lists it: a
    # search through aliases must follow the record's link, not its own id.
    AgencyFactory.create_batch(3)
    agency = AgencyFactory(name="Policía Municipal de Zapopan", country="MX", region="JAL")
    AgencyAliasFactory(agency=agency, name="Comisaría Zapopan")
    vendor = VendorFactory(name="Vigilância Óptica", description="Câmeras térmicas")
    product = ProductFactory(name="OlhoVivo", vendor=vendor, description="Análise facial")
    deployment = DeploymentFactory(agency=agency, product=product, summary="Reconocimiento")
    contract = ContractFactory(agency=agency, vendor=vendor, title="Adquisición de cámaras")
    nda = NdaFactory(agency=agency, counterparty_vendor=vendor, scope="Confidencialidad total")
    source = SourceFactory(title="Investigación: la cámara que todo lo ve", publisher="Proceso")
    deployment.sources.add(source)
    other = DeploymentFactory()  # a record none of the searches should find
    ContractFactory(agency=other.agency, vendor=other.vendor)
    NdaFactory(agency=other.agency, counterparty_vendor=other.vendor)
    return {
        "agency": agency,
        "vendor": vendor,
        "product": product,
        "deployment": deployment,
        "contract": contract,
        "nda": nda,
        "source": source,
    }


@pytest.mark.parametrize(
    ("url", "q", "kind"),
    [
        ("/deployments/", "POLICIA zapopan", "deployment"),
        ("/deployments/", "comisaria", "deployment"),  # an alias
        ("/deployments/", "reconocimiento", "deployment"),
        ("/agencies/", "policia municipal", "agency"),
        ("/agencies/", "COMISARÍA", "agency"),
        ("/vendors/", "vigilancia optica", "vendor"),
        ("/vendors/", "termicas", "vendor"),
        ("/products/", "analise", "product"),
        ("/products/", "olhovivo", "product"),
        ("/contracts/", "adquisicion camaras", "contract"),
        ("/contracts/", "zapopan", "contract"),
        ("/ndas/", "confidencialidad", "nda"),
        ("/ndas/", "vigilancia", "nda"),
        ("/sources/", "investigacion camara", "source"),
    ],
)
def test_q_searches_every_list_ignoring_case_and_accents(client, texts, url, q, kind):
    assert listed(client.get(url, {"q": q})) == {texts[kind].pk}


@pytest.mark.parametrize("url", LISTS)
def test_q_is_never_ignored(client, texts, url):
    response = client.get(url, {"q": "no record says this"})
    assert listed(response) == set()
    assert ("Search", "no record says this", "?") in response.context["active_filters"]


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/deployments/", "year=2019.5"),
        ("/deployments/", "year=2019.0"),
        ("/contracts/", "year=2019.5"),
        ("/ndas/", "year=2019.5"),
        ("/sources/", "year=2018.5"),
        ("/deployments/", "year=2018&year=1e3"),
    ],
)
def test_years_are_whole_numbers(client, texts, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert "Enter a whole number" in response.content.decode()


def test_several_years_mean_any_of(client):
    early = SourceFactory(publication_date="2015-01-01")
    late = SourceFactory(publication_date="2019-01-01")
    SourceFactory(publication_date="2017-01-01")
    assert listed(client.get("/sources/", {"year": ["2015", "2019"]})) == {early.pk, late.pk}


@pytest.mark.parametrize("url", LISTS)
def test_page_superscript_two_is_a_400_not_a_server_error(client, url):
    for page in ("²", "١", "1.0", "-1", "1e2"):
        response = client.get(url, {"page": page})
        assert response.status_code == 400, page
        assert "is not a page number" in response.content.decode()
    assert client.get(url, {"page": ["1", "1"]}).status_code == 400


def test_amounts_sort_within_each_currency(client):
    usd_small = ContractFactory(amount="100.00", currency="USD")
    usd_big = ContractFactory(amount="5000.00", currency="USD")
    eur = ContractFactory(amount="1000.00", currency="EUR")
    unknown = ContractFactory(amount=None)
    for sort, expected in (
        ("-amount", [eur, usd_big, usd_small, unknown]),
        ("amount", [eur, usd_small, usd_big, unknown]),
    ):
        response = client.get("/contracts/", {"sort": sort})
        assert list(response.context["object_list"]) == expected
        assert "not comparable" in response.content.decode()


def test_nda_counterparties_by_name_and_any_of(client):
    vendor_nda = NdaFactory(counterparty_vendor=VendorFactory(name="Vigilant Solutions"))
    agency_nda = NdaFactory(
        counterparty_vendor=None, counterparty_agency=AgencyFactory(name="Federal Bureau")
    )
    NdaFactory()
    query = {"counterparty": ["vigilant solutions", "Federal Bureau"]}
    assert listed(client.get("/ndas/", query)) == {vendor_nda.pk, agency_nda.pk}
    VendorFactory(name="Federal Bureau")  # now the name is both a vendor's and an agency's
    response = client.get("/ndas/", {"counterparty": "federal bureau"})
    assert response.status_code == 400
    assert "is the name of 2 vendors or agencies" in response.content.decode()


def test_a_product_filter_with_amount_sort_lists_each_contract_once(client):
    product = ProductFactory(name="Rekognition")
    contract = ContractFactory(vendor=product.vendor, amount="10.00", currency="EUR")
    contract.products.add(product, ProductFactory(vendor=product.vendor))
    other = ContractFactory(vendor=product.vendor, amount=None)
    other.products.add(product)
    for sort in ("amount", "-amount"):
        response = client.get(
            "/contracts/", {"product": ["Rekognition", product.slug], "sort": sort}
        )
        assert list(response.context["object_list"]) == [contract, other]


@pytest.mark.parametrize(
    "text",
    [
        "Ciudad de México",
        "SÛRETÉ DU QUÉBEC",
        "Łódź",
        "Øresund",
        "Ærø",
        "Straße",
        "Œuvre",
        "plain ascii",
    ],
)
def test_the_database_folds_text_as_python_does(text):
    """q compares fold(query) with Fold(column): both must agree on either database."""
    from django.db.models import Value

    from apps.agencies.models import Agency
    from apps.core.search import Fold, fold

    AgencyFactory()
    folded = Agency.objects.annotate(folded=Fold(Value(text))).values_list("folded", flat=True)
    assert folded[0] == fold(text)
