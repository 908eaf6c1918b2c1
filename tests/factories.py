"""factory_boy factories for every model; tests build exactly the rows they need."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from apps.agencies.models import Agency, AgencyAlias, AgencyKind
from apps.contracts.models import Contract, Nda, ProcurementMethod
from apps.core.partial_dates import DatePrecision
from apps.deployments.models import Deployment, DeploymentStatus
from apps.oversight.models import VOTE_KINDS
from apps.sources.models import Source, SourceKind
from apps.technologies.models import Technology
from apps.vendors.models import Product, Vendor, VendorAlias


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    display_name = factory.Faker("name")
    password = factory.django.Password("correct horse battery staple")


def member_of(group_name, **kwargs):
    """A user (UserFactory's, from `kwargs`) in the role group `group_name`: "Volunteers" or
    "Reviewers", which a migration creates. Every test that needs a user in a group uses this."""
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    return user


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Records show police bought surveillance tools ({n})")
    url = factory.Sequence(lambda n: f"https://news.example.org/story-{n}")
    publisher = "Example Gazette"
    publication_date = datetime.date(2018, 5, 22)
    publication_date_precision = DatePrecision.DAY
    kind = SourceKind.NEWS


def technology(slug="face-recognition"):
    """A seeded technology (the taxonomy migration creates them)."""
    return Technology.objects.get(slug=slug)


class CitedFactory(factory.django.DjangoModelFactory):
    """Gives the record one new source unless `sources=[...]` is passed."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if not create:
            return
        self.sources.set(extracted if extracted is not None else [SourceFactory()])


class AgencyFactory(CitedFactory):
    class Meta:
        model = Agency
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Example City Police Department {n}")
    kind = AgencyKind.POLICE
    jurisdiction_level = "municipal"
    country = "US"
    region = "OR"
    locality = factory.Sequence(lambda n: f"Example City {n}")


class AgencyAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyAlias

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"ECPD {n}")


class VendorFactory(CitedFactory):
    class Meta:
        model = Vendor
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Example Vision Systems {n}")
    country = "US"
    website = factory.Sequence(lambda n: f"https://vendor{n}.example.com")


class VendorAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VendorAlias

    vendor = factory.SubFactory(VendorFactory)
    name = factory.Sequence(lambda n: f"EVS {n}")


