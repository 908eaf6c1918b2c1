"""`generate_data`: a large synthetic registry for measuring the site at scale (a million
deployments), written in bulk through the write gateway (records.services.BulkLoad).

Everything is fictional (names on example.org and example.net, "[Generated record.]" in each
text) and deterministic: the same seed and size give the same records. The proportions are
those of issue 10, per million deployments: 20,000 agencies in every US state and a few other
countries, 3,000 vendors, 10,000 products, 200,000 contracts, 20,000 NDAs, 100,000 records
requests, 50,000 oversight events and 500,000 sources. Like real data, it is skewed: a few
vendors and technologies dominate, and a few agencies have thousands of records (weights
falling as a power of the rank).

It is internally consistent as the demo data is: a deployment's vendor is its product's; a
contract is between the agency and the vendor of the deployments it covers, in the agency's
currency; an NDA is with a vendor the agency has a contract with; every record cites sources
of its own agency (or vendor) dated no earlier than the fact; end dates follow start dates.

Records are made as rows (dicts of column values, not model instances: a million of those
cost a minute to build) and inserted a chunk at a time, so memory holds a few compact tuples
per deployment."""

import bisect
import datetime
import itertools
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import slugify

from apps.agencies.models import Agency, AgencyKind
from apps.contracts.models import Contract, Nda
from apps.core.models import YesNoUnknown
from apps.core.partial_dates import DatePrecision
from apps.deployments.models import Deployment, DeploymentStatus
from apps.oversight.models import VOTE_KINDS, EventKind, OversightEvent
from apps.records_requests.models import OPEN_STATUSES, RecordsRequest
from apps.sources.models import Source, SourceKind
from apps.technologies.models import Technology
from apps.vendors.models import Product, Vendor

from . import DemoDataError
from .plan import (
    CURRENCY_BY_COUNTRY,
    KIND_TECHNOLOGIES,
    KIND_WEIGHTS,
    PROCESS_WEIGHTS,
    PROCUREMENT_WEIGHTS,
    PRODUCT_STEMS,
    REQUEST_OUTCOMES,
    REQUEST_STATUS_WEIGHTS,
    REQUEST_SUBJECTS,
    STATUS_WEIGHTS,
    TECHNOLOGY_WEIGHTS,
    VENDOR_SUFFIXES,
    WITHHOLDING_STATUSES,
    _truncate,
    _weighted,
)

GENERATED = "[Generated record.]"
SUMMARY = "Generated data (manage.py generate_data)"
FIRST_YEAR, LAST_DAY = 2008, datetime.date(2025, 12, 31)

# Per million deployments (issue 10).
PROPORTIONS = {
    "agencies": 20_000,
    "vendors": 3_000,
    "products": 10_000,
    "contracts": 200_000,
    "ndas": 20_000,
    "requests": 100_000,
    "events": 50_000,
    "sources": 500_000,
}
# How steeply activity falls with rank: weight = 1 / rank ** exponent. At a million
# deployments the busiest agency has several thousand and the busiest vendor about a tenth.
AGENCY_SKEW, VENDOR_SKEW = 0.6, 1.1

