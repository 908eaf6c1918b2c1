"""Cross-site scripting: a corpus of classic payloads stored in every text field of every kind
(names, titles, descriptions, notes, aliases, URLs), in a tip and in a pending change, then
every page that shows them rendered in Chromium: public lists, detail pages and profiles,
search results (the payloads also typed as the query and as filter values), history and its
diff, the map, the JSON API and its docs, the feeds (as XML, which must stay well formed), and
as a reviewer the review queue, a change's diff, the tip queue and the edit forms.

On every page: no dialog opened, the payloads' marker (`window.__xss`) is unset, the title is
not the one a payload would set, the Content-Security-Policy reported nothing, no element
carries an event-handler attribute and no link or frame points at a `javascript:` or
`data:text/html` address. The detail pages show each payload as text: rendered, escaped,
never dropped.

One data set, one browser session: the pages are visited in a single test, and every problem
found is listed at the end, not only the first."""

import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from django.test import Client

from apps.records.models import ChangeRequest
from apps.records.registry import all_kinds
from apps.technologies.models import Technology
from tests.browser.conftest import csp_violations, sign_in_browser
from tests.editing.test_record_forms_editing import edit_data
from tests.factories import (
    AgencyAliasFactory,
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    OversightEventFactory,
    ProductFactory,
    RecordsRequestFactory,
    ResponseDeadlineFactory,
    SourceFactory,
    TipFactory,
    UserFactory,
    VendorAliasFactory,
    VendorFactory,
    member_of,
    sign_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Each payload, if the page ran it, would set window.__xss, call alert() or set the title.
PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "<svg onload=window.__xss=1>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '" autofocus onfocus="window.__xss=1" x="',
    "' autofocus onfocus='window.__xss=1' x='",
    "</textarea><script>window.__xss=1</script>",
    "</title><script>document.title='XSS'</script>",
    "</script><script>window.__xss=1</script>",
    '";window.__xss=1;//',
    "\u2028\u2029</script><script>alert(1)</script>",
    '{{ 7|add:"7" }}{% now "Y" %}${window.__xss=1}',
    "[click me](javascript:window.__xss=1)",
    '<a href="javascript:window.__xss=1">link</a>',
    '<div style="background:url(javascript:window.__xss=1)">css</div>',
    '<p style="width:expression(alert(1))">old IE</p>',
    '<iframe src="data:text/html,<script>parent.__xss=1</script>"></iframe>',
    "<details open ontoggle=window.__xss=1>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "--><script>window.__xss=1</script><!--",
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
    "<base href='javascript:window.__xss=1//'>",
]
# Addresses that the URL fields' forms accept (http or https, no space) but that break out
# of an href attribute or a script if printed unescaped.
URL_PAYLOADS = [
    'https://example.org/?q="><script>window.__xss=1</script>',
    "https://example.org/x'onfocus='window.__xss=1'autofocus='",
    "https://example.org/</script><svg/onload=window.__xss=1>",
]
# Addresses every form refuses (Django's URLValidator: http, https, ftp, ftps only), so that
# no page ever links to them; tested on the forms, since no write path can store them.
REFUSED_URLS = [
    "javascript:window.__xss=1",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>window.__xss=1</script>",
    "vbscript:msgbox(1)",
]
EVERY_PAYLOAD = "\n".join(PAYLOADS)

