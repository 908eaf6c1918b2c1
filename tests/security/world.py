"""The records, people and tips the security tests attack, built once per module through the
site's own write path: published records from the factories, and everything else as people
make it, by posting the site's forms (a volunteer's new records and edits wait for review, a
reviewer approves, rejects and withdraws, the public sends tips).

Unreviewed text carries EMBARGO, a word no published record holds; people's email addresses
and the tipsters' addresses are the PII canaries. Display names are public by design."""

from dataclasses import dataclass, field
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

from apps.records.models import ChangeRequest
from apps.tips.models import Tip
from tests.editing.test_agency_editing import agency_form
from tests.editing.test_contract_editing import contract_form
from tests.editing.test_deployment_editing import deployment_form
from tests.editing.test_nda_editing import nda_form
from tests.editing.test_product_editing import product_form
from tests.editing.test_record_forms_editing import NEW_SOURCE, edit_data
from tests.editing.test_source_editing import source_form
from tests.editing.test_vendor_editing import vendor_form
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    InvitationFactory,
    NdaFactory,
    OversightEventFactory,
    ProductFactory,
    RecordsRequestFactory,
    ResponseDeadlineFactory,
    SourceFactory,
    UserFactory,
    VendorFactory,
    member_of,
    sign_in,
)
from tests.oversight.test_editing import event_form
from tests.records_requests.test_editing import request_form
from tests.sources.pdfs import pdf_bytes, upload
from tests.tips.test_to_deployment import form_values

# One word (letters and digits: slugs and search keep it whole) in every unreviewed text.
EMBARGO = "embargoedzq7f3a9c"
# What the searches type: a prefix of it, which finds it, so that a page repeating the query
# back does not hold the canary itself.
EMBARGO_QUERY = EMBARGO[:12]
# Another volunteer's pending record carries its own word: each volunteer sees only theirs.
OTHER_EMBARGO = "othervolpendingqx41"

VOLUNTEER_EMAIL = "canary-vol-5d21e8@example.org"
OTHER_VOLUNTEER_EMAIL = "canary-vol2-9b44c0@example.org"
REVIEWER_EMAIL = "canary-rev-31f7aa@example.org"
ADMIN_EMAIL = "canary-admin-c83e02@example.org"
TIPSTER_EMAIL = "canary-tipster-a61d5f@private.example.net"
SECOND_TIPSTER_EMAIL = "canary-tipster2-0e9b7d@private.example.net"
INVITEE_EMAIL = "canary-invitee-77ab10@example.org"
TIPSTER_IP = "198.51.100.77"
TIPSTER_FORWARDED_IP = "203.0.113.201"
TIPSTER_AGENT = "CanaryBrowser/7.3 (tipster-agent-4c1e)"
# Where the volunteer signs in from (django-axes logs sign-ins and failures by address).
VOLUNTEER_IP = "192.0.2.143"
PII = (
    VOLUNTEER_EMAIL,
    OTHER_VOLUNTEER_EMAIL,
    REVIEWER_EMAIL,
    ADMIN_EMAIL,
    INVITEE_EMAIL,
    TIPSTER_EMAIL,
    SECOND_TIPSTER_EMAIL,
    TIPSTER_IP,
    TIPSTER_FORWARDED_IP,
    TIPSTER_AGENT,
    VOLUNTEER_IP,
    # The addresses' own words, in case a page writes an address in pieces.
    "canary-vol-5d21e8",
    "canary-tipster-a61d5f",
)

INVITATION_TOKEN = "security-invitation-token"
PASSWORD = "correct horse battery staple"  # UserFactory's

ROLES = ("anonymous", "volunteer", "other_volunteer", "reviewer", "admin")


@dataclass
class World:
    users: dict
    # Published records by kind key, from the factories (the first of each kind).
    published: dict
    # Records waiting for review, one of each editable kind, made by the volunteer.
    pending: dict
    # Change requests by name: the volunteer's and another volunteer's.
    changes: dict
    tips: dict
    extra: dict = field(default_factory=dict)
    # Each role's signed-in session, made once (see signed_in).
    sessions: dict = field(default_factory=dict)

    def client(self, role):
        """A client signed in as `role` (reusing the role's session once signed_in made it),
        or anonymous."""
        client = Client()
        if role in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        elif role != "anonymous":
            sign_in(client, self.users[role])
        return client

    def signed_in(self):
        """Sign each role in once: the tests reuse the sessions (each test's changes to its
        session are rolled back with the rest)."""
        for role in self.users:
            self.sessions[role] = self.client(role).cookies[settings.SESSION_COOKIE_NAME].value


def _posted(client, url, data=None, expected=302):
    response = client.post(url, data or {})
    assert response.status_code == expected, (url, response.status_code, _errors(response))
    return response


def _errors(response):
    context = getattr(response, "context", None)
    form = context.get("form") if context else None
    return form.errors if form is not None else response.content[:500]


def _last_change():
    return ChangeRequest.objects.order_by("-pk").first()