# Every US state and DC: (code, latitude, longitude) of a point inside, and a spread in degrees.
US_STATES = (
    "AL 32.8 -86.8|AK 61.4 -150.0|AZ 34.3 -111.7|AR 34.9 -92.4|CA 36.8 -119.6|CO 39.0 -105.5|"
    "CT 41.6 -72.7|DE 39.0 -75.5|DC 38.9 -77.0|FL 28.3 -81.8|GA 32.7 -83.4|HI 21.3 -157.9|"
    "ID 44.1 -114.7|IL 40.0 -89.2|IN 39.9 -86.3|IA 42.0 -93.5|KS 38.5 -98.4|KY 37.5 -85.3|"
    "LA 31.0 -92.0|ME 45.3 -69.2|MD 39.3 -76.9|MA 42.3 -71.9|MI 43.3 -84.6|MN 45.8 -94.3|"
    "MS 32.7 -89.7|MO 38.4 -92.5|MT 47.0 -109.6|NE 41.5 -99.8|NV 39.0 -117.0|NH 43.7 -71.6|"
    "NJ 40.2 -74.6|NM 34.4 -106.1|NY 42.7 -75.5|NC 35.6 -79.4|ND 47.5 -100.5|OH 40.3 -82.8|"
    "OK 35.6 -97.5|OR 44.0 -121.0|PA 40.9 -77.6|RI 41.7 -71.5|SC 33.9 -80.9|SD 44.4 -100.2|"
    "TN 35.8 -86.4|TX 31.3 -99.0|UT 39.4 -111.6|VT 44.0 -72.7|VA 37.5 -78.5|WA 47.4 -120.5|"
    "WV 38.6 -80.6|WI 44.6 -89.8|WY 43.0 -107.5"
)
# Other countries, a twentieth of the agencies: (country, region, latitude, longitude).
ABROAD = [
    ("CA", "ON", 44.0, -79.5),
    ("CA", "QC", 46.5, -72.5),
    ("CA", "BC", 49.5, -123.0),
    ("GB", "ENG", 52.5, -1.5),
    ("GB", "SCT", 56.0, -4.0),
    ("DE", "BE", 52.5, 13.4),
    ("DE", "BY", 48.5, 11.5),
    ("FR", "IDF", 48.8, 2.4),
    ("AU", "NSW", -33.5, 150.5),
]
SPREAD = 0.8
PLACE_STARTS = [
    "Ash",
    "Bel",
    "Birch",
    "Brook",
    "Cedar",
    "Clear",
    "Cold",
    "Crest",
    "Deer",
    "Eagle",
    "East",
    "Elm",
    "Fair",
    "Fern",
    "Fox",
    "Glen",
    "Gold",
    "Green",
    "Hart",
    "Haven",
    "High",
    "Holly",
    "Iron",
    "Lake",
    "Lin",
    "Maple",
    "Mill",
    "North",
    "Oak",
    "Pine",
    "Red",
    "River",
    "Rock",
    "Rose",
    "Sand",
    "Silver",
    "South",
    "Spring",
    "Stone",
    "Sun",
    "West",
    "Willow",
    "Wolf",
]
PLACE_ENDS = [
    "bury",
    "burg",
    "by",
    "dale",
    "field",
    "ford",
    "gate",
    "ham",
    "haven",
    "hill",
    "land",
    "ley",
    "mont",
    "mouth",
    "port",
    "ridge",
    "ton",
    "vale",
    "view",
    "ville",
    "wick",
    "wood",
]
KIND_NAMES = {
    AgencyKind.POLICE: "Police Department",
    AgencyKind.SHERIFF: "County Sheriff's Office",
    AgencyKind.FUSION_CENTER: "Regional Fusion Center",
    AgencyKind.TRANSIT_POLICE: "Transit Police",
    AgencyKind.CAMPUS_POLICE: "University Police",
    AgencyKind.SCHOOL_DISTRICT: "Unified School District",
    AgencyKind.FEDERAL: "Federal Task Force",
    AgencyKind.PROSECUTOR: "District Attorney's Office",
    AgencyKind.CORRECTIONS: "Department of Corrections",
    AgencyKind.PARKS: "Parks Department",
    AgencyKind.COURT: "Municipal Court",
    AgencyKind.CITY: "City Government",
    AgencyKind.COUNTY: "County Government",
}
VENDOR_COUNTRIES = {"US": 80, "GB": 6, "DE": 4, "IL": 5, "CA": 3, "FR": 2}
SOURCE_KINDS = {
    SourceKind.NEWS: 45,
    SourceKind.RECORDS_RELEASE: 25,
    SourceKind.GOVERNMENT_DOCUMENT: 20,
    SourceKind.REPORT: 5,
    SourceKind.COURT_FILING: 5,
}
REQUESTERS = [
    "Example Civil Liberties Union",
    "Example Gazette",
    "Open Records Project",
    "Surveillance Watch",
    "A local resident",
    "Example University Law Clinic",
]
CHUNK = 10_000
PARENTS = 10


def counts_for(deployments):
    """How many records of each kind go with `deployments` (at least one of each)."""
    scale = deployments / 1_000_000
    return {"deployments": deployments} | {
        key: max(1, round(per_million * scale)) for key, per_million in PROPORTIONS.items()
    }


def _cumulative(weights):
    return list(itertools.accumulate(weights))