FINDINGS_ON_PAGE = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim().toLowerCase().replace(/[\\s\\x00-\\x1f]/g, "");
      if (name.startsWith("on")) found.push(`${el.tagName} has ${name}`);
      if (["href", "src", "action", "formaction", "data", "srcdoc"].includes(name)
          && (value.startsWith("javascript:") || value.startsWith("data:text/html")
              || value.startsWith("vbscript:"))) {
        found.push(`${el.tagName} ${name}=${attr.value}`);
      }
    }
  }
  for (const tag of ["iframe", "object", "embed", "base", "meta[http-equiv]"]) {
    if (document.querySelector(tag)) found.push(`a ${tag} element`);
  }
  return found;
}"""


def payload(number):
    return PAYLOADS[number % len(PAYLOADS)]


class World:
    """The records, and what to visit."""

    def __init__(self):
        self.details = []  # (url, text the page must show)
        self.urls = []  # more pages to check
        self.reviewer_urls = []
        self.reviewer_shows = []  # (url, text the page must show)
        self.feeds = []
        self.reviewer = None
        self.agency_edit = None  # an edit form, and the values its fields must hold
        self.agency_fields = {}


def build_world():
    world = World()
    names = iter(range(len(PAYLOADS) * 3))

    def short():
        return payload(next(names))

    sources = [
        SourceFactory(
            title=f"Source {short()}",
            url=URL_PAYLOADS[0],
            publisher=short(),
            archive_url=URL_PAYLOADS[2],
            notes=EVERY_PAYLOAD,
            document_text=EVERY_PAYLOAD,
        ),
        SourceFactory(title=f"Second {short()}", url=URL_PAYLOADS[1]),
    ]

    def cited(factory, **fields):
        return factory(sources=sources, **fields)

    agency = cited(
        AgencyFactory,
        name=f"Police {PAYLOADS[0]}",
        locality=short(),
        website=URL_PAYLOADS[0],
        description=EVERY_PAYLOAD,
        latitude="45.5229",
        longitude="-122.9898",
    )
    AgencyAliasFactory(agency=agency, name=f"Alias {short()}")
    world.agency_edit = f"{agency.get_absolute_url()}edit/"
    world.agency_fields = {
        "name": agency.name,
        "locality": agency.locality,
        "description": agency.description,
    }
    vendor = cited(
        VendorFactory,
        name=f"Vendor {PAYLOADS[1]}",
        website=URL_PAYLOADS[1],
        description=EVERY_PAYLOAD,
    )
    VendorAliasFactory(vendor=vendor, name=f"Alias {short()}")
    product = cited(
        ProductFactory,
        vendor=vendor,
        name=f"Product {PAYLOADS[2]}",
        description=EVERY_PAYLOAD,
        website=URL_PAYLOADS[2],
    )
    deployment = cited(DeploymentFactory, agency=agency, product=product, summary=EVERY_PAYLOAD)
    contract = cited(
        ContractFactory,
        agency=agency,
        vendor=vendor,
        title=f"Contract {PAYLOADS[3]}",
        identifier=PAYLOADS[10],
        funding_source=short(),
        summary=EVERY_PAYLOAD,
    )
    nda = cited(
        NdaFactory,
        agency=agency,
        counterparty_vendor=vendor,
        signatory=PAYLOADS[5],
        scope=EVERY_PAYLOAD,
        term=short(),
    )
    request = cited(
        RecordsRequestFactory,
        agency=agency,
        requester=PAYLOADS[6],
        subject=f"Request {PAYLOADS[7]}",
        exemptions=EVERY_PAYLOAD,
        outcome=EVERY_PAYLOAD,
        external_url=URL_PAYLOADS[0],
    )
    event = cited(
        OversightEventFactory,
        agency=agency,
        summary=EVERY_PAYLOAD,
        outcome_summary=EVERY_PAYLOAD,
        deployments=[deployment],
        contracts=[contract],
    )
    deadline = cited(ResponseDeadlineFactory, region="OR", statute=PAYLOADS[8], notes=EVERY_PAYLOAD)
    world.details += [
        (agency.get_absolute_url(), agency.name),
        (vendor.get_absolute_url(), vendor.name),
        (product.get_absolute_url(), product.name),
        (deployment.get_absolute_url(), PAYLOADS[12]),
        (contract.get_absolute_url(), contract.title),
        (nda.get_absolute_url(), nda.signatory),
        (request.get_absolute_url(), request.subject),
        (event.get_absolute_url(), PAYLOADS[9]),
        (deadline.get_absolute_url(), deadline.statute),
        (sources[0].get_absolute_url(), sources[0].title),
    ]
    for record in (agency, vendor, product, deployment, contract, nda, request, event, sources[0]):
        key = record.get_absolute_url().strip("/").split("/")
        world.urls.append(f"/{key[0]}/{key[1]}/history/")
        world.reviewer_urls.append(f"/{key[0]}/{key[1]}/edit/")

    reviewer = member_of("Reviewers", username="rita", display_name=f"Rita {PAYLOADS[4]}")
    volunteer = member_of("Volunteers", username="vera", display_name=f"Vera {PAYLOADS[1]}")
    admin = UserFactory(username="ada", is_staff=True, is_superuser=True)

    # The taxonomy, as an admin edits it.
    technology = Technology.objects.get(slug="drones")
    response = sign_in(Client(), admin).post(
        f"/admin/technologies/technology/{technology.pk}/change/",
        {"name": f"Drones {PAYLOADS[13]}", "slug": "drones", "description": EVERY_PAYLOAD},
    )
    assert response.status_code == 302, response.content[:2000]
    world.details.append(("/technologies/drones/", f"Drones {PAYLOADS[13]}"))

    # A reviewer's edit (published at once: a second version, so a diff in the history),
    # and a volunteer's edit waiting in the review queue with its diff.
    reviewing = sign_in(Client(), reviewer)
    url = f"/deployments/{deployment.pk}/edit/"
    data = edit_data(reviewing, url, summary=f"Edited {EVERY_PAYLOAD}", edit_summary=PAYLOADS[14])
    response = reviewing.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    versions = deployment.history.count()
    world.urls.append(f"/deployments/{deployment.pk}/history/?old={versions - 1}&new={versions}")
    volunteering = sign_in(Client(), volunteer)
    url = f"{agency.get_absolute_url()}edit/"
    data = edit_data(
        volunteering,
        url,
        name=f"Renamed {PAYLOADS[15]}",
        description=f"Changed {EVERY_PAYLOAD}",
        aliases=f"{PAYLOADS[16]}\n{PAYLOADS[17]}",
        edit_summary=PAYLOADS[18],
        website="",  # the form refuses the stored javascript: address
    )
    response = volunteering.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    change = ChangeRequest.objects.get(status="pending")
    world.reviewer_shows = [
        ("/review/", f"Renamed {PAYLOADS[15]}"),
        (f"/changes/{change.pk}/", f"Renamed {PAYLOADS[15]}"),
    ]

    TipFactory(
        technology_text=PAYLOADS[19],
        agency_name=PAYLOADS[20],
        locality=PAYLOADS[21],
        when=PAYLOADS[22][:40],
        description=EVERY_PAYLOAD,
        source_url=URL_PAYLOADS[0],
    )
    world.reviewer_urls += ["/submit/review/", "/changes/", "/"]

    world.urls += [f"/{kind.key}/" for kind in all_kinds() if kind.list_selector]
    world.urls += [
        "/",
        "/changes/",
        "/regions/US/OR/",
        "/agencies/transparency/",
        "/api/v1/docs/",
        *(f"/api/v1/{kind.key}/" for kind in all_kinds() if kind.list_selector),
        f"/api/v1/deployments/{deployment.pk}/",
    ]
    # Searches that find the records (their names highlighted), and payloads as the query
    # and as filter values, which pages repeat back.
    for query in ("script", "onerror", "xss", "window"):
        world.urls.append(f"/search/?{urlencode({'q': query})}")
    for text in PAYLOADS[:12] + URL_PAYLOADS:
        world.urls.append(f"/search/?{urlencode({'q': text})}")
        world.urls.append(
            "/deployments/?"
            + urlencode({"q": text, "region": text, "vendor": text, "status": text, "year": text})
        )
        world.urls.append(f"/agencies/?{urlencode({'q': text, 'kind': text, 'sort': text})}")
    world.urls.append(f"/map/?{urlencode({'technology': 'face-recognition'})}")
    world.feeds = [
        "/feeds/changes/",
        f"/feeds/agencies/{agency.slug}/",
        f"/feeds/vendors/{vendor.slug}/",
        "/feeds/technologies/drones/",
        "/feeds/regions/US/OR/",
    ]
    world.reviewer = reviewer
    return world


def check_page(page, url, problems, dialogs, must_show=None):
    dialogs.clear()
    response = page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(100)  # an onerror or ontoggle handler would have run by now
    where = f"{url} ({response.status if response else 'no response'})"
    if response is None or response.status >= 500:
        problems.append(f"{where}: server error")
    if dialogs:
        problems.append(f"{where}: dialogs {dialogs}")
    if page.evaluate("window.__xss !== undefined || window.parent.__xss !== undefined"):
        problems.append(f"{where}: window.__xss was set")
    if page.title() == "XSS":
        problems.append(f"{where}: the title was set")
    if violations := csp_violations(page):
        problems.append(f"{where}: CSP violations {violations}")
    if found := page.evaluate(FINDINGS_ON_PAGE):
        problems.append(f"{where}: {found}")
    if must_show is not None:
        shown = page.locator("body").inner_text()
        if must_show not in shown:
            problems.append(f"{where}: does not show {must_show!r} as text")


def test_no_payload_runs_anywhere_it_is_shown(page, live_server):
    world = build_world()
    problems, dialogs = [], []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    for url, text in world.details:
        check_page(page, url, problems, dialogs, must_show=text)
    for url in world.urls:
        check_page(page, url, problems, dialogs)

    # The map's popup is built by map.js from the GeoJSON's names.
    check_page(page, "/map/?technology=face-recognition", problems, dialogs)
    page.locator(".leaflet-marker-icon").first.click()
    popup = page.locator(".map-popup")
    if "Police <script>" not in popup.inner_text():
        problems.append(f"map popup: does not show the agency's name: {popup.inner_text()!r}")
    if page.evaluate("window.__xss !== undefined"):
        problems.append("map popup: window.__xss was set")

    # Feeds: XML that parses, with the payloads as text, never as elements.
    for url in world.feeds:
        response = page.request.get(url)
        body = response.text()
        try:
            root = ET.fromstring(body.encode())
        except ET.ParseError as exc:
            problems.append(f"{url}: not well-formed XML ({exc})")
            continue
        tags = {element.tag.rsplit("}", 1)[-1].lower() for element in root.iter()}
        if tags & {"script", "img", "svg", "iframe", "details", "math", "meta", "base"}:
            problems.append(f"{url}: a payload became XML elements: {sorted(tags)}")

    # As a reviewer: the review queue and a change's diff, the tip queue, the edit forms.
    sign_in_browser(page, live_server, world.reviewer)
    for url in world.reviewer_urls:
        check_page(page, url, problems, dialogs)
        if "/accounts/" in page.url:
            problems.append(f"{url}: the reviewer was sent to sign in ({page.url})")
    # An edit form gives the stored text back as the field's value, whole: escaped in the
    # attribute and the textarea, not cut at the payload's quote or closing tag.
    check_page(page, world.agency_edit, problems, dialogs)
    for field, value in world.agency_fields.items():
        if page.locator(f"#id_{field}").input_value() != value:
            problems.append(f"{world.agency_edit}: {field} is not given back whole")
    for url, text in world.reviewer_shows:
        check_page(page, url, problems, dialogs, must_show=text)

    assert problems == [], "\n".join(problems)
    assert page.js_errors == [], page.js_errors


def test_the_forms_refuse_script_addresses(client):
    """What keeps `javascript:` and `data:` addresses off every page: the forms refuse them
    (a source's address, a record's website, a tip's source), as imports do (full_clean)."""
    from apps.tips.forms import TipForm
    from tests.editing.test_agency_editing import agency_form
    from tests.editing.test_source_editing import source_form

    sign_in(client, member_of("Volunteers", username="vera"))
    for address in REFUSED_URLS:
        response = client.post("/sources/new/", source_form(url=address))
        assert response.status_code == 400, address
        assert "url" in response.context["form"].errors
        response = client.post("/agencies/new/", agency_form(website=address))
        assert response.status_code == 400, address
        assert "website" in response.context["form"].errors
        assert "source_url" in TipForm(data={"source_url": address}).errors
