"""Writes the plan of the generated demo records (plan.py) through the write gateway.

Every record is created with `RecordBatch.create()` and linked with `link()` (aliases with
`add_aliases()`), and the batch's `finish()` checks the publication rules and writes ONE
version per record once its links are all in place, so a record's history starts with one
version that already cites its sources. The demo data is published at once, as a reviewer's
import would be, but by no one: its versions have no author (the history pages say so) and
it logs no change.

A record the plan names is looked up first by its natural key (see plan.py), so a second
load creates nothing and writes no version. A record from an earlier load that lost some of
its links (an interrupted or partly deleted load) gets them back, in one version of the
second batch, whose summary says so.
"""

from itertools import islice

from apps.agencies.models import Agency
from apps.contracts.models import Contract, Nda
from apps.deployments.models import Deployment
from apps.oversight.models import OversightEvent
from apps.records.services import RecordBatch
from apps.records_requests.models import RecordsRequest, ResponseDeadline
from apps.sources.models import Source
from apps.vendors.models import Product, Vendor

from . import DEMO_LINKS_REASON, INITIAL_VERSION_REASON

BATCH_SIZE = 500  # values in one IN (...) query


def _chunks(values, size=BATCH_SIZE):
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _validator(exclude=()):
    """Field and model validation (clean() included) for generated records. Foreign keys,
    uniqueness and database constraints are left to the database: the plan's records are
    unique by their natural keys and point at records the writer holds, and checking them
    per record would cost a query each."""

    def validate(instance):
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )

    return validate


def _existing(model, field_name, values):
    """{value: record} for the records of `model` whose `field_name` is one of `values`."""
    found = {}
    for chunk in _chunks(sorted(set(values))):
        for record in model.objects.filter(**{f"{field_name}__in": chunk}).order_by("pk"):
            found.setdefault(getattr(record, field_name), record)
    return found


def _existing_by_agency(model, agencies, key):
    """{key(record): record} for the records of `model` of the agencies `agencies`."""
    found = {}
    for chunk in _chunks(sorted(agency.pk for agency in agencies)):
        for record in model.objects.filter(agency_id__in=chunk).order_by("pk"):
            found.setdefault(key(record), record)
    return found


def _gathered(pairs):
    """{record: [values]} from (record, values) pairs, a record's values in order, once."""
    gathered = {}
    for record, values in pairs:
        gathered.setdefault(record, []).extend(values)
    return {record: list(dict.fromkeys(values)) for record, values in gathered.items() if values}


def _optional(records, key):
    """The record of `key` in `records`, or None for a spec that names none."""
    return records[key] if key else None


def _pk(record):
    return record.pk if record is not None else None