def _ranked_weights(count, skew):
    return _cumulative(1 / (rank + 1) ** skew for rank in range(count))


@dataclass
class AgencyRow:
    pk: int
    kind: str
    country: str
    name: str
    pools: list  # [(publication date, source pk)], sorted: the sources about this agency


class Generator:
    """Makes the records of one generated registry and gives them to a BulkLoad."""

    def __init__(self, load, *, deployments, seed, progress=None):
        self.load = load
        self.rng = random.Random(seed)  # nosec B311 # seeded demo data, not security
        self.counts = counts_for(deployments)
        self.progress = progress or (lambda step, count: None)
        self.technologies = {t.slug: t for t in Technology.objects.all()}
        missing = sorted(set(PRODUCT_STEMS) - set(self.technologies))
        if missing:
            raise DemoDataError(
                "These technologies are missing from the taxonomy: " + ", ".join(missing)
            )
        self.slugs = set()
        self.source_number = itertools.count(1)
        self.contract_number = itertools.count(1)

    # ---- helpers -------------------------------------------------------------------------------

    def slug(self, *parts):
        base = slugify(" ".join(parts))[:100].strip("-")
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug

    def day(self, first, last=LAST_DAY):
        """A day from `first` to `last`, never after LAST_DAY (a fact has its sources)."""
        first, last = min(first, LAST_DAY), min(last, LAST_DAY)
        if last <= first:
            return first
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    def precision(self):
        return self.rng.choices(
            [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY], weights=(2, 4, 4)
        )[0]

    def insert(self, model, rows):
        """Insert `rows` of `model`; returns their primary keys, in order."""
        pks = self.load.create(model, rows)
        self.progress(model._meta.verbose_name_plural, len(pks))
        return pks

    def new_sources(self, reports):
        """Sources, one for each (what it is about, date) of `reports`, inserted a chunk at
        a time; returns [(date, pk)] in the same order."""
        made = []
        for start in range(0, len(reports), CHUNK):
            sources, dates = [], []
            for about, date in reports[start : start + CHUNK]:
                number = next(self.source_number)
                kind = _weighted(self.rng, SOURCE_KINDS)
                sources.append(
                    {
                        "url": f"https://records.example.org/generated/{date.year}/{number}",
                        "title": f"{about}: {kind.label.lower()} no. {number}",
                        "publisher": "Example Public Records Project",
                        "kind": kind,
                        "publication_date": date,
                        "publication_date_precision": DatePrecision.DAY,
                        "notes": GENERATED,
                    }
                )
                dates.append(date)
            made += zip(dates, self.insert(Source, sources), strict=True)
        return made

    def cite(self, pool, date):
        """A source of `pool` dated no earlier than `date` (the pool always ends with one
        dated LAST_DAY)."""
        at = bisect.bisect_left(pool, (date, 0))
        return pool[self.rng.randrange(at, len(pool))][1]

    def link_citations(self, model, owners):
        """Cite, for each (record pk, source pks), the sources."""
        field = model._meta.get_field("sources")
        through = field.remote_field.through
        owner = field.m2m_field_name()
        column = f"{owner}_id"
        rows = [
            {column: pk, "source_id": source}
            for pk, sources in owners
            for source in sorted(set(sources))
        ]
        self.load.link(through, rows)

    # ---- the registry ------------------------------------------------------------------------

    def run(self):
        self.make_vendors_and_products()
        self.make_agencies()
        self.make_deployments()
        self.make_contracts_and_ndas()
        self.make_requests()
        self.make_events()

    def make_vendors_and_products(self):
        count = self.counts["vendors"]
        techs = list(TECHNOLOGY_WEIGHTS)
        vendor_techs, vendors = [], []
        for index in range(count):
            tech = self.rng.choices(techs, weights=list(TECHNOLOGY_WEIGHTS.values()))[0]
            stem = self.rng.choice(PLACE_STARTS) + self.rng.choice(PLACE_ENDS).capitalize()
            name = f"{stem} {VENDOR_SUFFIXES[tech]} {index + 1}"
            vendor_techs.append(tech)
            vendors.append(
                {
                    "name": name,
                    "slug": self.slug(name),
                    "country": _weighted(self.rng, VENDOR_COUNTRIES),
                    "website": f"https://{slugify(stem)}-{index + 1}.example.net",
                    "description": (
                        f"A vendor of {self.technologies[tech].name.lower()}. {GENERATED}"
                    ),
                }
            )
        # A few of the ten largest own some of the rest (a subsidiary's records count toward
        # its parent's), so the ten go in first.
        largest = self.insert(Vendor, vendors[:PARENTS])
        for vendor in vendors[PARENTS:]:
            if self.rng.random() < 0.03:
                vendor["parent_id"] = self.rng.choice(largest)
        pks = [*largest, *self.insert(Vendor, vendors[PARENTS:])]
        for vendor, pk in zip(vendors, pks, strict=True):
            vendor["id"] = pk
        self.vendor_pool = {
            vendor["id"]: [source]
            for vendor, source in zip(
                vendors, self.new_sources([(v["name"], LAST_DAY) for v in vendors]), strict=True
            )
        }
        self.link_citations(Vendor, [(pk, [pool[0][1]]) for pk, pool in self.vendor_pool.items()])

        # Products: most of a vendor's are of its technology; the large vendors have many.
        vendor_weights = _ranked_weights(len(vendors), VENDOR_SKEW)
        products, product_techs = [], []
        for index in range(self.counts["products"]):
            # Every vendor sells something; the rest go mostly to the largest.
            if index < len(vendors):
                vendor_index = index
            else:
                vendor_index = self.rng.choices(range(len(vendors)), cum_weights=vendor_weights)[0]
            vendor = vendors[vendor_index]
            tech = vendor_techs[vendor_index]
            if self.rng.random() < 0.2:
                tech = self.rng.choices(techs, weights=list(TECHNOLOGY_WEIGHTS.values()))[0]
            name = f"{self.rng.choice(PRODUCT_STEMS[tech])} {index + 1}"
            products.append(
                {
                    "vendor_id": vendor["id"],
                    "name": name,
                    "slug": self.slug(vendor["name"], name),
                    "description": (
                        f"{self.technologies[tech].name} sold by {vendor['name']}. {GENERATED}"
                    ),
                }
            )
            product_techs.append(tech)
        for product, pk in zip(products, self.insert(Product, products), strict=True):
            product["id"] = pk
        self.load.link(
            Product.technologies.through,
            [
                {"product_id": product["id"], "technology_id": self.technologies[tech].pk}
                for product, tech in zip(products, product_techs, strict=True)
            ],
        )
        self.link_citations(
            Product, [(p["id"], [self.vendor_pool[p["vendor_id"]][0][1]]) for p in products]
        )
        # By technology: (product pk, vendor pk) and the cumulative weights of their vendors.
        self.products_by_tech = {}
        rank = {vendor["id"]: index for index, vendor in enumerate(vendors)}
        for product, tech in zip(products, product_techs, strict=True):
            self.products_by_tech.setdefault(tech, []).append((product["id"], product["vendor_id"]))
        self.product_weights = {
            tech: _cumulative(1 / (rank[vendor] + 1) ** VENDOR_SKEW for _, vendor in rows)
            for tech, rows in self.products_by_tech.items()
        }

    def make_agencies(self):
        count = self.counts["agencies"]
        places = [code.split() for code in US_STATES.split("|")]
        regions = [("US", code, float(lat), float(lon)) for code, lat, lon in places]
        agencies, kinds = [], []
        for index in range(count):
            country, region, lat, lon = (
                self.rng.choice(ABROAD) if self.rng.random() < 0.05 else self.rng.choice(regions)
            )
            kind = _weighted(self.rng, KIND_WEIGHTS)
            place = self.rng.choice(PLACE_STARTS) + self.rng.choice(PLACE_ENDS)
            name = f"{place} {KIND_NAMES[kind]}"
            agencies.append(
                {
                    "name": name,
                    "slug": self.slug(name, region),
                    "kind": kind,
                    "country": country,
                    "region": region,
                    "locality": place,
                    "latitude": Decimal(f"{lat + self.rng.uniform(-SPREAD, SPREAD):.6f}"),
                    "longitude": Decimal(f"{lon + self.rng.uniform(-SPREAD, SPREAD):.6f}"),
                    "ori": f"{region[:2]}{index:07d}" if country == "US" else "",
                    "description": f"A fictional {kind.label.lower()}. {GENERATED}",
                }
            )
            kinds.append(kind)
        pks = self.insert(Agency, agencies)
        # The busiest agencies are spread over the list, not the first ones made.
        order = list(range(count))
        self.rng.shuffle(order)
        weights = [0.0] * count
        for rank, index in enumerate(order):
            weights[index] = 1 / (rank + 1) ** AGENCY_SKEW
        self.agency_weights = _cumulative(weights)
        # Sources about each agency, in proportion to its share of the records, dated over
        # the years; the last one dated LAST_DAY, so that every fact has one dated after it.
        total = sum(weights)
        spare = max(0, self.counts["sources"] - count - len(self.vendor_pool))
        reports, sizes = [], []
        for agency, weight in zip(agencies, weights, strict=True):
            extra = round(spare * weight / total)
            dates = sorted(self.day(datetime.date(FIRST_YEAR, 1, 1)) for _ in range(extra))
            reports += [(agency["name"], date) for date in [*dates, LAST_DAY]]
            sizes.append(extra + 1)
        made = iter(self.new_sources(reports))
        self.agencies = [
            AgencyRow(pk, kind, a["country"], a["name"], list(itertools.islice(made, size)))
            for pk, a, kind, size in zip(pks, agencies, kinds, sizes, strict=True)
        ]
        self.link_citations(Agency, [(a.pk, [a.pools[-1][1]]) for a in self.agencies])

    def pick_agency(self):
        return self.agencies[
            self.rng.choices(range(len(self.agencies)), cum_weights=self.agency_weights)[0]
        ]

    def make_deployments(self):
        # Kept per deployment for what follows: (pk, agency index, vendor, product, start date,
        # technology slug, public input).
        self.deployments = []
        weighted_techs = list(TECHNOLOGY_WEIGHTS)
        tech_weights = list(TECHNOLOGY_WEIGHTS.values())
        index_of = {agency.pk: index for index, agency in enumerate(self.agencies)}
        remaining = self.counts["deployments"]
        while remaining:
            size = min(CHUNK, remaining)
            remaining -= size
            records, facts, citations = [], [], []
            for _ in range(size):
                agency = self.pick_agency()
                usual = KIND_TECHNOLOGIES.get(agency.kind)
                if usual and self.rng.random() < 0.8:
                    tech = self.rng.choice(usual)
                else:
                    tech = self.rng.choices(weighted_techs, weights=tech_weights)[0]
                product = vendor = None
                offered = self.products_by_tech.get(tech)
                roll = self.rng.random()
                if offered and roll < 0.9:
                    product, vendor = self.rng.choices(
                        offered, cum_weights=self.product_weights[tech]
                    )[0]
                    if roll > 0.85:
                        product = None  # the vendor is known, the product is not
                status = _weighted(self.rng, STATUS_WEIGHTS)
                precision = self.precision()
                start = _truncate(
                    self.day(datetime.date(FIRST_YEAR, 1, 1), datetime.date(2025, 6, 30)),
                    precision,
                )
                end = end_precision = None
                if status in {DeploymentStatus.DISCONTINUED, DeploymentStatus.BANNED}:
                    end_precision = self.precision()
                    end = _truncate(self.day(start + datetime.timedelta(180)), end_precision)
                    end = max(end, start)
                public_input = _weighted(self.rng, {"yes": 3, "no": 4, "unknown": 5})
                records.append(
                    {
                        "agency_id": agency.pk,
                        "technology_id": self.technologies[tech].pk,
                        "product_id": product,
                        "vendor_id": vendor,
                        "status": status,
                        "start_date": start,
                        "start_date_precision": precision,
                        "end_date": end,
                        "end_date_precision": end_precision or "",
                        "summary": f"{agency.name} uses {self.technologies[tech].name.lower()}. "
                        f"{GENERATED}",
                        "public_input": public_input,
                        "use_policy": _weighted(self.rng, {"yes": 3, "no": 3, "unknown": 4}),
                        "data_sharing": _weighted(self.rng, {"yes": 2, "no": 2, "unknown": 6}),
                    }
                )
                reported = end or start
                sources = [self.cite(agency.pools, reported)]
                if self.rng.random() < 0.3:
                    sources.append(self.cite(agency.pools, reported))
                facts.append((agency.pk, vendor, product, start, tech, public_input))
                citations.append(sources)
            created = self.insert(Deployment, records)
            self.link_citations(Deployment, list(zip(created, citations, strict=True)))
            for pk, (agency_pk, *rest) in zip(created, facts, strict=True):
                self.deployments.append((pk, index_of[agency_pk], *rest))

    def make_contracts_and_ndas(self):
        """Each contract covers one deployment with a vendor (a renewal another, later, of the
        same deployment); some agencies sign an NDA with a vendor they have a contract with."""
        with_vendor = [d for d in self.deployments if d[2] is not None]
        self.contracts_of = {}  # agency index -> [(contract pk, vendor pk, signed date)]
        remaining = self.counts["contracts"]
        through_deployments = Contract.deployments.through
        through_products = Contract.products.through
        while remaining and with_vendor:
            size = min(CHUNK, remaining)
            remaining -= size
            records, facts = [], []
            for _ in range(size):
                pk, agency_index, vendor, product, start, tech, _ = self.rng.choice(with_vendor)
                agency = self.agencies[agency_index]
                signed_precision = self.precision()
                signed = _truncate(
                    max(
                        start - datetime.timedelta(self.rng.randint(0, 120)),
                        datetime.date(2007, 1, 1),
                    ),
                    signed_precision,
                )
                begins = max(start, signed)
                # A contract may run into the future: its sources report its signing.
                ends = begins + datetime.timedelta(self.rng.randint(365, 5 * 365))
                method = _weighted(self.rng, PROCUREMENT_WEIGHTS)
                free = method in {"free-trial", "donation"}
                amount = (
                    Decimal(0)
                    if free
                    else None
                    if self.rng.random() < 0.05
                    else Decimal(round(self.rng.lognormvariate(11, 1.4), 2)).quantize(
                        Decimal("0.01")
                    )
                )
                records.append(
                    {
                        "agency_id": agency.pk,
                        "vendor_id": vendor,
                        "title": f"{self.technologies[tech].name} for the {agency.name}",
                        "identifier": f"{signed.year}-{next(self.contract_number):06d}",
                        "procurement_method": method,
                        "amount": amount,
                        "currency": CURRENCY_BY_COUNTRY.get(agency.country, "USD"),
                        "signed_date": signed,
                        "signed_date_precision": signed_precision,
                        "start_date": begins,
                        "start_date_precision": DatePrecision.DAY,
                        "end_date": ends,
                        "end_date_precision": DatePrecision.DAY,
                        "summary": f"Contract with the vendor of this deployment. {GENERATED}",
                    }
                )
                facts.append((agency_index, pk, product, vendor, signed))
            created = self.insert(Contract, records)
            self.load.link(
                through_deployments,
                [
                    {"contract_id": pk, "deployment_id": fact[1]}
                    for pk, fact in zip(created, facts, strict=True)
                ],
            )
            self.load.link(
                through_products,
                [
                    {"contract_id": pk, "product_id": fact[2]}
                    for pk, fact in zip(created, facts, strict=True)
                    if fact[2] is not None
                ],
            )
            citations = []
            for pk, (agency_index, _deployment, _product, vendor, signed) in zip(
                created, facts, strict=True
            ):
                agency = self.agencies[agency_index]
                citations.append((pk, [self.cite(agency.pools, signed)]))
                self.contracts_of.setdefault(agency_index, []).append((pk, vendor, signed))
            self.link_citations(Contract, citations)

        # NDAs: with the vendor of one of the agency's contracts, signed around it.
        agencies = sorted(self.contracts_of)
        records, cited = [], []
        for _ in range(min(self.counts["ndas"], sum(len(c) for c in self.contracts_of.values()))):
            agency_index = self.rng.choice(agencies)
            _contract, vendor, signed = self.rng.choice(self.contracts_of[agency_index])
            records.append(
                {
                    "agency_id": self.agencies[agency_index].pk,
                    "counterparty_vendor_id": vendor,
                    "signed_date": signed,
                    "signed_date_precision": DatePrecision.DAY,
                    "signatory": "The agency's chief",
                    "scope": f"The vendor's pricing and technical information. {GENERATED}",
                    "cited_to_withhold": _weighted(self.rng, {"yes": 2, "no": 3, "unknown": 5}),
                }
            )
            cited.append((agency_index, signed))
        ndas = self.insert(Nda, records)
        self.link_citations(
            Nda,
            [
                (pk, [self.cite(self.agencies[i].pools, signed)])
                for pk, (i, signed) in zip(ndas, cited, strict=True)
            ],
        )
        self.ndas_of = {}
        for pk, (agency_index, _signed) in zip(ndas, cited, strict=True):
            self.ndas_of.setdefault(agency_index, []).append(pk)

    def make_requests(self):
        remaining = self.counts["requests"]
        through = RecordsRequest.ndas_cited.through
        while remaining:
            size = min(CHUNK, remaining)
            remaining -= size
            records, facts = [], []
            for _ in range(size):
                index = self.rng.choices(
                    range(len(self.agencies)), cum_weights=self.agency_weights
                )[0]
                agency = self.agencies[index]
                status = _weighted(self.rng, REQUEST_STATUS_WEIGHTS)
                filed = self.day(datetime.date(2012, 1, 1), datetime.date(2025, 9, 30))
                closed = None
                if status not in OPEN_STATUSES:
                    closed = self.day(
                        filed + datetime.timedelta(5), filed + datetime.timedelta(400)
                    )
                tech = self.rng.choice(list(PRODUCT_STEMS))
                records.append(
                    {
                        "agency_id": agency.pk,
                        "requester": self.rng.choice(REQUESTERS),
                        "subject": self.rng.choice(REQUEST_SUBJECTS).format(
                            what=self.technologies[tech].name.lower(), year=filed.year
                        ),
                        "filed_date": filed,
                        "filed_date_precision": DatePrecision.DAY,
                        "closed_date": closed,
                        "closed_date_precision": DatePrecision.DAY if closed else "",
                        "status": status,
                        "outcome": REQUEST_OUTCOMES.get(status, ""),
                    }
                )
                facts.append((index, closed or filed, status))
            created = self.insert(RecordsRequest, records)
            self.link_citations(
                RecordsRequest,
                [
                    (pk, [self.cite(self.agencies[i].pools, date)])
                    for pk, (i, date, _status) in zip(created, facts, strict=True)
                ],
            )
            self.load.link(
                through,
                [
                    {"recordsrequest_id": pk, "nda_id": self.rng.choice(self.ndas_of[i])}
                    for pk, (i, _date, status) in zip(created, facts, strict=True)
                    if status in WITHHOLDING_STATUSES and i in self.ndas_of
                ],
            )

    def make_events(self):
        """The public process (or its absence) before a deployment started."""
        through = OversightEvent.deployments.through
        remaining = min(self.counts["events"], len(self.deployments))
        while remaining:
            size = min(CHUNK, remaining)
            remaining -= size
            records, facts = [], []
            for _ in range(size):
                pk, index, _vendor, _product, start, _tech, public_input = self.rng.choice(
                    self.deployments
                )
                kind = _weighted(self.rng, PROCESS_WEIGHTS[YesNoUnknown(public_input)])
                occurred = max(
                    start - datetime.timedelta(self.rng.randint(10, 200)), datetime.date(2007, 1, 1)
                )
                event = {
                    "kind": kind,
                    "agency_id": self.agencies[index].pk,
                    "occurred_date": occurred,
                    "occurred_date_precision": DatePrecision.DAY,
                    "summary": f"{EventKind(kind).label} before the deployment. {GENERATED}",
                }
                if kind in VOTE_KINDS:
                    members = self.rng.choice([5, 7, 9])
                    yes = self.rng.randint(members // 2 + 1, members)
                    event.update(yes_votes=yes, no_votes=members - yes, abstentions=0, absent=0)
                    event["outcome"] = "approved"
                records.append(event)
                facts.append((pk, index, occurred))
            created = self.insert(OversightEvent, records)
            self.load.link(
                through,
                [
                    {"oversightevent_id": pk, "deployment_id": deployment}
                    for pk, (deployment, _i, _date) in zip(created, facts, strict=True)
                ],
            )
            self.link_citations(
                OversightEvent,
                [
                    (pk, [self.cite(self.agencies[i].pools, date)])
                    for pk, (_deployment, i, date) in zip(created, facts, strict=True)
                ],
            )
