"""The plan of the generated demo records: what to create, decided in memory, without the
database, and deterministic for its seed (a seeded Faker and a seeded `random.Random`).

Fictional places and companies come from Faker; sources live on reserved example domains
(news.example.org, records.example.org); every generated description or summary says it is
fictional. Every planned record has a natural key (a source's URL, an agency's, vendor's or
product's slug, a deployment's agency + technology + vendor + product + start date, a
contract's agency + vendor + title, an NDA's parties + signing date, a response deadline's
country + region, a records request's agency + requester + subject + filed date, an
oversight event's agency + kind + date), by which the writer (writer.py) finds what a
previous load created.

Plausibility: a source is never dated before what it reports (a deployment's start and end,
a contract's signing and start, an NDA's signing, a request's filing or answer, an oversight
event), and a contract is in the currency of the agency's country. Records requests go to
few agencies, some very many; a request closes after it was filed, an open one has no
closed date, and it cites only an NDA of its own agency that was cited to withhold records.
An oversight event concerns a deployment (and the contracts covering it) of its agency or
of an agency under it (a council votes on its police department's purchase), and the
process before an acquisition follows what the deployment says of public input.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import slugify
from faker import Faker

from apps.agencies.models import AgencyKind, JurisdictionLevel
from apps.contracts.models import ProcurementMethod
from apps.core.models import YesNoUnknown, region_name
from apps.core.partial_dates import DatePrecision, PartialDate
from apps.deployments.models import DeploymentStatus
from apps.oversight.models import EventKind, Outcome
from apps.records_requests.models import OPEN_STATUSES, DayKind, RequestStatus
from apps.sources.models import SourceKind

from . import DemoDataError
from .case import CASE_REGIONS

SEED = 2018
LATEST = datetime.date(2025, 5, 31)  # generated events and publications end here

# What the plan must reach (a different Faker version could plan slightly different rows).
MINIMUM = {
    "agencies": 200,
    "regions": 20,
    "vendors with products": 30,
    "deployments": 1000,
    "contracts": 150,
    "ndas": 40,
    "records requests": 250,
    "requests citing an nda": 5,
    "oversight events": 250,
    "response deadlines": 15,
}
DEPLOYMENT_COUNT = 1040
STANDALONE_CONTRACTS = 15
RENEWAL_CONTRACTS = 12
GROUP_CONTRACTS = 140
VENDOR_NDAS = 36
FEDERAL_NDAS = 8
REQUEST_COUNT = 320
REQUESTED_SHARE = 0.3  # of the agencies, the ones any request went to: most get none
MAX_REQUEST_WEIGHT = 12  # the most requested agency gets a few dozen, not half of them
OVERSIGHT_DEPLOYMENTS = 230  # deployments whose public process is researched
UNCOVERED_STATES = 3  # US states that appear but whose response deadline is not entered

# (ISO 3166-2 code, latitude and longitude of a point well inside the state, spread in degrees)
STATES = [
    ("AZ", 34.3, -111.7, 1.4, 1.4),
    ("CA", 36.8, -119.6, 1.6, 1.0),
    ("CO", 39.0, -105.5, 1.1, 2.2),
    ("FL", 28.3, -81.8, 1.2, 0.6),
    ("GA", 32.7, -83.4, 1.2, 0.9),
    ("IL", 40.0, -89.2, 1.5, 0.7),
    ("IN", 39.9, -86.3, 1.2, 0.7),
    ("MA", 42.3, -71.9, 0.2, 0.8),
    ("MD", 39.3, -76.9, 0.2, 0.5),
    ("MI", 43.3, -84.6, 0.9, 0.9),
    ("MN", 45.8, -94.3, 1.5, 1.2),
    ("MO", 38.4, -92.5, 1.1, 1.7),
    ("NC", 35.6, -79.4, 0.4, 1.8),
    ("NJ", 40.2, -74.6, 0.4, 0.2),
    ("NM", 34.4, -106.1, 1.4, 1.4),
    ("NV", 39.0, -117.0, 1.4, 0.9),
    ("NY", 42.7, -75.5, 0.6, 1.8),
    ("OH", 40.3, -82.8, 0.9, 1.2),
    ("OR", 44.0, -121.0, 1.1, 1.8),
    ("PA", 40.9, -77.6, 0.5, 1.9),
    ("TN", 35.8, -86.4, 0.3, 2.3),
    ("TX", 31.3, -99.0, 1.9, 2.4),
    ("UT", 39.4, -111.6, 1.4, 1.1),
    ("VA", 37.5, -78.5, 0.4, 1.4),
    ("WA", 47.4, -120.5, 0.8, 1.8),
    ("WI", 44.6, -89.8, 1.2, 1.1),
]

# technology slug -> product name stems
PRODUCT_STEMS = {
    "automated-license-plate-readers": ["PlateTrack", "PlateScan", "RoadLog"],
    "body-worn-cameras": ["BodyCam", "OfficerView", "Vest Camera"],
    "camera-registry": ["Camera Connect", "NeighborLink"],
    "cell-site-simulator": ["CellSim", "SignalCatcher"],
    "drones": ["SkyWatch UAS", "Hover Patrol"],
    "face-recognition": ["FaceMatch", "FaceSearch", "Identify"],
    "fusion-center": ["Intel Share", "FusionDesk"],
    "gunshot-detection": ["ShotAlert", "Acoustic Sentry"],
    "predictive-policing": ["Forecast", "HotSpot Planner"],
    "real-time-crime-center": ["Command Hub", "Live Ops"],
    "third-party-investigative-platforms": ["PeopleTrace", "Records Lens"],
    "video-analytics": ["Video Search", "Motion Insight"],
    "social-media-monitoring": ["Social Monitor", "Post Radar"],
    "mobile-device-forensics": ["PhoneExtract", "Device Unlock"],
    "aerial-surveillance": ["Wide-Area Aerial", "Persistent Eye"],
}
TECHNOLOGY_SLUGS = list(PRODUCT_STEMS)
COMPANION = {
    "automated-license-plate-readers": "video-analytics",
    "body-worn-cameras": "video-analytics",
    "camera-registry": "real-time-crime-center",
    "cell-site-simulator": "mobile-device-forensics",
    "drones": "aerial-surveillance",
    "face-recognition": "video-analytics",
    "fusion-center": "third-party-investigative-platforms",
    "gunshot-detection": "real-time-crime-center",
    "predictive-policing": "third-party-investigative-platforms",
    "real-time-crime-center": "video-analytics",
    "third-party-investigative-platforms": "social-media-monitoring",
    "video-analytics": "face-recognition",
    "social-media-monitoring": "third-party-investigative-platforms",
    "mobile-device-forensics": "third-party-investigative-platforms",
    "aerial-surveillance": "video-analytics",
}
VENDOR_SUFFIXES = {
    "automated-license-plate-readers": "Roadway Systems",
    "body-worn-cameras": "Body Camera Systems",
    "camera-registry": "Community Cameras",
    "cell-site-simulator": "Signal Systems",
    "drones": "Unmanned Systems",
    "face-recognition": "Biometrics",
    "fusion-center": "Intelligence Software",
    "gunshot-detection": "Acoustics",
    "predictive-policing": "Predictive Analytics",
    "real-time-crime-center": "Public Safety",
    "third-party-investigative-platforms": "Data Services",
    "video-analytics": "Vision Systems",
    "social-media-monitoring": "Social Insights",
    "mobile-device-forensics": "Forensics",
    "aerial-surveillance": "Aerial",
}
# what each kind of agency (mostly) deploys; None means any technology
KIND_TECHNOLOGIES = {
    AgencyKind.FUSION_CENTER: [
        "fusion-center",
        "social-media-monitoring",
        "third-party-investigative-platforms",
        "automated-license-plate-readers",
        "face-recognition",
    ],
    AgencyKind.SCHOOL_DISTRICT: ["video-analytics", "social-media-monitoring", "face-recognition"],
    AgencyKind.CAMPUS_POLICE: [
        "body-worn-cameras",
        "video-analytics",
        "automated-license-plate-readers",
        "social-media-monitoring",
    ],
    AgencyKind.TRANSIT_POLICE: ["video-analytics", "face-recognition", "body-worn-cameras"],
    AgencyKind.CITY: ["camera-registry", "real-time-crime-center", "video-analytics"],
    AgencyKind.COUNTY: ["automated-license-plate-readers", "drones", "video-analytics"],
    AgencyKind.PROSECUTOR: ["mobile-device-forensics", "third-party-investigative-platforms"],
    AgencyKind.CORRECTIONS: ["video-analytics", "mobile-device-forensics"],
    AgencyKind.PARKS: ["video-analytics", "drones"],
    AgencyKind.COURT: ["video-analytics"],
    AgencyKind.FEDERAL: [
        "cell-site-simulator",
        "aerial-surveillance",
        "face-recognition",
        "social-media-monitoring",
    ],
}
TECHNOLOGY_WEIGHTS = {
    "automated-license-plate-readers": 16,
    "body-worn-cameras": 14,
    "camera-registry": 5,
    "cell-site-simulator": 4,
    "drones": 10,
    "face-recognition": 12,
    "fusion-center": 1,
    "gunshot-detection": 6,
    "predictive-policing": 4,
    "real-time-crime-center": 5,
    "third-party-investigative-platforms": 5,
    "video-analytics": 7,
    "social-media-monitoring": 5,
    "mobile-device-forensics": 7,
    "aerial-surveillance": 2,
}
KIND_WEIGHTS = {
    AgencyKind.POLICE: 10,
    AgencyKind.SHERIFF: 9,
    AgencyKind.FUSION_CENTER: 5,
    AgencyKind.TRANSIT_POLICE: 3,
    AgencyKind.CAMPUS_POLICE: 3,
    AgencyKind.SCHOOL_DISTRICT: 2,
    AgencyKind.FEDERAL: 4,
    AgencyKind.PROSECUTOR: 1,
    AgencyKind.CORRECTIONS: 1,
    AgencyKind.PARKS: 1,
    AgencyKind.COURT: 1,
    AgencyKind.CITY: 1,
    AgencyKind.COUNTY: 1,
}
STATUS_WEIGHTS = {
    DeploymentStatus.ACTIVE: 50,
    DeploymentStatus.PILOT: 11,
    DeploymentStatus.PROPOSED: 10,
    DeploymentStatus.SUSPENDED: 6,
    DeploymentStatus.DISCONTINUED: 15,
    DeploymentStatus.BANNED: 8,
}
PROCUREMENT_WEIGHTS = {
    ProcurementMethod.COMPETITIVE_BID: 25,
    ProcurementMethod.SOLE_SOURCE: 25,
    ProcurementMethod.COOPERATIVE: 12,
    ProcurementMethod.FREE_TRIAL: 10,
    ProcurementMethod.DONATION: 5,
    ProcurementMethod.GRANT_FUNDED: 13,
    ProcurementMethod.UNKNOWN: 10,
}
# An agency pays in its own country's currency, whatever the vendor's country.
CURRENCY_BY_COUNTRY = {
    "US": "USD",
    "CA": "CAD",
    "GB": "GBP",
    "DE": "EUR",
    "FR": "EUR",
    "NL": "EUR",
    "IE": "EUR",
    "AU": "AUD",
}
SECRETIVE_TECHNOLOGIES = {
    "cell-site-simulator",
    "face-recognition",
    "automated-license-plate-readers",
    "predictive-policing",
    "social-media-monitoring",
    "third-party-investigative-platforms",
    "gunshot-detection",
    "mobile-device-forensics",
}
NEWSPAPERS = ["Herald", "Tribune", "Courier", "Ledger", "Gazette", "Sentinel", "Chronicle"]
DOCUMENT_PHRASES = [
    "records released to a local newspaper",
    "documents obtained through a public-records request",
    "city council minutes",
    "the agency's budget documents",
    "purchasing records",
]
FICTIONAL = "[Fictional demo record.]"

REQUEST_STATUS_WEIGHTS = {
    RequestStatus.FULFILLED: 22,
    RequestStatus.PARTIALLY_FULFILLED: 20,
    RequestStatus.DENIED: 12,
    RequestStatus.NO_RESPONSIVE_DOCUMENTS: 10,
    RequestStatus.ABANDONED: 6,
    RequestStatus.SUBMITTED: 4,
    RequestStatus.ACKNOWLEDGED: 6,
    RequestStatus.PROCESSING: 10,
    RequestStatus.PAYMENT_REQUIRED: 3,
    RequestStatus.APPEALING: 4,
    RequestStatus.IN_LITIGATION: 3,
}
# What an agency that withholds may cite (besides an NDA).
WITHHOLDING_STATUSES = {
    RequestStatus.DENIED,
    RequestStatus.PARTIALLY_FULFILLED,
    RequestStatus.APPEALING,
    RequestStatus.IN_LITIGATION,
}
EXEMPTIONS = [
    "records of ongoing investigations",
    "trade secrets and proprietary vendor information",
    "security and surveillance system plans",
    "information submitted in confidence",
    "personal privacy",
]
REQUEST_SUBJECTS = [
    "Contracts, invoices and non-disclosure agreements for {what}",
    "The use policy, training materials and audit logs of {what}",
    "Emails between the agency and its vendor about {what}",
    "Records of searches run with {what} in {year}",
    "Data-sharing agreements covering {what}",
]
REQUEST_OUTCOMES = {
    RequestStatus.FULFILLED: "The agency released the records asked for.",
    RequestStatus.PARTIALLY_FULFILLED: "The agency released part of the records and withheld "
    "or redacted the rest.",
    RequestStatus.DENIED: "The agency refused to release the records.",
    RequestStatus.NO_RESPONSIVE_DOCUMENTS: "The agency answered that it holds no such records.",
    RequestStatus.ABANDONED: "The requester did not pursue the request (the agency asked for "
    "a narrower scope or fees).",
    RequestStatus.PAYMENT_REQUIRED: "The agency asked for a fee before searching.",
    RequestStatus.APPEALING: "The requester appealed the agency's refusal.",
    RequestStatus.IN_LITIGATION: "The requester sued for the records.",
}
# (days, counted in) of the generated response deadlines.
DEADLINE_TERMS = [
    (3, DayKind.BUSINESS),
    (5, DayKind.BUSINESS),
    (5, DayKind.BUSINESS),
    (10, DayKind.BUSINESS),
    (10, DayKind.CALENDAR),
    (15, DayKind.BUSINESS),
    (20, DayKind.BUSINESS),
    (30, DayKind.CALENDAR),
]
# The public process before an acquisition, by what the deployment says of public input.
PROCESS_WEIGHTS = {
    YesNoUnknown.YES: {
        EventKind.VOTE: 40,
        EventKind.HEARING: 25,
        EventKind.CONSENT_AGENDA: 10,
        EventKind.COMMENT_PERIOD: 10,
        EventKind.PROPOSAL: 15,
    },
    YesNoUnknown.NO: {
        EventKind.ADMINISTRATIVE: 50,
        EventKind.NO_PUBLIC_PROCESS: 40,
        EventKind.CONSENT_AGENDA: 10,
    },
    YesNoUnknown.UNKNOWN: {
        EventKind.VOTE: 25,
        EventKind.CONSENT_AGENDA: 20,
        EventKind.ADMINISTRATIVE: 25,
        EventKind.PROPOSAL: 10,
        EventKind.HEARING: 10,
        EventKind.NO_PUBLIC_PROCESS: 10,
    },
}
# Kinds decided by the governing body (a city council, a county board) when there is one.
BODY_KINDS = {
    EventKind.VOTE,
    EventKind.CONSENT_AGENDA,
    EventKind.HEARING,
    EventKind.COMMENT_PERIOD,
    EventKind.BAN,
    EventKind.MORATORIUM,
}


@dataclass
class SourceSpec:
    url: str
    title: str
    publisher: str
    kind: str
    published: PartialDate | None
    notes: str = ""


@dataclass
class AgencySpec:
    slug: str
    name: str
    kind: str
    level: str
    region: str
    locality: str
    latitude: Decimal
    longitude: Decimal
    description: str
    country: str = "US"
    website: str = ""
    ori: str = ""
    parent: str | None = None
    aliases: list[str] = field(default_factory=list)
    pool: list[str] = field(default_factory=list)  # source URLs about the agency
    sources: list[str] = field(default_factory=list)


@dataclass
class VendorSpec:
    slug: str
    name: str
    brand: str
    country: str
    website: str
    description: str
    technology: str | None = None
    parent: str | None = None
    aliases: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@dataclass
class ProductSpec:
    slug: str
    vendor: str
    name: str
    technologies: list[str]
    description: str
    website: str
    sources: list[str] = field(default_factory=list)


@dataclass
class DeploymentSpec:
    agency: str
    technology: str
    vendor: str | None
    product: str | None
    status: str
    start: PartialDate | None
    end: PartialDate | None
    summary: str
    public_input: str
    use_policy: str
    use_policy_source: str | None
    data_sharing: str
    last_verified: datetime.date | None
    sources: list[str] = field(default_factory=list)

    @property
    def key(self):
        return (
            self.agency,
            self.technology,
            self.vendor,
            self.product,
            self.start.date if self.start else None,
        )


@dataclass
class ContractSpec:
    agency: str
    vendor: str
    title: str
    identifier: str
    method: str
    amount: Decimal | None
    currency: str
    signed: PartialDate | None
    start: PartialDate | None
    end: PartialDate | None
    funding_source: str
    summary: str
    products: list[str] = field(default_factory=list)
    deployments: list[tuple] = field(default_factory=list)  # DeploymentSpec keys
    sources: list[str] = field(default_factory=list)

    @property
    def key(self):
        return (self.agency, self.vendor, self.title)


@dataclass
class NdaSpec:
    agency: str
    vendor: str | None
    counterparty_agency: str | None
    signed: PartialDate | None
    signatory: str
    scope: str
    term: str
    cited_to_withhold: str
    sources: list[str] = field(default_factory=list)

    @property
    def key(self):
        return (self.agency, self.vendor, self.counterparty_agency, self.signed_date)

    @property
    def signed_date(self):
        return self.signed.date if self.signed else None


@dataclass
class DeadlineSpec:
    region: str
    days: int
    day_kind: str
    statute: str
    notes: str
    country: str = "US"
    sources: list[str] = field(default_factory=list)

    @property
    def key(self):
        return (self.country, self.region)


@dataclass
class RequestSpec:
    agency: str
    requester: str
    subject: str
    filed: PartialDate
    closed: PartialDate | None
    status: str
    exemptions: str
    outcome: str
    external_url: str
    ndas: list[tuple] = field(default_factory=list)  # NdaSpec keys, of the same agency
    released: list[str] = field(default_factory=list)  # source URLs, among `sources`
    sources: list[str] = field(default_factory=list)

    @property
    def key(self):
        return (self.agency, self.requester, self.subject, self.filed.date)


@dataclass
class EventSpec:
    agency: str
    kind: str
    occurred: PartialDate
    summary: str
    outcome: str
    outcome_summary: str = ""
    tally: dict = field(default_factory=dict)  # yes_votes, no_votes, abstentions, absent
    public_comment: str = YesNoUnknown.UNKNOWN
    deployments: list[tuple] = field(default_factory=list)  # DeploymentSpec keys
    contracts: list[tuple] = field(default_factory=list)  # ContractSpec keys
    sources: list[str] = field(default_factory=list)

    @property
    def key(self):
        return (self.agency, self.kind, self.occurred.date)


@dataclass
class Plan:
    sources: dict[str, SourceSpec] = field(default_factory=dict)
    agencies: list[AgencySpec] = field(default_factory=list)
    vendors: list[VendorSpec] = field(default_factory=list)
    products: list[ProductSpec] = field(default_factory=list)
    deployments: list[DeploymentSpec] = field(default_factory=list)
    contracts: list[ContractSpec] = field(default_factory=list)
    ndas: list[NdaSpec] = field(default_factory=list)
    deadlines: list[DeadlineSpec] = field(default_factory=list)
    requests: list[RequestSpec] = field(default_factory=list)
    events: list[EventSpec] = field(default_factory=list)


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _when(partial):
    """' on 20 May 2017', ' in May 2017', ' in 2017', or '' when the date is unknown."""
    if partial is None:
        return ""
    preposition = "on" if partial.precision == DatePrecision.DAY else "in"
    return f" {preposition} {partial.display}"


def _truncate(date, precision):
    if precision == DatePrecision.YEAR:
        return date.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return date.replace(day=1)
    return date


class _Generator:
    """Builds the Plan. Everything random comes from one seeded Faker and one seeded Random,
    so the same Faker version always plans the same records."""

    def __init__(self, seed=SEED):
        self.rng = random.Random(seed)  # nosec B311 # seeded demo data, not security
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.plan = Plan()
        self.counter = 0
        self.names = set()
        self.slugs = set()
        self.agencies = {}
        self.vendors = {}
        self.products = {}
        self.tech_names = {}

    # ---- helpers -----------------------------------------------------------------------------

    def next_number(self):
        self.counter += 1
        return self.counter

    def unique_slug(self, *parts):
        base = slugify(" ".join(p for p in parts if p))[:110].strip("-")
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug

    def place_name(self):
        """A fictional place: 'East Ashleyborough', 'Port Kevinmouth'."""
        while True:
            name = f"{self.fake.city_prefix()} {self.fake.first_name()}{self.fake.city_suffix()}"
            if name not in self.names:
                self.names.add(name)
                return name

    def partial(self, date, weights=(3, 4, 3)):
        precision = self.rng.choices(
            [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY], weights=weights
        )[0]
        return PartialDate(_truncate(date, precision), precision)

    def date_between(self, first, last):
        if last <= first:
            return first
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    def later(self, start, min_days, max_days, cap=LATEST):
        """A partial date `min_days`..`max_days` after `start`, never before it."""
        first = min(start.date + datetime.timedelta(days=min_days), cap)
        candidate = self.date_between(first, min(start.date + datetime.timedelta(max_days), cap))
        end = self.partial(candidate)
        if end.date < start.date:
            end = PartialDate(max(candidate, start.date), DatePrecision.DAY)
        return end

    def source(self, url, title, publisher, kind, published, notes=""):
        if url not in self.plan.sources:
            self.plan.sources[url] = SourceSpec(url, title, publisher, kind, published, notes)
        return url

    def news_source(self, locality, headline, around):
        number = self.next_number()
        published = self.date_between(around, min(around + datetime.timedelta(400), LATEST))
        paper = f"{locality} {self.rng.choice(NEWSPAPERS)}"
        url = (
            f"https://news.example.org/{published:%Y/%m}/"
            f"{slugify(headline)[:70].strip('-')}-{number}"
        )
        return self.source(
            url,
            headline,
            f"The {paper}",
            SourceKind.NEWS,
            PartialDate(published, DatePrecision.DAY),
            "Fictional news article generated for the demo data set.",
        )

    def records_source(self, what, title, around, kind=SourceKind.RECORDS_RELEASE, pub=""):
        number = self.next_number()
        published = self.date_between(around, min(around + datetime.timedelta(300), LATEST))
        precision = self.rng.choice([DatePrecision.DAY, DatePrecision.DAY, DatePrecision.MONTH])
        if _truncate(published, precision) < around:
            precision = DatePrecision.DAY  # "May 2019" would read as before 20 May 2019
        url = f"https://records.example.org/{what}/{published.year}-{number:05d}"
        return self.source(
            url,
            title,
            pub or "Example Public Records Project",
            kind,
            PartialDate(_truncate(published, precision), precision),
            "Fictional document generated for the demo data set.",
        )

    # ---- agencies ----------------------------------------------------------------------------

    def coordinates(self, state):
        _, lat, lon, dlat, dlon = state
        latitude = Decimal(f"{lat + self.rng.uniform(-dlat, dlat):.6f}")
        longitude = Decimal(f"{lon + self.rng.uniform(-dlon, dlon):.6f}")
        return latitude, longitude

    def add_agency(self, name, kind, level, region, locality, coords, parent=None):
        slug = self.unique_slug(name, region)
        spec = AgencySpec(
            slug=slug,
            name=name,
            kind=kind,
            level=level,
            region=region,
            locality=locality,
            latitude=coords[0],
            longitude=coords[1],
            parent=parent,
            description=(
                f"A fictional {AgencyKind(kind).label.lower()} generated for the demo data set; "
                f"the place, the agency and its records do not exist."
            ),
        )
        if self.rng.random() < 0.45:
            spec.website = f"https://{slug}.example.net"
        self.plan.agencies.append(spec)
        self.agencies[slug] = spec
        return spec

    def agency_sources(self, agency):
        around = datetime.date(self.rng.randint(2012, 2022), 1, 1)
        agency.pool.append(
            self.news_source(
                agency.locality,
                f"{agency.name} expands its use of surveillance technology",
                around,
            )
        )
        if self.rng.random() < 0.5:
            agency.pool.append(
                self.records_source(
                    "releases",
                    f"Purchasing and policy records released by the {agency.name}",
                    around + datetime.timedelta(days=200),
                )
            )
        if agency.website and self.rng.random() < 0.5:
            agency.pool.append(
                self.source(
                    f"{agency.website}/about",
                    f"About the {agency.name}",
                    agency.name,
                    SourceKind.GOVERNMENT_DOCUMENT,
                    None,
                    "Fictional agency web page generated for the demo data set.",
                )
            )
        agency.sources = agency.pool[: self.rng.choice([1, 1, 2])]

    def build_agencies(self):
        rng = self.rng
        ori_number = 0
        for state in STATES:
            region = state[0]
            cities = [self.place_name() for _ in range(3)]
            counties = [f"{self.place_name()} County" for _ in range(2)]
            for city in cities:
                coords = self.coordinates(state)
                parent = None
                if rng.random() < 0.5:
                    parent = self.add_agency(
                        f"City of {city}", AgencyKind.CITY, "municipal", region, city, coords
                    ).slug
                police = self.add_agency(
                    f"{city} Police Department",
                    AgencyKind.POLICE,
                    JurisdictionLevel.MUNICIPAL,
                    region,
                    city,
                    coords,
                    parent,
                )
                if rng.random() < 0.4:
                    initials = "".join(word[0] for word in city.split())
                    police.aliases.append(f"{initials}PD".upper())
                if rng.random() < 0.2:
                    police.aliases.append(f"{city} Police")
            for county in counties:
                coords = self.coordinates(state)
                parent = None
                if rng.random() < 0.4:
                    parent = self.add_agency(
                        county, AgencyKind.COUNTY, JurisdictionLevel.COUNTY, region, county, coords
                    ).slug
                sheriff = self.add_agency(
                    f"{county} Sheriff's Office",
                    AgencyKind.SHERIFF,
                    JurisdictionLevel.COUNTY,
                    region,
                    county,
                    coords,
                    parent,
                )
                if rng.random() < 0.3:
                    sheriff.aliases.append(f"{county} Sheriff")
                if rng.random() < 0.2:
                    self.add_agency(
                        f"{county} District Attorney's Office",
                        AgencyKind.PROSECUTOR,
                        JurisdictionLevel.COUNTY,
                        region,
                        county,
                        coords,
                    )
                if rng.random() < 0.08:
                    self.add_agency(
                        f"{county} Department of Corrections",
                        AgencyKind.CORRECTIONS,
                        JurisdictionLevel.COUNTY,
                        region,
                        county,
                        coords,
                    )
                if rng.random() < 0.06:
                    self.add_agency(
                        f"{county} Superior Court",
                        AgencyKind.COURT,
                        JurisdictionLevel.COUNTY,
                        region,
                        county,
                        coords,
                    )
            hub = cities[0]
            extras = [
                (0.6, f"{hub} Regional Intelligence Center", AgencyKind.FUSION_CENTER, None),
                (0.3, f"{hub} Area Transit Police", AgencyKind.TRANSIT_POLICE, "special-district"),
                (0.3, f"{hub} Unified School District", AgencyKind.SCHOOL_DISTRICT, None),
                (0.25, f"University of {hub} Police Department", AgencyKind.CAMPUS_POLICE, None),
                (0.1, f"{hub} Parks and Recreation Department", AgencyKind.PARKS, "municipal"),
            ]
            for probability, name, kind, level in extras:
                if rng.random() < probability:
                    level = (
                        level
                        or {
                            AgencyKind.FUSION_CENTER: rng.choice(["state", "regional"]),
                            AgencyKind.SCHOOL_DISTRICT: "school-district",
                            AgencyKind.CAMPUS_POLICE: "university",
                        }[kind]
                    )
                    agency = self.add_agency(
                        name, kind, level, region, hub, self.coordinates(state)
                    )
                    if kind == AgencyKind.FUSION_CENTER and rng.random() < 0.5:
                        agency.aliases.append(f"{hub} RIC")
        for name, alias in (
            ("Federal Office of Investigative Technology", "FOIT"),
            ("National Signals Assistance Administration", "NSAA"),
        ):
            agency = self.add_agency(
                name,
                AgencyKind.FEDERAL,
                JurisdictionLevel.FEDERAL,
                "DC",
                "Washington",
                (
                    Decimal(f"{38.89 + rng.uniform(-0.02, 0.02):.6f}"),
                    Decimal(f"{-77.03 + rng.uniform(-0.02, 0.02):.6f}"),
                ),
            )
            agency.aliases.append(alias)
            agency.description = (
                "A fictional federal agency generated for the demo data set; it does not exist. "
                "It stands for the federal agencies that make local police sign NDAs."
            )
        for agency in self.plan.agencies:
            police_like = agency.kind in (AgencyKind.POLICE, AgencyKind.SHERIFF)
            if police_like and rng.random() < 0.4:
                ori_number += 1
                agency.ori = f"{agency.region}DEMO{ori_number:03d}"
            self.agency_sources(agency)

    # ---- vendors and products ----------------------------------------------------------------

    def build_vendors(self):
        rng = self.rng
        specialties = TECHNOLOGY_SLUGS * 3
        rng.shuffle(specialties)
        specialties = specialties[:36]
        for index, technology in enumerate(specialties):
            while True:
                brand = f"{self.fake.last_name()}-{self.fake.last_name()}"
                name = f"{brand} {VENDOR_SUFFIXES[technology]}"
                if brand.split("-")[0] != brand.split("-")[1] and name not in self.names:
                    break
            self.names.add(name)
            country = "US"
            if index % 9 == 4:
                country = rng.choice(["CA", "GB", "DE", "IL"])
            slug = self.unique_slug(name)
            spec = VendorSpec(
                slug=slug,
                name=name,
                brand=brand,
                country=country,
                website=f"https://{slug}.example.com",
                technology=technology,
                description=(
                    f"A fictional company generated for the demo data set. It sells "
                    f"{self.tech_names[technology].lower()} products to police and other "
                    f"public agencies."
                ),
            )
            if rng.random() < 0.3:
                spec.aliases.append("".join(word[0] for word in name.replace("-", " ").split()))
            if rng.random() < 0.15:
                spec.aliases.append(f"{brand.split('-')[0]} Technologies")
            self.plan.vendors.append(spec)
            self.vendors[slug] = spec
        # A few holding companies with subsidiaries.
        subsidiaries = rng.sample(self.plan.vendors, 6)
        for pair in (subsidiaries[0:2], subsidiaries[2:4], subsidiaries[4:6]):
            while True:
                name = f"{self.fake.last_name()} Holdings"
                if name not in self.names:
                    break
            self.names.add(name)
            slug = self.unique_slug(name)
            parent = VendorSpec(
                slug=slug,
                name=name,
                brand=name.split()[0],
                country="US",
                website=f"https://{slug}.example.com",
                description=(
                    "A fictional holding company generated for the demo data set; it owns "
                    + " and ".join(vendor.name for vendor in pair)
                    + "."
                ),
            )
            self.plan.vendors.insert(0, parent)
            self.vendors[slug] = parent
            for vendor in pair:
                vendor.parent = slug
                vendor.description += f" It is a subsidiary of {name}."
        for vendor in self.plan.vendors:
            self.vendor_sources(vendor)
            if vendor.technology:
                self.build_products(vendor)
        # Roadmap notes, as the motivating case has: plans to add face recognition.
        for vendor in self.plan.vendors:
            roadmap = vendor.technology in ("body-worn-cameras", "drones", "real-time-crime-center")
            if roadmap and rng.random() < 0.6:
                vendor.description += (
                    " Roadmap notes (fictional): its sales presentations describe plans to "
                    "add face recognition to its products."
                )

    def vendor_sources(self, vendor):
        published = self.partial(datetime.date(self.rng.randint(2012, 2023), 6, 1))
        vendor.sources.append(
            self.source(
                f"{vendor.website}/law-enforcement",
                f"{vendor.name}: solutions for law enforcement",
                vendor.name,
                SourceKind.VENDOR_MATERIAL,
                published,
                "Fictional vendor web page generated for the demo data set.",
            )
        )
        if self.rng.random() < 0.4:
            when = datetime.date(self.rng.randint(2013, 2024), self.rng.randint(1, 12), 15)
            vendor.sources.append(
                self.source(
                    f"https://news.example.org/press/{vendor.slug}-{when:%Y-%m}",
                    f"{vendor.name} announces new contracts with public agencies",
                    vendor.name,
                    SourceKind.PRESS_RELEASE,
                    PartialDate(when, DatePrecision.DAY),
                    "Fictional press release generated for the demo data set.",
                )
            )

    def build_products(self, vendor):
        rng = self.rng
        count = rng.choices([1, 2, 3], weights=[4, 4, 2])[0]
        technologies = [vendor.technology, COMPANION[vendor.technology]]
        stems = set()
        for position in range(count):
            primary = technologies[0] if position == 0 else rng.choice(technologies)
            unused = [stem for stem in PRODUCT_STEMS[primary] if stem not in stems]
            if not unused:
                continue
            stem = rng.choice(unused)
            stems.add(stem)
            name = f"{vendor.brand.split('-')[0]} {stem}"
            if any(product.name == name for product in self.products.values()):
                name = f"{vendor.brand} {stem}"
            techs = [primary]
            if rng.random() < 0.4:
                other = COMPANION[primary]
                if other != primary:
                    techs.append(other)
            slug = self.unique_slug(vendor.name, name)
            product_url = f"{vendor.website}/products/{slugify(stem)}"
            spec = ProductSpec(
                slug=slug,
                vendor=vendor.slug,
                name=name,
                technologies=techs,
                website=product_url,
                description=(
                    f"A fictional {self.tech_names[primary].lower()} product generated for the "
                    f"demo data set."
                ),
                sources=[
                    self.source(
                        product_url,
                        f"{name} product overview",
                        vendor.name,
                        SourceKind.VENDOR_MATERIAL,
                        None,
                        "Fictional product page generated for the demo data set.",
                    )
                ],
            )
            self.plan.products.append(spec)
            self.products[slug] = spec

    # ---- deployments -------------------------------------------------------------------------

    def build_reports(self):
        self.reports = []
        for number, (title, year) in enumerate(
            [
                ("Surveillance technology in American policing: a survey", 2016),
                ("Unchecked: how police acquire surveillance tools without a vote", 2018),
                ("License plate readers and the data they share", 2019),
                ("Face recognition in local law enforcement", 2020),
                ("The secret agreements behind police technology", 2021),
                ("Drones over our cities: a national review", 2023),
            ],
            start=1,
        ):
            self.reports.append(
                self.source(
                    f"https://reports.example.org/{year}/report-{number}",
                    title,
                    "Example Civil Liberties Institute",
                    SourceKind.REPORT,
                    PartialDate(datetime.date(year, self.rng.randint(1, 12), 1), "month"),
                    "Fictional report generated for the demo data set.",
                )
            )

    def describe(self, technology, vendor, product):
        tech = self.tech_names[technology].lower()
        if product:
            return f"{self.products[product].name} ({tech})"
        if vendor:
            return f"{tech} from {self.vendors[vendor].name}"
        return f"{tech} from a vendor the records do not name"

    def deployment_summary(self, spec, agency):
        rng = self.rng
        what = self.describe(spec.technology, spec.vendor, spec.product)
        doc = rng.choice(DOCUMENT_PHRASES)
        began = _when(spec.start)
        ended = _when(spec.end)
        since = f" since {spec.start.display}" if spec.start else ""
        used = f"{agency.name} used {what}"
        if spec.start:
            used += f" from {spec.start.display}"
        text = {
            DeploymentStatus.ACTIVE: f"According to {doc}, the {agency.name} has used {what}"
            f"{since}.",
            DeploymentStatus.PILOT: f"The {agency.name} began a trial of {what}{began}, "
            f"according to {doc}.",
            DeploymentStatus.PROPOSED: f"The {agency.name} proposed acquiring {what}{began}; "
            f"{doc} show no final decision.",
            DeploymentStatus.SUSPENDED: f"The {used} and suspended it{ended} pending a review, "
            f"according to {doc}.",
            DeploymentStatus.DISCONTINUED: f"The {used} and stopped{ended}, when the contract "
            f"was not renewed, according to {doc}.",
            DeploymentStatus.BANNED: f"The {used}; a local ordinance banned its use{ended}.",
        }[spec.status]
        if spec.public_input == YesNoUnknown.NO:
            text += " No public hearing was held before it was acquired."
        elif spec.public_input == YesNoUnknown.YES:
            text += " The governing body took public comment before approving it."
        if spec.data_sharing == YesNoUnknown.YES:
            text += " Data is shared with neighbouring and federal agencies."
        return f"{text} {FICTIONAL}"

    def pick_vendor_product(self, technology):
        rng = self.rng
        products = [p for p in self.plan.products if technology in p.technologies]
        vendors = sorted({p.vendor for p in products})
        roll = rng.random()
        if products and roll < 0.8:
            product = rng.choice(products)
            return product.vendor, product.slug
        if vendors and roll < 0.93:
            return rng.choice(vendors), None
        return None, None

    def build_deployments(self):
        rng = self.rng
        candidates = [a for a in self.plan.agencies if a.kind in KIND_WEIGHTS]
        weights = [KIND_WEIGHTS[a.kind] for a in candidates]
        seen = set()
        attempts = 0
        while len(self.plan.deployments) < DEPLOYMENT_COUNT:
            attempts += 1
            if attempts > DEPLOYMENT_COUNT * 5:
                raise DemoDataError("Could not plan enough distinct deployments.")
            agency = rng.choices(candidates, weights=weights)[0]
            choices = KIND_TECHNOLOGIES.get(agency.kind)
            technology = rng.choice(choices) if choices else _weighted(rng, TECHNOLOGY_WEIGHTS)
            vendor, product = self.pick_vendor_product(technology)
            status = _weighted(rng, STATUS_WEIGHTS)
            start = None
            if rng.random() > 0.07:
                first = datetime.date(2008, 1, 1)
                last = datetime.date(2024, 6, 30)
                if status in (DeploymentStatus.PROPOSED, DeploymentStatus.PILOT):
                    first = datetime.date(2016, 1, 1)
                start = self.partial(self.date_between(first, last))
            end = None
            if status in (
                DeploymentStatus.SUSPENDED,
                DeploymentStatus.DISCONTINUED,
                DeploymentStatus.BANNED,
            ) and (start is None or start.date < datetime.date(2024, 1, 1)):
                if start is not None:
                    end = self.later(start, 90, 365 * 5)
                elif rng.random() < 0.5:
                    end = self.partial(self.date_between(datetime.date(2015, 1, 1), LATEST))
            use_policy = _weighted(rng, {"yes": 30, "no": 25, "unknown": 45})
            spec = DeploymentSpec(
                agency=agency.slug,
                technology=technology,
                vendor=vendor,
                product=product,
                status=status,
                start=start,
                end=end,
                summary="",
                public_input=_weighted(rng, {"yes": 20, "no": 35, "unknown": 45}),
                use_policy=use_policy,
                use_policy_source=None,
                data_sharing=_weighted(rng, {"yes": 25, "no": 15, "unknown": 60}),
                last_verified=(
                    self.date_between(datetime.date(2022, 1, 1), datetime.date(2025, 3, 31))
                    if rng.random() < 0.6
                    else None
                ),
            )
            if spec.key in seen:
                continue
            seen.add(spec.key)
            spec.summary = self.deployment_summary(spec, agency)
            self.deployment_sources(spec, agency)
            self.plan.deployments.append(spec)

    def dated_from(self, urls, first, *, undated=True):
        """The sources among `urls` not dated before `first` (and the undated ones)."""
        if first is None:
            return list(urls)
        published = [(url, self.plan.sources[url].published) for url in urls]
        return [url for url, date in published if (date.date >= first if date else undated)]

    def deployment_sources(self, spec, agency):
        rng = self.rng
        start = spec.start.date if spec.start else None
        around = start or datetime.date(2019, 1, 1)
        tech = self.tech_names[spec.technology]
        # A source never predates what it reports: the agency's own sources only when they
        # are not older than the deployment, otherwise a news story from its start.
        pool = self.dated_from(agency.pool, start)
        if pool:
            sources = [rng.choice(pool)]
        else:
            sources = [
                self.news_source(agency.locality, f"{agency.name} turns to {tech.lower()}", around)
            ]
        if rng.random() < 0.5:
            if spec.status in (DeploymentStatus.BANNED, DeploymentStatus.SUSPENDED) and spec.end:
                around = spec.end.date
                if rng.random() < 0.5:
                    sources.append(
                        self.records_source(
                            "court",
                            f"Complaint over the {agency.name}'s use of {tech.lower()}",
                            around,
                            kind=SourceKind.COURT_FILING,
                            pub="Example County Superior Court",
                        )
                    )
                else:
                    sources.append(
                        self.records_source(
                            "ordinances",
                            f"{agency.locality} ordinance on surveillance technology",
                            around,
                            kind=SourceKind.GOVERNMENT_DOCUMENT,
                            pub=f"{agency.locality} City Clerk",
                        )
                    )
            elif rng.random() < 0.5:
                sources.append(
                    self.news_source(
                        agency.locality, f"{agency.name} turns to {tech.lower()}", around
                    )
                )
            else:
                sources.append(
                    self.records_source(
                        "releases",
                        f"{tech} records released by the {agency.name}",
                        around,
                    )
                )
        reports = self.dated_from(self.reports, start)
        if reports and rng.random() < 0.1:
            sources.append(rng.choice(reports))
        if spec.end and not self.dated_from(sources, spec.end.date, undated=False):
            # The end (a ban, a suspension, a lapsed contract) is reported after it happened.
            sources.append(
                self.news_source(
                    agency.locality,
                    f"{agency.name} stops using {tech.lower()}",
                    spec.end.date,
                )
            )
        spec.sources = list(dict.fromkeys(sources))
        if spec.use_policy != YesNoUnknown.UNKNOWN and rng.random() < 0.5:
            if spec.use_policy == YesNoUnknown.YES:
                spec.use_policy_source = self.records_source(
                    "policies",
                    f"{agency.name} policy: {tech}",
                    around,
                    kind=SourceKind.GOVERNMENT_DOCUMENT,
                    pub=agency.name,
                )
                spec.sources.append(spec.use_policy_source)
            else:
                spec.use_policy_source = spec.sources[0]

    # ---- contracts ---------------------------------------------------------------------------

    def contract_amount(self, method):
        rng = self.rng
        if method in (ProcurementMethod.FREE_TRIAL, ProcurementMethod.DONATION):
            return Decimal("0.00")
        if rng.random() < 0.15:
            return None
        value = 10 ** rng.uniform(3.4, 6.4)
        step = 50 if value < 20_000 else 500
        return Decimal(int(value // step * step)).quantize(Decimal("0.01"))

    def build_contract(self, agency, vendor, deployments, year_offset=0, number=0):
        rng = self.rng
        method = _weighted(rng, PROCUREMENT_WEIGHTS)
        technology = deployments[0].technology if deployments else vendor.technology
        anchor_start = deployments[0].start if deployments else None
        if anchor_start is None:
            anchor = self.date_between(datetime.date(2012, 1, 1), datetime.date(2024, 6, 1))
        else:
            anchor = anchor_start.date
        if year_offset:
            year = min(anchor.year + year_offset, LATEST.year)
            anchor = anchor.replace(year=year, day=min(anchor.day, 28))
        anchor = min(anchor, LATEST)
        start = self.partial(anchor)
        signed = None
        if rng.random() < 0.85:
            signed = self.partial(anchor - datetime.timedelta(days=rng.randint(0, 90)))
        end = None
        if method == ProcurementMethod.FREE_TRIAL:
            end = self.later(start, 30, 180, cap=datetime.date(2026, 12, 31))
        elif rng.random() < 0.6:
            end = self.later(start, 365, 365 * 5, cap=datetime.date(2029, 12, 31))
        products = list(dict.fromkeys(d.product for d in deployments if d.product))
        if not deployments:
            vendor_products = [p.slug for p in self.plan.products if p.vendor == vendor.slug]
            products = vendor_products[:1]
        tech = self.tech_names[technology] if technology else "Surveillance technology"
        kind_of = {
            ProcurementMethod.FREE_TRIAL: "no-cost trial",
            ProcurementMethod.DONATION: "donation agreement",
            ProcurementMethod.GRANT_FUNDED: "grant-funded purchase",
        }.get(method, rng.choice(["service agreement", "purchase", "subscription", "license"]))
        title = f"{tech} {kind_of} ({start.date.year})"
        if year_offset:
            title = f"{tech} renewal ({start.date.year})"
        identifier = ""
        if rng.random() < 0.75:
            identifier = rng.choice(
                [
                    f"PO-{start.date.year}-{number:05d}",
                    f"C{number:06d}",
                    f"{agency.region}-{start.date.year}-{number:03d}",
                ]
            )
        amount = self.contract_amount(method)
        funding = ""
        if method == ProcurementMethod.GRANT_FUNDED:
            funding = rng.choice(
                [
                    "Federal public-safety grant",
                    "State homeland security grant",
                    "Federal justice assistance grant",
                ]
            )
        elif rng.random() < 0.3:
            funding = rng.choice(["General fund", "Asset forfeiture fund", "Capital budget"])
        currency = CURRENCY_BY_COUNTRY[agency.country]
        if method == ProcurementMethod.FREE_TRIAL:
            summary = f"{vendor.name} provided {tech.lower()} to the {agency.name} at no cost "
            summary += "for a trial period."
        elif method == ProcurementMethod.DONATION:
            summary = f"{tech} donated to the {agency.name} by {vendor.name}."
        elif amount is None:
            summary = f"The {agency.name} bought {tech.lower()} from {vendor.name}; the price "
            summary += "was redacted from the released copy."
        else:
            summary = f"The {agency.name} agreed to pay {vendor.name} {amount:,.2f} {currency} "
            summary += f"for {tech.lower()}."
        spec = ContractSpec(
            agency=agency.slug,
            vendor=vendor.slug,
            title=title,
            identifier=identifier,
            method=method,
            amount=amount,
            currency=currency,
            signed=signed,
            start=start,
            end=end,
            funding_source=funding,
            summary=f"{summary} {FICTIONAL}",
            products=products,
            deployments=[d.key for d in deployments],
        )
        spec.sources = [
            self.records_source(
                "contracts",
                f"Contract between the {agency.name} and {vendor.name}",
                (signed or start).date,
            )
        ]
        reported = (
            self.dated_from(deployments[0].sources, (signed or start).date) if deployments else []
        )
        if reported and rng.random() < 0.4:
            spec.sources.append(rng.choice(reported))
        spec.sources = list(dict.fromkeys(spec.sources))
        return spec

    def build_contracts(self):
        rng = self.rng
        groups = defaultdict(list)
        for deployment in self.plan.deployments:
            if deployment.vendor:
                groups[(deployment.agency, deployment.vendor, deployment.technology)].append(
                    deployment
                )
        chosen = rng.sample(sorted(groups), GROUP_CONTRACTS)
        seen = set()
        number = 0

        def add(spec):
            if spec.key not in seen:
                seen.add(spec.key)
                self.plan.contracts.append(spec)

        for key in chosen:
            number += 1
            agency, vendor, _ = key
            deployments = sorted(groups[key], key=lambda d: d.start.date if d.start else LATEST)
            add(
                self.build_contract(
                    self.agencies[agency], self.vendors[vendor], deployments, number=number
                )
            )
        for key in chosen[:RENEWAL_CONTRACTS]:
            number += 1
            agency, vendor, _ = key
            add(
                self.build_contract(
                    self.agencies[agency],
                    self.vendors[vendor],
                    groups[key][:1],
                    year_offset=rng.randint(2, 4),
                    number=number,
                )
            )
        buyers = [
            a
            for a in self.plan.agencies
            if a.kind in (AgencyKind.POLICE, AgencyKind.SHERIFF, AgencyKind.CITY)
        ]
        product_vendors = [v for v in self.plan.vendors if v.technology]
        for _ in range(STANDALONE_CONTRACTS):
            number += 1
            add(
                self.build_contract(
                    rng.choice(buyers), rng.choice(product_vendors), [], number=number
                )
            )

    # ---- NDAs --------------------------------------------------------------------------------

    def build_ndas(self):
        rng = self.rng
        pairs = {}
        for deployment in self.plan.deployments:
            if deployment.vendor and deployment.technology in SECRETIVE_TECHNOLOGIES:
                pairs.setdefault((deployment.agency, deployment.vendor), deployment)
        chosen = rng.sample(sorted(pairs), VENDOR_NDAS)
        for agency_slug, vendor_slug in chosen:
            deployment = pairs[(agency_slug, vendor_slug)]
            agency, vendor = self.agencies[agency_slug], self.vendors[vendor_slug]
            tech = self.tech_names[deployment.technology].lower()
            self.add_nda(
                agency,
                deployment,
                vendor=vendor_slug,
                scope=rng.choice(
                    [
                        f"The prices {vendor.name} charges and the capabilities of its {tech} "
                        f"system.",
                        f"Technical details of the {tech} system and any information about "
                        f"how it is used.",
                        f"Everything {vendor.name} marks as confidential, including training "
                        f"materials for the {tech} system.",
                    ]
                ),
                title=f"Non-disclosure agreement between the {agency.name} and {vendor.name}",
            )
        federal = [a for a in self.plan.agencies if a.kind == AgencyKind.FEDERAL]
        local = [
            d
            for d in self.plan.deployments
            if d.technology in ("cell-site-simulator", "face-recognition")
            and self.agencies[d.agency].kind in (AgencyKind.POLICE, AgencyKind.SHERIFF)
        ]
        used = set()
        for deployment in rng.sample(local, len(local)):
            if len(used) >= FEDERAL_NDAS:
                break
            if deployment.agency in used:
                continue
            used.add(deployment.agency)
            agency = self.agencies[deployment.agency]
            counterparty = rng.choice(federal)
            tech = self.tech_names[deployment.technology].lower()
            self.add_nda(
                agency,
                deployment,
                counterparty_agency=counterparty.slug,
                scope=(
                    f"Any information about the {tech} equipment and its use, including in "
                    f"court filings and in answers to public-records requests, without the "
                    f"{counterparty.name}'s consent."
                ),
                title=f"Non-disclosure agreement between the {agency.name} and the "
                f"{counterparty.name}",
            )

    def add_nda(self, agency, deployment, *, scope, title, vendor=None, counterparty_agency=None):
        rng = self.rng
        signed = None
        if rng.random() < 0.85:
            anchor = deployment.start.date if deployment.start else datetime.date(2016, 6, 1)
            signed = self.partial(anchor - datetime.timedelta(days=rng.randint(0, 120)))
        cited = _weighted(rng, {"yes": 35, "no": 20, "unknown": 45})
        signatory = {
            AgencyKind.SHERIFF: ["Sheriff", "Undersheriff", "County Counsel"],
            AgencyKind.POLICE: ["Chief of Police", "Deputy Chief, Investigations", "City Manager"],
        }.get(agency.kind, ["Director", "General Counsel"])
        when = (signed.date if signed else datetime.date(2017, 1, 1)) + datetime.timedelta(30)
        sources = [self.records_source("ndas", title, min(when, LATEST))]
        if cited == YesNoUnknown.YES and rng.random() < 0.6:
            sources.append(
                self.news_source(
                    agency.locality,
                    f"{agency.name} cites secrecy agreement to withhold surveillance records",
                    min(when + datetime.timedelta(days=200), LATEST),
                )
            )
        if cited == YesNoUnknown.YES:
            scope += " The agency cited it to withhold records."
        scope = f"{scope} {FICTIONAL}"
        self.plan.ndas.append(
            NdaSpec(
                agency=agency.slug,
                vendor=vendor,
                counterparty_agency=counterparty_agency,
                signed=signed,
                signatory=rng.choice(signatory),
                scope=scope,
                term=rng.choice(
                    ["indefinite", "5 years", "3 years after the contract ends", "", ""]
                ),
                cited_to_withhold=cited,
                sources=sources,
            )
        )

    # ---- response deadlines ------------------------------------------------------------------

    def build_deadlines(self):
        """One deadline per US state that appears, but a few (their requests show no due
        date) and those the motivating case writes (case.py)."""
        rng = self.rng
        regions = sorted({a.region for a in self.plan.agencies if a.country == "US"} - CASE_REGIONS)
        for region in sorted(set(regions) - set(rng.sample(regions, UNCOVERED_STATES))):
            state = region_name("US", region)
            days, day_kind = rng.choice(DEADLINE_TERMS)
            law = "Freedom of Information Act" if region == "DC" else "public records act"
            unit = "business" if day_kind == DayKind.BUSINESS else "calendar"
            self.plan.deadlines.append(
                DeadlineSpec(
                    region=region,
                    days=days,
                    day_kind=day_kind,
                    statute=f"{state} {law}, § {rng.randint(1, 99)}-{rng.randint(100, 999)} "
                    f"(demo citation)",
                    notes=f"The agency answers within {days} {unit} days of receiving the "
                    f"request, or says why it needs longer. {FICTIONAL}",
                    sources=[
                        self.records_source(
                            "statutes",
                            f"{state} {law}: response times",
                            datetime.date(rng.randint(2005, 2015), 1, 1),
                            kind=SourceKind.GOVERNMENT_DOCUMENT,
                        )
                    ],
                )
            )

    # ---- records requests --------------------------------------------------------------------

    def requesters(self):
        """Who files: people, organisations, and (added per agency) local newspapers."""
        people = [self.fake.name() for _ in range(25)]
        groups = [
            "Example Civil Liberties Institute",
            "Example Open Government Coalition",
            "Example Records Desk",
            "Students for Example Transparency",
        ]
        return people, groups

    def request_weights(self):
        """{agency slug: weight}: most agencies get no request, a few very many (a Pareto
        weight), and an agency that cited an NDA to withhold records is always asked."""
        rng = self.rng
        cited = {n.agency for n in self.plan.ndas if n.cited_to_withhold == YesNoUnknown.YES}
        weights = {}
        for agency in self.plan.agencies:
            if agency.slug in cited or rng.random() < REQUESTED_SHARE:
                weight = min(rng.paretovariate(1.3), MAX_REQUEST_WEIGHT)
                weights[agency.slug] = weight + (2 if agency.slug in cited else 0)
        return weights

    def build_requests(self):
        rng = self.rng
        people, groups = self.requesters()
        weights = self.request_weights()
        slugs = list(weights)
        by_agency = defaultdict(list)
        for deployment in self.plan.deployments:
            by_agency[deployment.agency].append(deployment)
        citable = defaultdict(list)
        for nda in self.plan.ndas:
            if nda.cited_to_withhold == YesNoUnknown.YES:
                citable[nda.agency].append(nda)
        seen = set()
        while len(self.plan.requests) < REQUEST_COUNT:
            agency = self.agencies[rng.choices(slugs, weights=[weights[s] for s in slugs])[0]]
            spec = self.build_request(agency, by_agency[agency.slug], citable[agency.slug])
            spec.requester = rng.choices(
                [
                    rng.choice(people),
                    rng.choice(groups),
                    f"The {agency.locality} {rng.choice(NEWSPAPERS)}",
                ],
                weights=[4, 4, 3],
            )[0]
            if spec.key not in seen:
                seen.add(spec.key)
                self.plan.requests.append(spec)

    def build_request(self, agency, deployments, ndas):
        rng = self.rng
        deployment = rng.choice(deployments) if deployments else None
        first = datetime.date(2014, 1, 1)
        if deployment is not None:
            what = self.describe(deployment.technology, deployment.vendor, deployment.product)
            if deployment.start:
                first = max(first, deployment.start.date + datetime.timedelta(days=30))
        else:
            what = "surveillance technology"
        status = _weighted(rng, REQUEST_STATUS_WEIGHTS)
        is_open = status in OPEN_STATUSES
        if is_open:  # still waiting: filed in the last two years, most of them
            first = max(first, LATEST - datetime.timedelta(days=rng.choice([150, 700, 2000])))
        filed = self.partial(
            self.date_between(min(first, LATEST), LATEST - datetime.timedelta(days=5)),
            weights=(0, 15, 85),
        )
        closed = None
        if not is_open and (status != RequestStatus.ABANDONED or rng.random() < 0.5):
            closed = self.later(filed, 3, rng.choice([30, 90, 400]))
        exemptions, cited = "", []
        if status in WITHHOLDING_STATUSES:
            exemptions = (
                f"{region_name(agency.country, agency.region)} public records act: "
                f"{' and '.join(rng.sample(EXEMPTIONS, rng.choice([1, 1, 2])))} "
                f"(demo citation)"
            )
            if ndas and rng.random() < 0.6:
                nda = rng.choice(ndas)
                cited = [nda.key]
                exemptions += "; the agency's non-disclosure agreement"
        outcome = REQUEST_OUTCOMES.get(status, "")
        if cited:
            outcome += " It cited its non-disclosure agreement to withhold records."
        subject = rng.choice(REQUEST_SUBJECTS).format(what=what, year=filed.date.year - 1)
        spec = RequestSpec(
            agency=agency.slug,
            requester="",
            subject=subject[:1].upper() + subject[1:],
            filed=filed,
            closed=closed,
            status=status,
            exemptions=exemptions,
            outcome=f"{outcome} {FICTIONAL}".strip(),
            external_url="",
            ndas=cited,
        )
        number = self.next_number()
        if rng.random() < 0.5:
            spec.external_url = f"https://requests.example.org/{agency.slug}/{number}"
        spec.sources = [
            self.records_source(
                "requests",
                f"Public-records request to the {agency.name}",
                filed.date,
                kind=SourceKind.OTHER,
            )
        ]
        released = status in (RequestStatus.FULFILLED, RequestStatus.PARTIALLY_FULFILLED)
        if released and rng.random() < 0.7:
            spec.released = [
                self.records_source(
                    "releases",
                    f"Records released by the {agency.name}: {what}",
                    (closed or filed).date,
                )
            ]
            spec.sources += spec.released
        return spec

    # ---- oversight events --------------------------------------------------------------------

    def build_events(self):
        rng = self.rng
        contracts = defaultdict(list)
        for contract in self.plan.contracts:
            for key in contract.deployments:
                contracts[key].append(contract.key)
        seen = set()
        for deployment in rng.sample(self.plan.deployments, OVERSIGHT_DEPLOYMENTS):
            for spec in self.deployment_events(deployment, contracts[deployment.key]):
                if spec.key not in seen:
                    seen.add(spec.key)
                    self.plan.events.append(spec)

    def deployment_events(self, deployment, contracts):
        """The public process of one deployment: how it was acquired (or the finding that
        nothing public was), then now and then a use policy, a ban, a report or a lawsuit."""
        rng = self.rng
        anchor = deployment.start.date if deployment.start else None
        acquired = anchor or self.date_between(datetime.date(2015, 1, 1), datetime.date(2024, 1, 1))
        kind = _weighted(rng, PROCESS_WEIGHTS[deployment.public_input])
        if kind == EventKind.NO_PUBLIC_PROCESS:  # dated by the research, after the fact
            when = self.date_between(acquired + datetime.timedelta(days=30), LATEST)
        else:
            when = acquired - datetime.timedelta(days=rng.randint(7, 150))
        yield self.event(deployment, contracts, kind, min(when, LATEST))
        later = [
            (
                deployment.use_policy == YesNoUnknown.YES and rng.random() < 0.4,
                EventKind.USE_POLICY,
            ),
            (rng.random() < 0.06, rng.choice([EventKind.AUDIT, EventKind.ANNUAL_REPORT])),
            (rng.random() < 0.03, EventKind.IMPACT_REPORT),
            (rng.random() < 0.03, EventKind.LAWSUIT),
        ]
        for wanted, kind in later:
            if wanted and acquired < LATEST - datetime.timedelta(days=60):
                when = self.date_between(acquired + datetime.timedelta(days=30), LATEST)
                yield self.event(deployment, contracts, kind, when)
        if deployment.end and deployment.status in (
            DeploymentStatus.BANNED,
            DeploymentStatus.SUSPENDED,
        ):
            kind = (
                EventKind.BAN
                if deployment.status == DeploymentStatus.BANNED
                else EventKind.MORATORIUM
            )
            yield self.event(deployment, contracts, kind, deployment.end.date)

    def tally(self, kind, approved):
        rng = self.rng
        size = rng.choice([5, 7, 7, 9, 11])
        absent = rng.choice([0, 0, 0, 1])
        present = size - absent
        if kind == EventKind.CONSENT_AGENDA:
            return {"yes_votes": present, "no_votes": 0, "abstentions": 0, "absent": absent}
        majority = present // 2 + 1
        yes = rng.randint(majority, present) if approved else rng.randint(0, majority - 1)
        abstentions = rng.choice([0, 0, 1]) if present - yes > 0 else 0
        tally = {"yes_votes": yes, "no_votes": present - yes - abstentions}
        tally.update(abstentions=abstentions, absent=absent)
        return tally

    def event(self, deployment, contracts, kind, when):
        rng = self.rng
        agency = self.agencies[deployment.agency]
        body, held_by = agency, f"the {agency.name}"
        if kind in BODY_KINDS:  # an agency does not vote on itself: the body above it does
            held_by = f"the governing body of the {agency.name}"
        if kind in BODY_KINDS and agency.parent:
            body = self.agencies[agency.parent]
            held_by = {
                AgencyKind.CITY: f"the {body.locality} City Council",
                AgencyKind.COUNTY: f"the {body.name} Board of Commissioners",
            }.get(body.kind, f"the {body.name}")
        held_by = held_by[:1].upper() + held_by[1:]
        for_whom = f" for the {agency.name}" if body is not agency else ""
        what = self.describe(deployment.technology, deployment.vendor, deployment.product)
        occurred = self.partial(when, weights=(1, 2, 7))
        spec = EventSpec(
            agency=body.slug,
            kind=kind,
            occurred=occurred,
            summary="",
            outcome=Outcome.UNKNOWN,
            deployments=[deployment.key],
            contracts=contracts,
        )
        minutes = False
        if kind in (EventKind.VOTE, EventKind.CONSENT_AGENDA):
            approved = kind == EventKind.CONSENT_AGENDA or not (
                deployment.status in (DeploymentStatus.PROPOSED, DeploymentStatus.BANNED)
                and rng.random() < 0.5
            )
            spec.outcome = Outcome.APPROVED if approved else Outcome.REJECTED
            spec.tally = self.tally(kind, approved) if rng.random() < 0.9 else {}
            spec.public_comment = (
                YesNoUnknown.NO
                if kind == EventKind.CONSENT_AGENDA
                else _weighted(rng, {"yes": 60, "no": 15, "unknown": 25})
            )
            spec.summary = (
                f"{held_by} voted on acquiring {what}{for_whom}."
                if kind == EventKind.VOTE
                else f"{held_by} approved acquiring {what}{for_whom} on its "
                f"consent agenda, with the other routine items, without discussion."
            )
            minutes = True
        elif kind in (EventKind.HEARING, EventKind.COMMENT_PERIOD):
            spec.public_comment = YesNoUnknown.YES
            spec.summary = f"{held_by} took public comment on {what}{for_whom}."
            minutes = True
        elif kind == EventKind.PROPOSAL:
            spec.outcome = rng.choice([Outcome.APPROVED, Outcome.PENDING, Outcome.WITHDRAWN])
            spec.summary = f"The {agency.name} proposed acquiring {what}."
        elif kind == EventKind.ADMINISTRATIVE:
            spec.outcome = Outcome.APPROVED
            spec.public_comment = YesNoUnknown.NO
            spec.summary = (
                f"{rng.choice(['The chief', 'The purchasing office', 'The city manager'])} "
                f"approved acquiring {what} for the {agency.name}, under the limit that needs "
                f"no vote of the governing body."
            )
        elif kind == EventKind.NO_PUBLIC_PROCESS:
            spec.summary = (
                f"Agendas, minutes and purchasing records of the {agency.name} and its "
                f"governing body were searched for any public process on {what}: none was found."
            )
        elif kind in (EventKind.BAN, EventKind.MORATORIUM, EventKind.USE_POLICY):
            spec.outcome = Outcome.ADOPTED
            spec.summary = {
                EventKind.BAN: f"{held_by} banned the use of {what}.",
                EventKind.MORATORIUM: f"{held_by} suspended the use of {what} pending a review.",
                EventKind.USE_POLICY: f"The {agency.name} adopted a written policy on {what}.",
            }[kind]
            minutes = kind != EventKind.USE_POLICY
        elif kind == EventKind.LAWSUIT:
            spec.outcome = rng.choice([Outcome.PENDING, Outcome.SETTLED])
            spec.summary = f"Residents sued the {agency.name} over its use of {what}."
        else:
            spec.summary = f"The {agency.name} published a {kind.label.lower()} on {what}."
        spec.summary = f"{spec.summary} {FICTIONAL}"
        if minutes:
            source = self.records_source(
                "minutes",
                f"{body.name}: minutes, {occurred.display}",
                when,
                kind=SourceKind.GOVERNMENT_DOCUMENT,
                pub=body.name,
            )
        elif kind == EventKind.LAWSUIT:
            source = self.records_source(
                "court",
                f"Complaint over the {agency.name}'s use of {what}",
                when,
                kind=SourceKind.COURT_FILING,
                pub="Example County Superior Court",
            )
        elif kind == EventKind.NO_PUBLIC_PROCESS:
            source = self.records_source(
                "findings", f"Search of the {agency.name}'s public process records", when
            )
        else:
            source = self.records_source(
                "documents",
                f"{agency.name}: {kind.label.lower()}",
                when,
                kind=SourceKind.GOVERNMENT_DOCUMENT,
                pub=agency.name,
            )
        spec.sources = [source]
        return spec

    # ---- all ---------------------------------------------------------------------------------

    def build(self, tech_names):
        self.tech_names = tech_names
        self.build_agencies()
        self.build_vendors()
        self.build_reports()
        self.build_deployments()
        self.build_contracts()
        self.build_ndas()
        seen = set()
        self.plan.ndas = [n for n in self.plan.ndas if not (n.key in seen or seen.add(n.key))]
        self.build_deadlines()
        self.build_requests()
        self.build_events()
        self.check()
        return self.plan

    def check(self):
        plan = self.plan
        reached = {
            "agencies": len(plan.agencies),
            "regions": len({agency.region for agency in plan.agencies}),
            "vendors with products": len({product.vendor for product in plan.products}),
            "deployments": len(plan.deployments),
            "contracts": len(plan.contracts),
            "ndas": len(plan.ndas),
            "records requests": len(plan.requests),
            "requests citing an nda": sum(1 for r in plan.requests if r.ndas),
            "oversight events": len(plan.events),
            "response deadlines": len(plan.deadlines),
        }
        short = [
            f"{what}: {reached[what]} < {least}"
            for what, least in MINIMUM.items()
            if reached[what] < least
        ]
        if short:
            raise DemoDataError("The demo plan fell short: " + "; ".join(short))


def build_plan(tech_names):
    """The generated records, planned in memory, without the database: the same plan for
    the same `tech_names` (technology slug -> name, for TECHNOLOGY_SLUGS) and Faker version."""
    return _Generator().build(tech_names)