class ProductFactory(CitedFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    vendor = factory.SubFactory(VendorFactory)
    name = factory.Sequence(lambda n: f"FaceFinder {n}")

    @factory.post_generation
    def technologies(self, create, extracted, **kwargs):
        if create:
            self.technologies.set(extracted if extracted is not None else [technology()])


class DeploymentFactory(CitedFactory):
    class Meta:
        model = Deployment
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    technology = factory.LazyFunction(technology)
    product = factory.SubFactory(ProductFactory)
    vendor = factory.SelfAttribute("product.vendor")
    status = DeploymentStatus.ACTIVE
    start_date = datetime.date(2017, 1, 1)
    start_date_precision = DatePrecision.YEAR
    summary = "The department uses the product to compare photos with its booking database."


class ContractFactory(CitedFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    vendor = factory.SubFactory(VendorFactory)
    title = factory.Sequence(lambda n: f"Face recognition subscription {n}")
    identifier = factory.Sequence(lambda n: f"PO-{n:05d}")
    procurement_method = ProcurementMethod.SOLE_SOURCE
    amount = "12000.00"
    currency = "USD"
    signed_date = datetime.date(2017, 6, 1)
    signed_date_precision = DatePrecision.MONTH


class NdaFactory(CitedFactory):
    class Meta:
        model = Nda
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    counterparty_vendor = factory.SubFactory(VendorFactory)
    counterparty_agency = None
    signed_date = datetime.date(2017, 3, 1)
    signed_date_precision = DatePrecision.MONTH
    signatory = "Sheriff"
    scope = "The vendor's pricing and the system's capabilities."
    cited_to_withhold = "yes"


class TipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tips.Tip"

    technology_text = "Face recognition"
    agency_name = factory.Sequence(lambda n: f"Example County Sheriff {n}")
    locality = "Example County"
    region = "OR"
    when = "2018"
    description = "The sheriff's office searches booking photos with a cloud face-matching tool."
    source_url = factory.Sequence(lambda n: f"https://news.example.org/tip-{n}")
    contact_email = factory.Sequence(lambda n: f"tipster{n}@private.example.net")


def _invitation_token_hash(invitation):
    from apps.accounts.models import hash_invitation_token

    return hash_invitation_token(invitation.token)


def _now():
    from django.utils import timezone

    return timezone.now()


def _invitation_expiry(invitation):
    from django.conf import settings

    return invitation.created_at + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending volunteer invitation; its link token is `token` (stored only as a hash):
    `InvitationFactory(token="abc")` makes `/accounts/invitation/abc/` work."""

    class Meta:
        model = "accounts.Invitation"

    class Params:
        token = factory.Sequence(lambda n: f"invitation-token-{n}")

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = "volunteer"
    invited_by = factory.SubFactory(UserFactory, is_staff=True)
    token_hash = factory.LazyAttribute(_invitation_token_hash)
    created_at = factory.LazyFunction(_now)
    expires_at = factory.LazyAttribute(_invitation_expiry)


class ResponseDeadlineFactory(CitedFactory):
    class Meta:
        model = "records_requests.ResponseDeadline"
        skip_postgeneration_save = True

    country = "US"
    region = factory.Iterator(["WA", "OR", "CA", "NY", "TX", "FL", "IL", "MA"])
    days = 5
    day_kind = "business"
    statute = "RCW 42.56.520"


class RecordsRequestFactory(CitedFactory):
    class Meta:
        model = "records_requests.RecordsRequest"
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    requester = "Example Civil Liberties Union"
    subject = factory.Sequence(lambda n: f"Face recognition contracts and NDAs ({n})")
    filed_date = datetime.date(2019, 3, 4)
    filed_date_precision = DatePrecision.DAY
    status = "submitted"


class OversightEventFactory(CitedFactory):
    """A council vote (5 for, 2 against) on the agency's own matter. Another `kind` gets no
    tally, and `finding=True` makes a "no public process found" finding (no tally, public
    comment unknown). `deployments=[...]`, `contracts=[...]` link what it concerns."""

    class Meta:
        model = "oversight.OversightEvent"
        skip_postgeneration_save = True

    class Params:
        finding = factory.Trait(kind="no-public-process-found", outcome="unknown")

    kind = "vote"
    agency = factory.SubFactory(AgencyFactory)
    occurred_date = datetime.date(2018, 3, 5)
    occurred_date_precision = DatePrecision.DAY
    summary = "The council voted on the police department's request to buy face recognition."
    outcome = "approved"
    yes_votes = factory.LazyAttribute(lambda event: 5 if event.kind in VOTE_KINDS else None)
    no_votes = factory.LazyAttribute(lambda event: 2 if event.kind in VOTE_KINDS else None)
    public_comment = factory.LazyAttribute(
        lambda event: "unknown" if event.kind == "no-public-process-found" else "yes"
    )

    @factory.post_generation
    def deployments(self, create, extracted, **kwargs):
        if create and extracted:
            self.deployments.set(extracted)

    @factory.post_generation
    def contracts(self, create, extracted, **kwargs):
        if create and extracted:
            self.contracts.set(extracted)


# One published record of each registered kind, by the kind's key: the tests that go over
# every kind (permissions, bad input, exports) take their records from here, and
# tests/records/test_permissions_by_kind.py fails when a registered kind has no entry.
KIND_FACTORIES = {
    "deployments": DeploymentFactory,
    "agencies": AgencyFactory,
    "vendors": VendorFactory,
    "products": ProductFactory,
    "contracts": ContractFactory,
    "ndas": NdaFactory,
    "records-requests": RecordsRequestFactory,
    "oversight": OversightEventFactory,
    "response-deadlines": ResponseDeadlineFactory,
    "sources": SourceFactory,
    "technologies": technology,
}


def authenticator_for(user):
    """The user's confirmed authenticator (TOTP device), made if there is none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test authenticator")


def sign_in(client, user):
    """`client.force_login(user)`, and for a reviewer or an admin (whose role requires
    two-factor sign-in) a confirmed authenticator and a session that has passed the code
    step, as `django_otp.login()` leaves it. Returns the client."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from apps.accounts.two_factor import two_factor_required

    client.force_login(user)
    if two_factor_required(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
        session.save()
    return client


def authenticator_code(device):
    """The code `device`'s authenticator app shows now, as a person would type it. When this
    time step's code was already used (a second sign-in within the step), the next step's,
    which the device also accepts (its tolerance is one step), or else the one after a wait."""
    import time

    from django_otp.oath import hotp

    device.refresh_from_db()
    while True:
        now = (int(time.time()) - device.t0) // device.step + device.drift
        step = max(now, device.last_t + 1)
        if step <= now + device.tolerance:
            return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"
        time.sleep(1)