def _source(kind):
    """The form's new source, itself carrying the canary (it is pending with the record)."""
    return {
        **NEW_SOURCE,
        "new_source_url": f"https://news.example.org/{EMBARGO}-{kind}",
        "new_source_title": f"{EMBARGO} source of the {kind}",
        "edit_summary": f"{EMBARGO} summary of the {kind}",
    }


def build_world(media_root, data_dir):
    with override_settings(
        MEDIA_ROOT=media_root, DATA_PACKAGE_DIR=data_dir, SITE_URL="http://testserver"
    ):
        return _build(data_dir)


def _build(data_dir):
    users = {
        "volunteer": member_of(
            "Volunteers",
            username="vol-author",
            display_name="Vera Author",
            email=VOLUNTEER_EMAIL,
        ),
        "other_volunteer": member_of(
            "Volunteers",
            username="vol-other",
            display_name="Otto Other",
            email=OTHER_VOLUNTEER_EMAIL,
        ),
        "reviewer": member_of(
            "Reviewers", username="rev", display_name="Rita Reviewer", email=REVIEWER_EMAIL
        ),
        "admin": UserFactory(
            username="adm",
            display_name="Ada Admin",
            email=ADMIN_EMAIL,
            is_staff=True,
            is_superuser=True,
        ),
    }
    # A failed and a real sign-in by the volunteer through the form, from their address.
    browser = Client(REMOTE_ADDR=VOLUNTEER_IP)
    _posted(browser, "/accounts/login/", {"username": "vol-author", "password": "x"}, 200)
    _posted(browser, "/accounts/login/", {"username": "vol-author", "password": PASSWORD})
    agency = AgencyFactory(
        name="Example County Sheriff", region="OR", latitude="45.52", longitude="-122.98"
    )
    vendor = VendorFactory(name="Example Vision")
    product = ProductFactory(vendor=vendor, name="Example Finder")
    deployment = DeploymentFactory(agency=agency, product=product)
    source = SourceFactory(title="A released contract", document=upload(pdf_bytes("Released")))
    published = {
        "agencies": agency,
        "vendors": vendor,
        "products": product,
        "deployments": deployment,
        "contracts": ContractFactory(agency=agency, vendor=vendor),
        "ndas": NdaFactory(agency=agency, counterparty_vendor=vendor),
        "records-requests": RecordsRequestFactory(agency=agency),
        "response-deadlines": ResponseDeadlineFactory(region="OR"),
        "oversight": OversightEventFactory(agency=agency, deployments=[deployment]),
        "sources": source,
    }
    published["technologies"] = deployment.technology
    world = World(users=users, published=published, pending={}, changes={}, tips={})
    vol = world.client("volunteer")
    reviewer = world.client("reviewer")

    # The volunteer's approved work: a new vendor and an edit, so their display name is in
    # public histories (and the vendor has two versions to compare).
    _posted(vol, "/vendors/new/", vendor_form(name="Vendor Vera Found", aliases=""))
    _posted(reviewer, f"/changes/{_last_change().pk}/approve/")
    world.extra["vera_vendor"] = _last_change().record
    url = f"/vendors/{vendor.slug}/edit/"
    _posted(vol, url, edit_data(vol, url, description="Sells face search.", edit_summary="Fix"))
    _posted(reviewer, f"/changes/{_last_change().pk}/approve/")

    # A new record of every kind edited on the site, waiting for review.
    forms = {
        "agencies": agency_form(
            name=f"Agency {EMBARGO}",
            aliases=f"{EMBARGO}alias",
            description=f"{EMBARGO} agency",
        ),
        "vendors": vendor_form(
            name=f"Vendor {EMBARGO}", aliases=f"{EMBARGO}v", description=f"{EMBARGO} vendor"
        ),
        "products": product_form(vendor, name=f"Product {EMBARGO}"),
        "deployments": deployment_form(agency, product, summary=f"{EMBARGO} deployment"),
        "contracts": contract_form(
            agency, vendor, title=f"Contract {EMBARGO}", identifier=f"PO-{EMBARGO}"
        ),
        "ndas": nda_form(agency, counterparty_vendor=vendor.name, scope=f"{EMBARGO} nda"),
        "records-requests": request_form(
            agency, subject=f"{EMBARGO} request", requester=f"{EMBARGO} requester"
        ),
        "response-deadlines": {
            "country": "us",
            "region": "wa",
            "days": "5",
            "day_kind": "business",
            "statute": f"{EMBARGO} statute",
            "notes": f"{EMBARGO} deadline",
        },
        "oversight": event_form(
            agency, summary=f"{EMBARGO} oversight", deployments=f"#{deployment.pk}"
        ),
        "sources": source_form(
            title=f"Source {EMBARGO}",
            url=f"records.example.org/{EMBARGO}",
            notes=f"{EMBARGO} notes",
            edit_summary=f"{EMBARGO} source",
        ),
    }
    for kind, data in forms.items():
        if kind != "sources":
            data = {**data, **_source(kind)}
        else:
            data = {
                **data,
                "document": upload(pdf_bytes(f"{EMBARGO} document"), name="embargo.pdf"),
            }
        _posted(vol, f"/{kind}/new/", data)
        change = _last_change()
        assert change.status == "pending" and not change.record.is_published, kind
        world.pending[kind] = change.record
        world.changes[f"new-{kind}"] = change

    # Edits of published records waiting for review.
    for kind, values in (
        ("deployments", {"summary": f"{EMBARGO} edited summary"}),
        ("agencies", {"description": f"{EMBARGO} edited agency", "aliases": f"{EMBARGO}ea"}),
    ):
        record = published[kind]
        key = getattr(record, "slug", None) or record.pk
        url = f"/{kind}/{key}/edit/"
        _posted(vol, url, edit_data(vol, url, edit_summary=f"{EMBARGO} edit", **values))
        world.changes[f"edit-{kind}"] = _last_change()
    assert world.changes["edit-deployments"].status == "pending"

    # An edit a reviewer rejected, with a reason only its author sees.
    url = f"/products/{product.slug}/edit/"
    _posted(vol, url, edit_data(vol, url, description=f"{EMBARGO} rejected", edit_summary="X"))
    rejected = _last_change()
    _posted(reviewer, f"/changes/{rejected.pk}/reject/", {"reason": f"{EMBARGO} reason"})
    world.changes["rejected"] = rejected

    # Another volunteer's change waiting for review.
    other = world.client("other_volunteer")
    _posted(
        other,
        "/sources/new/",
        source_form(title=f"Source {OTHER_EMBARGO}", url=f"x.example.org/{OTHER_EMBARGO}"),
    )
    world.changes["other-new-sources"] = _last_change()
    world.pending["other-sources"] = _last_change().record

    # A record published by a reviewer, then withdrawn: hidden again.
    _posted(
        reviewer,
        "/contracts/new/",
        # Its new source is published with it and stays so: no canary there.
        contract_form(agency, vendor, title=f"Withdrawn {EMBARGO}", identifier="PO-W"),
    )
    withdrawn = _last_change().record
    _posted(reviewer, f"/contracts/{withdrawn.pk}/withdraw/", {"reason": "Duplicate"})
    world.extra["withdrawn"] = withdrawn

    _send_tips(world, agency, product)
    world.extra["invitation"] = InvitationFactory(
        email=INVITEE_EMAIL, invited_by=users["reviewer"], token=INVITATION_TOKEN
    )
    world.extra["reviewer_invitation"] = InvitationFactory(
        email="invited-reviewer@example.org", role="reviewer", invited_by=users["admin"]
    )
    call_command("build_data_package", stdout=StringIO(), stderr=StringIO())
    assert any(data_dir.iterdir()), "the data package was not built"
    world.signed_in()
    return world