class Writer:
    def __init__(self, plan, technologies):
        self.plan = plan
        self.technologies = technologies  # slug -> Technology
        # The records this load creates, and those of an earlier load it completes.
        self.new = RecordBatch(user=None, summary=INITIAL_VERSION_REASON, publishes=True)
        self.completed = RecordBatch(user=None, summary=DEMO_LINKS_REASON, publishes=True)

    def write(self):
        """Write what is missing; ValidationError when it would break a publication rule."""
        self.write_sources()
        self.write_agencies()
        self.write_vendors()
        self.write_products()
        self.write_deployments()
        self.write_contracts()
        self.write_ndas()
        self.write_deadlines()  # before the requests, whose due dates they decide
        self.write_requests()
        self.write_events()
        self.new.finish()
        self.completed.finish()

    # ---- through the batches -----------------------------------------------------------------

    def create(self, model, exclude=(), **values):
        return self.new.create(model, validate=_validator(exclude), **values)

    def batch_for(self, record):
        return self.new if self.new.created(record) else self.completed

    def link(self, model, name, pairs):
        """Give each record of `pairs` ((record, [targets]), a record perhaps more than
        once) the targets of its relation `name` that it does not have yet: a new record
        all of them."""
        wanted = _gathered(pairs)
        field = model._meta.get_field(name)
        through = field.remote_field.through
        owner = f"{field.m2m_field_name()}_id"
        target = f"{field.m2m_reverse_field_name()}_id"
        earlier = [record.pk for record in wanted if not self.new.created(record)]
        have = set()
        for chunk in _chunks(earlier):
            rows = through.objects.filter(**{f"{owner}__in": chunk})
            have.update(rows.values_list(owner, target))
        for record, targets in wanted.items():
            missing = [t for t in targets if (record.pk, t.pk) not in have]
            if missing:
                self.batch_for(record).link(record, name, missing)

    def add_aliases(self, model, pairs):
        """Give each record of `pairs` ((record, [names])) the aliases it does not have."""
        wanted = _gathered(pairs)
        relation = model._meta.get_field("aliases")
        owner = relation.field.attname
        have = set()
        for chunk in _chunks([record.pk for record in wanted]):
            rows = relation.related_model.objects.filter(**{f"{owner}__in": chunk})
            have.update(rows.values_list(owner, "name"))
        for record, names in wanted.items():
            missing = [name for name in names if (record.pk, name) not in have]
            if missing:
                self.batch_for(record).add_aliases(record, missing)

    def cite(self, model, records, specs, key):
        self.link(
            model,
            "sources",
            ((records[key(spec)], [self.sources[url] for url in spec.sources]) for spec in specs),
        )

    def create_missing(self, model, records, specs, key, values, exclude=()):
        """Create the record of each spec whose `key(spec)` is not in `records` (those found
        already, by that key) from `values(spec)`, in order, and add it there."""
        for spec in specs:
            if key(spec) not in records:
                records[key(spec)] = self.create(model, exclude, **values(spec))
        return records

    # ---- kind by kind ------------------------------------------------------------------------

    def write_sources(self):
        specs = self.plan.sources.values()
        self.sources = self.create_missing(
            Source,
            _existing(Source, "url", self.plan.sources),
            specs,
            lambda spec: spec.url,
            lambda spec: {
                "url": spec.url,
                "title": spec.title,
                "publisher": spec.publisher,
                "kind": spec.kind,
                "notes": spec.notes,
                "publication": spec.published,
            },
        )

    def write_tiers(self, model, specs, values):
        """{slug: record} for `specs`, the missing ones created, parents before children."""
        records = _existing(model, "slug", [spec.slug for spec in specs])
        self.create_missing(
            model,
            records,
            sorted(specs, key=lambda spec: spec.parent is not None),
            lambda spec: spec.slug,
            lambda spec: {
                "slug": spec.slug,
                "parent": records[spec.parent] if spec.parent else None,
                **values(spec),
            },
            exclude=["parent"],
        )
        self.add_aliases(model, ((records[spec.slug], spec.aliases) for spec in specs))
        self.cite(model, records, specs, lambda spec: spec.slug)
        return records

    def write_agencies(self):
        self.agencies = self.write_tiers(
            Agency,
            self.plan.agencies,
            lambda spec: {
                "name": spec.name,
                "kind": spec.kind,
                "jurisdiction_level": spec.level,
                "country": spec.country,
                "region": spec.region,
                "locality": spec.locality,
                "latitude": spec.latitude,
                "longitude": spec.longitude,
                "website": spec.website,
                "ori": spec.ori,
                "description": spec.description,
            },
        )

    def write_vendors(self):
        self.vendors = self.write_tiers(
            Vendor,
            self.plan.vendors,
            lambda spec: {
                "name": spec.name,
                "website": spec.website,
                "country": spec.country,
                "description": spec.description,
            },
        )

    def write_products(self):
        specs = self.plan.products
        self.products = self.create_missing(
            Product,
            _existing(Product, "slug", [spec.slug for spec in specs]),
            specs,
            lambda spec: spec.slug,
            lambda spec: {
                "slug": spec.slug,
                "vendor": self.vendors[spec.vendor],
                "name": spec.name,
                "description": spec.description,
                "website": spec.website,
            },
            exclude=["vendor"],
        )
        self.link(
            Product,
            "technologies",
            (
                (self.products[spec.slug], [self.technologies[slug] for slug in spec.technologies])
                for spec in specs
            ),
        )
        self.cite(Product, self.products, specs, lambda spec: spec.slug)

    def deployment_key(self, spec):
        return (
            self.agencies[spec.agency].pk,
            self.technologies[spec.technology].pk,
            _pk(_optional(self.vendors, spec.vendor)),
            _pk(_optional(self.products, spec.product)),
            spec.start.date if spec.start else None,
        )

    def write_deployments(self):
        specs = self.plan.deployments
        self.deployments = self.create_missing(
            Deployment,
            _existing_by_agency(
                Deployment,
                self.agencies.values(),
                lambda d: (d.agency_id, d.technology_id, d.vendor_id, d.product_id, d.start_date),
            ),
            specs,
            self.deployment_key,
            lambda spec: {
                "agency": self.agencies[spec.agency],
                "technology": self.technologies[spec.technology],
                "vendor": _optional(self.vendors, spec.vendor),
                "product": _optional(self.products, spec.product),
                "status": spec.status,
                "start": spec.start,
                "end": spec.end,
                "summary": spec.summary,
                "public_input": spec.public_input,
                "use_policy": spec.use_policy,
                "use_policy_source": _optional(self.sources, spec.use_policy_source),
                "data_sharing": spec.data_sharing,
                "last_verified": spec.last_verified,
            },
            exclude=["agency", "technology", "vendor", "product", "use_policy_source"],
        )
        self.cite(Deployment, self.deployments, specs, self.deployment_key)

    def contract_key(self, spec):
        return (self.agencies[spec.agency].pk, self.vendors[spec.vendor].pk, spec.title)

    def write_contracts(self):
        specs = self.plan.contracts
        contracts = self.create_missing(
            Contract,
            _existing_by_agency(
                Contract, self.agencies.values(), lambda c: (c.agency_id, c.vendor_id, c.title)
            ),
            specs,
            self.contract_key,
            lambda spec: {
                "agency": self.agencies[spec.agency],
                "vendor": self.vendors[spec.vendor],
                "title": spec.title,
                "identifier": spec.identifier,
                "procurement_method": spec.method,
                "amount": spec.amount,
                "currency": spec.currency,
                "funding_source": spec.funding_source,
                "signed": spec.signed,
                "start": spec.start,
                "end": spec.end,
                "summary": spec.summary,
            },
            exclude=["agency", "vendor"],
        )
        self.cite(Contract, contracts, specs, self.contract_key)
        self.link(
            Contract,
            "products",
            (
                (contracts[self.contract_key(spec)], [self.products[p] for p in spec.products])
                for spec in specs
            ),
        )
        # By the plan's keys, for the links of the requests and events.
        self.deployments_by_key = {
            spec.key: self.deployments[self.deployment_key(spec)] for spec in self.plan.deployments
        }
        self.contracts_by_key = {spec.key: contracts[self.contract_key(spec)] for spec in specs}
        self.link(
            Contract,
            "deployments",
            (
                (
                    self.contracts_by_key[spec.key],
                    [self.deployments_by_key[key] for key in spec.deployments],
                )
                for spec in specs
            ),
        )

    def nda_key(self, spec):
        return (
            self.agencies[spec.agency].pk,
            _pk(_optional(self.vendors, spec.vendor)),
            _pk(_optional(self.agencies, spec.counterparty_agency)),
            spec.signed_date,
        )

    def write_ndas(self):
        specs = self.plan.ndas
        ndas = self.create_missing(
            Nda,
            _existing_by_agency(
                Nda,
                self.agencies.values(),
                lambda n: (
                    n.agency_id,
                    n.counterparty_vendor_id,
                    n.counterparty_agency_id,
                    n.signed_date,
                ),
            ),
            specs,
            self.nda_key,
            lambda spec: {
                "agency": self.agencies[spec.agency],
                "counterparty_vendor": _optional(self.vendors, spec.vendor),
                "counterparty_agency": _optional(self.agencies, spec.counterparty_agency),
                "signatory": spec.signatory,
                "scope": spec.scope,
                "term": spec.term,
                "signed": spec.signed,
                "cited_to_withhold": spec.cited_to_withhold,
            },
            exclude=["agency", "counterparty_vendor", "counterparty_agency"],
        )
        self.cite(Nda, ndas, specs, self.nda_key)
        self.ndas_by_key = {spec.key: ndas[self.nda_key(spec)] for spec in specs}

    def write_deadlines(self):
        specs = self.plan.deadlines
        existing = {}
        for record in ResponseDeadline.objects.filter(
            country__in={spec.country for spec in specs}
        ).order_by("pk"):
            existing.setdefault((record.country, record.region), record)
        deadlines = self.create_missing(
            ResponseDeadline,
            existing,
            specs,
            lambda spec: spec.key,
            lambda spec: {
                "country": spec.country,
                "region": spec.region,
                "days": spec.days,
                "day_kind": spec.day_kind,
                "statute": spec.statute,
                "notes": spec.notes,
            },
        )
        self.cite(ResponseDeadline, deadlines, specs, lambda spec: spec.key)

    def request_key(self, spec):
        return (self.agencies[spec.agency].pk, spec.requester, spec.subject, spec.filed.date)

    def write_requests(self):
        specs = self.plan.requests
        requests = self.create_missing(
            RecordsRequest,
            _existing_by_agency(
                RecordsRequest,
                self.agencies.values(),
                lambda r: (r.agency_id, r.requester, r.subject, r.filed_date),
            ),
            specs,
            self.request_key,
            lambda spec: {
                "agency": self.agencies[spec.agency],
                "requester": spec.requester,
                "subject": spec.subject,
                "filed": spec.filed,
                "closed": spec.closed,
                "status": spec.status,
                "exemptions": spec.exemptions,
                "outcome": spec.outcome,
                "external_url": spec.external_url,
            },
            exclude=["agency"],
        )
        self.cite(RecordsRequest, requests, specs, self.request_key)
        self.link(
            RecordsRequest,
            "ndas_cited",
            (
                (requests[self.request_key(spec)], [self.ndas_by_key[key] for key in spec.ndas])
                for spec in specs
            ),
        )
        self.link(
            RecordsRequest,
            "released_documents",
            (
                (requests[self.request_key(spec)], [self.sources[url] for url in spec.released])
                for spec in specs
            ),
        )

    def event_key(self, spec):
        return (self.agencies[spec.agency].pk, spec.kind, spec.occurred.date)

    def write_events(self):
        specs = self.plan.events
        events = self.create_missing(
            OversightEvent,
            _existing_by_agency(
                OversightEvent,
                self.agencies.values(),
                lambda e: (e.agency_id, e.kind, e.occurred_date),
            ),
            specs,
            self.event_key,
            lambda spec: {
                "agency": self.agencies[spec.agency],
                "kind": spec.kind,
                "occurred": spec.occurred,
                "summary": spec.summary,
                "outcome": spec.outcome,
                "outcome_summary": spec.outcome_summary,
                "public_comment": spec.public_comment,
                **spec.tally,
            },
            exclude=["agency"],
        )
        self.cite(OversightEvent, events, specs, self.event_key)
        for name, targets in (
            ("deployments", self.deployments_by_key),
            ("contracts", self.contracts_by_key),
        ):
            self.link(
                OversightEvent,
                name,
                (
                    (events[self.event_key(spec)], [targets[key] for key in getattr(spec, name)])
                    for spec in specs
                ),
            )
