"""Writes the plan of the generated demo records (plan.py) through the write gateway.

Every record is created with `RecordBatch.create()` and linked with `link()` (aliases with
`add_aliases()`), and the batch's `finish()` checks the publication rules and writes ONE
version per record once its links are all in place, so a record's history starts with one
version that already cites its sources. The demo data is a reviewer's publication by no one
in particular: published, with no author (as the history pages show it).

A record the plan names is looked up first by its natural key (see plan.py), so a second
load creates nothing and writes no version. A record from an earlier load that lost some of
its links (an interrupted or partly deleted load) gets them back, in one version of the
second batch, whose summary says so.
"""

from itertools import islice

from apps.agencies.models import Agency
from apps.contracts.models import Contract, Nda
from apps.deployments.models import Deployment
from apps.records.services import RecordBatch
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

    # ---- kind by kind ------------------------------------------------------------------------

    def write_sources(self):
        specs = self.plan.sources
        self.sources = _existing(Source, "url", specs)
        for url, spec in specs.items():
            if url not in self.sources:
                self.sources[url] = self.create(
                    Source,
                    url=url,
                    title=spec.title,
                    publisher=spec.publisher,
                    kind=spec.kind,
                    notes=spec.notes,
                    publication=spec.published,
                )

    def write_tiers(self, model, specs, values):
        """{slug: record} for `specs`, the missing ones created, parents before children."""
        records = _existing(model, "slug", [spec.slug for spec in specs])
        for spec in sorted(specs, key=lambda spec: spec.parent is not None):
            if spec.slug not in records:
                parent = records[spec.parent] if spec.parent else None
                records[spec.slug] = self.create(
                    model, ["parent"], slug=spec.slug, parent=parent, **values(spec)
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
        self.products = _existing(Product, "slug", [spec.slug for spec in specs])
        for spec in specs:
            if spec.slug not in self.products:
                self.products[spec.slug] = self.create(
                    Product,
                    ["vendor"],
                    slug=spec.slug,
                    vendor=self.vendors[spec.vendor],
                    name=spec.name,
                    description=spec.description,
                    website=spec.website,
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
            _pk(self.vendors[spec.vendor] if spec.vendor else None),
            _pk(self.products[spec.product] if spec.product else None),
            spec.start.date if spec.start else None,
        )

    def write_deployments(self):
        specs = self.plan.deployments
        self.deployments = _existing_by_agency(
            Deployment,
            self.agencies.values(),
            lambda d: (d.agency_id, d.technology_id, d.vendor_id, d.product_id, d.start_date),
        )
        for spec in specs:
            key = self.deployment_key(spec)
            if key in self.deployments:
                continue
            self.deployments[key] = self.create(
                Deployment,
                ["agency", "technology", "vendor", "product", "use_policy_source"],
                agency=self.agencies[spec.agency],
                technology=self.technologies[spec.technology],
                vendor=self.vendors[spec.vendor] if spec.vendor else None,
                product=self.products[spec.product] if spec.product else None,
                status=spec.status,
                start=spec.start,
                end=spec.end,
                summary=spec.summary,
                public_input=spec.public_input,
                use_policy=spec.use_policy,
                use_policy_source=(
                    self.sources[spec.use_policy_source] if spec.use_policy_source else None
                ),
                data_sharing=spec.data_sharing,
                last_verified=spec.last_verified,
            )
        self.cite(Deployment, self.deployments, specs, self.deployment_key)

    def contract_key(self, spec):
        return (self.agencies[spec.agency].pk, self.vendors[spec.vendor].pk, spec.title)

    def write_contracts(self):
        specs = self.plan.contracts
        contracts = _existing_by_agency(
            Contract, self.agencies.values(), lambda c: (c.agency_id, c.vendor_id, c.title)
        )
        for spec in specs:
            key = self.contract_key(spec)
            if key in contracts:
                continue
            contracts[key] = self.create(
                Contract,
                ["agency", "vendor"],
                agency=self.agencies[spec.agency],
                vendor=self.vendors[spec.vendor],
                title=spec.title,
                identifier=spec.identifier,
                procurement_method=spec.method,
                amount=spec.amount,
                currency=spec.currency,
                funding_source=spec.funding_source,
                signed=spec.signed,
                start=spec.start,
                end=spec.end,
                summary=spec.summary,
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
        deployments = {
            spec.key: self.deployments[self.deployment_key(spec)] for spec in self.plan.deployments
        }
        self.link(
            Contract,
            "deployments",
            (
                (contracts[self.contract_key(spec)], [deployments[key] for key in spec.deployments])
                for spec in specs
            ),
        )

    def nda_key(self, spec):
        return (
            self.agencies[spec.agency].pk,
            _pk(self.vendors[spec.vendor] if spec.vendor else None),
            _pk(self.agencies[spec.counterparty_agency] if spec.counterparty_agency else None),
            spec.signed_date,
        )

    def write_ndas(self):
        specs = self.plan.ndas
        ndas = _existing_by_agency(
            Nda,
            self.agencies.values(),
            lambda n: (
                n.agency_id,
                n.counterparty_vendor_id,
                n.counterparty_agency_id,
                n.signed_date,
            ),
        )
        for spec in specs:
            key = self.nda_key(spec)
            if key in ndas:
                continue
            ndas[key] = self.create(
                Nda,
                ["agency", "counterparty_vendor", "counterparty_agency"],
                agency=self.agencies[spec.agency],
                counterparty_vendor=self.vendors[spec.vendor] if spec.vendor else None,
                counterparty_agency=(
                    self.agencies[spec.counterparty_agency] if spec.counterparty_agency else None
                ),
                signatory=spec.signatory,
                scope=spec.scope,
                term=spec.term,
                signed=spec.signed,
                cited_to_withhold=spec.cited_to_withhold,
            )
        self.cite(Nda, ndas, specs, self.nda_key)