TIP = {
    "technology_text": "Face recognition",
    "technology": "",
    "locality": "Example County",
    "region": "OR",
    "when": "2017",
    "reference_code": "",
}


def _send_tips(world, agency, product):
    """An open tip carrying the canary (tips are never public) and a tip a reviewer turned
    into a published deployment; both sent with the PII canaries as contact and address."""
    public = Client(HTTP_USER_AGENT=TIPSTER_AGENT)
    tip = {
        **TIP,
        "agency_name": f"{EMBARGO} agency",
        "description": f"{EMBARGO} tip",
        "source_url": f"https://news.example.org/{EMBARGO}-tip",
        "contact_email": TIPSTER_EMAIL,
    }
    response = public.post(
        "/submit/", tip, REMOTE_ADDR=TIPSTER_IP, HTTP_X_FORWARDED_FOR=TIPSTER_FORWARDED_IP
    )
    assert response.status_code == 302, _errors(response)
    world.tips["open"] = Tip.objects.order_by("-pk").first()
    second = {
        **TIP,
        "agency_name": agency.name,
        "description": "The sheriff searches booking photos.",
        "source_url": "https://news.example.org/sheriff-tip",
        "contact_email": SECOND_TIPSTER_EMAIL,
    }
    with override_settings(TRUSTED_PROXY_COUNT=1):
        response = public.post(
            "/submit/",
            second,
            REMOTE_ADDR="192.0.2.10",
            HTTP_X_FORWARDED_FOR=f"10.0.0.1, {TIPSTER_FORWARDED_IP}",
        )
    assert response.status_code == 302, _errors(response)
    handled = Tip.objects.order_by("-pk").first()
    reviewer = world.client("reviewer")
    url = f"/deployments/new/?tip={handled.pk}"
    values = form_values(reviewer.get(url).context["form"])
    values.update(
        product=f"{product.name} [{product.slug}]",
        new_source_title="Sheriff uses face matching",
        status="active",
    )
    _posted(reviewer, url, values)
    handled.refresh_from_db()
    assert handled.status == "handled", handled.status
    world.tips["handled"] = handled
    world.extra["tip_deployment"] = _last_change().record
