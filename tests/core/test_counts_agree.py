"""Every count a profile or technology page shows equals the list it links to.

Each page is read as a visitor would: the numbers and the links around them are parsed from
the HTML, each link is followed with the test client, and the list's own result count is
compared with the number shown. Run over the demo data (the motivating Amazon case and the
generated records) and over a vendor family built for the purpose."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from apps.agencies.models import Agency
from apps.contracts.models import Contract, Nda
from apps.technologies.models import Technology
from apps.vendors.models import Product, Vendor
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    ProductFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db

LIST_PATHS = {
    "/deployments/",
    "/agencies/",
    "/vendors/",
    "/products/",
    "/contracts/",
    "/ndas/",
    "/technologies/",
}
NUMBER = re.compile(r"^\s*(?:All\s+)?(\d[\d,]*)\b")


def as_int(text):
    match = NUMBER.match(text)
    return int(match.group(1).replace(",", "")) if match else None


class CountedLinks(HTMLParser):
    """Collects (shown number, link) pairs: a link whose text starts with a number ("2
    deployments", "All 116 … deployments", a bare "65"), or a link in a table row whose
    numeric cell (class "num") gives the number. Also notes bold numbers outside any link,
    which would be counts a visitor cannot follow."""

    def __init__(self):
        super().__init__()
        self.pairs = []
        self.unlinked_numbers = []
        self._link = None  # [href, text parts, strong text parts]
        self._strong = None
        self._row = None  # [(links, numeric cell value)] per cell
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self._link = [attrs["href"], [], []]
        elif tag == "strong":
            self._strong = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = {"links": [], "text": [], "num": "num" in attrs.get("class", "")}

    def handle_data(self, data):
        if self._link is not None:
            self._link[1].append(data)
        if self._strong is not None:
            self._strong.append(data)
        if self._cell is not None:
            self._cell["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "strong" and self._strong is not None:
            text = "".join(self._strong)
            if self._link is not None:
                self._link[2].append(text)
            elif as_int(text) is not None and text.strip().isdigit():
                self.unlinked_numbers.append(text.strip())
            self._strong = None
        elif tag == "a" and self._link is not None:
            href, text, strong = self._link
            self._link = None
            number = as_int("".join(strong)) if strong else as_int("".join(text))
            if self._cell is not None:
                self._cell["links"].append((href, number))
            elif number is not None:
                self.pairs.append((number, href))
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            numbers = [
                as_int("".join(cell["text"]))
                for cell in self._row
                if cell["num"] and not cell["links"]
            ]
            for cell in self._row:
                for href, number in cell["links"]:
                    if number is None and len(numbers) == 1:
                        number = numbers[0]
                    if number is not None:
                        self.pairs.append((number, href))
            self._row = None


def counted_links(content):
    parser = CountedLinks()
    parser.feed(content)
    pairs = [
        (number, href.replace("&amp;", "&"))
        for number, href in parser.pairs
        if urlsplit(href).path in LIST_PATHS
    ]
    return pairs, parser.unlinked_numbers


def assert_counts_agree(client, url, *, at_least=1):
    """Follows every count on the page at `url` and returns how many it checked."""
    response = client.get(url)
    assert response.status_code == 200, url
    pairs, unlinked = counted_links(response.content.decode())
    assert unlinked == [], f"{url} shows counts that link nowhere: {unlinked}"
    assert len(pairs) >= at_least, f"{url} shows fewer counts than expected: {pairs}"
    for shown, href in sorted(set(pairs)):
        listed = client.get(href)
        assert listed.status_code == 200, f"{url}: {href} answers {listed.status_code}"
        found = listed.context["paginator"].count
        assert found == shown, f"{url} says {shown} but {href} lists {found}"
    return len(pairs)


@pytest.fixture
def demo(seeded, settings):
    # Only the lists' counts are compared: one row a page keeps following many links quick.
    settings.LIST_PAGE_SIZE = 1


@pytest.fixture
def family():
    """A parent company whose records are all its subsidiaries', and the agencies that use
    them, with an NDA signed by an agency as the counterparty of another."""
    parent = VendorFactory(name="Holding Company")
    subsidiary = VendorFactory(name="Cloud Subsidiary", parent=parent)
    product = ProductFactory(vendor=subsidiary, name="Finder")
    sheriff, police = AgencyFactory(), AgencyFactory()
    for agency in (sheriff, police):
        deployment = DeploymentFactory(agency=agency, product=product)
        ContractFactory(agency=agency, vendor=subsidiary).deployments.add(deployment)
    ContractFactory(agency=sheriff, vendor=subsidiary).products.add(product)
    NdaFactory(agency=sheriff, counterparty_vendor=subsidiary)
    NdaFactory(agency=police, counterparty_vendor=None, counterparty_agency=sheriff)
    return {"parent": parent, "subsidiary": subsidiary, "product": product, "sheriff": sheriff}


def busiest(model, related, limit=2):
    """A few records with the most related records, and one with none, by slug."""
    from django.db.models import Count

    records = model.objects.published() if hasattr(model.objects, "published") else model.objects
    ordered = records.annotate(n=Count(related)).order_by("-n", "slug")
    return [*ordered.values_list("slug", flat=True)[:limit], ordered.last().slug]


def test_agency_profiles_counts_match_their_lists(client, demo, family):
    slugs = [
        "washington-county-sheriffs-office-or",
        family["sheriff"].slug,
        *busiest(Agency, "deployments"),
        *Nda.objects.filter(counterparty_agency__isnull=False).values_list(
            "counterparty_agency__slug", flat=True
        )[:2],
    ]
    for slug in slugs:
        assert_counts_agree(client, f"/agencies/{slug}/", at_least=3)


def test_vendor_profiles_counts_match_their_lists(client, demo, family):
    slugs = [
        "amazon",
        "amazon-web-services",
        family["parent"].slug,
        family["subsidiary"].slug,
        *busiest(Vendor, "deployments"),
        *busiest(Vendor, "contracts", limit=1),
    ]
    for slug in slugs:
        assert_counts_agree(client, f"/vendors/{slug}/", at_least=5)
    # The parent company's profile counts what its subsidiary sold.
    counts = client.get(f"/vendors/{family['parent'].slug}/").context["counts"]
    assert [counts[name] for name in ("deployments", "contracts", "ndas")] == [2, 3, 1]


def test_product_profiles_counts_match_their_lists(client, demo, family):
    slugs = [
        family["product"].slug,
        *Product.objects.filter(name="Amazon Rekognition").values_list("slug", flat=True),
        *busiest(Product, "deployments"),
        *busiest(Product, "contracts", limit=1),
    ]
    assert Contract.objects.filter(products__slug__in=slugs).exists()
    for slug in slugs:
        assert_counts_agree(client, f"/products/{slug}/", at_least=2)


def test_technology_pages_counts_match_their_lists(client, demo, family):
    assert_counts_agree(client, "/technologies/", at_least=2 * Technology.objects.count())
    checked = assert_counts_agree(client, "/technologies/face-recognition/", at_least=4)
    assert checked > 10
    # The technology with the fewest deployments (perhaps none), and the parent company.
    assert_counts_agree(client, f"/technologies/{busiest(Technology, 'deployments')[-1]}/")
    product = family["product"]
    product.technologies.set([Technology.objects.get(slug="drones")])
    family_page = client.get("/technologies/face-recognition/")
    by_vendor = next(chart for chart in family_page.context["charts"] if chart.key == "by-vendor")
    assert {"Holding Company", "Cloud Subsidiary"} <= {row.label for row in by_vendor.rows}


def test_home_and_region_pages_counts_match_their_lists(client, demo, family):
    """The charts' bars (the numbers in their tables, the tooltips of the drawing) and the
    region pages' counts."""
    assert assert_counts_agree(client, "/", at_least=30) > 30
    assert_counts_agree(client, "/regions/", at_least=4)
    places = (
        Agency.objects.published()
        .exclude(region="")
        .values_list("country", "region")
        .order_by("country", "region")
        .distinct()
    )
    for country, region in list(places)[:3]:
        assert_counts_agree(client, f"/regions/{country}/{region.upper()}/", at_least=5)
