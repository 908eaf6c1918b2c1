"""Writing an import: matching the records a row names, or creating them through the write
gateway (RecordBatch), only ever linking what the importing user may link, and counting
what happened for the report."""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from apps.accounts.roles import is_reviewer
from apps.agencies.models import Agency, AgencyKind
from apps.core.history import pinpoint, pinpoints_of
from apps.core.models import Visibility
from apps.core.partial_dates import PartialDate
from apps.records import services
from apps.sources.models import Source, SourceKind
from apps.vendors.models import Product, Vendor

from .shared_cells import AGENCY_FIELD_COLUMNS


def _column(field_name, columns):
    """The file's column for a model field: renamed in `columns`, a partial date's precision
    under its date, anything else under its own name."""
    if field_name in columns:
        return columns[field_name]
    return field_name.removesuffix("_precision")


def full_clean(instance, *, columns):
    """Validate `instance` like a form would, naming the file's columns in the messages.

    The slug is left out: save() makes a unique one from the name.
    """
    exclude = ["slug"] if hasattr(instance, "slug") and not instance.slug else []
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationError(
            {
                _column(name, columns) if name != NON_FIELD_ERRORS else NON_FIELD_ERRORS: messages
                for name, messages in exc.message_dict.items()
            }
        ) from exc


def row_problem(column, message):
    return ValidationError({column: [message]})


@dataclass
class Tally:
    """What an import did to one model. Objects are counted once, however many rows name
    them: an object this import created counts as created, never also as matched."""

    created: set = field(default_factory=set)
    matched: set = field(default_factory=set)
    skipped_rows: int = 0  # rows whose record existed and that added nothing to it
    citations: int = 0  # sources newly attached to records

    def note(self, instance, *, created):
        if created:
            self.created.add(instance.pk)
        elif instance.pk not in self.created:
            self.matched.add(instance.pk)


@dataclass(frozen=True)
class Attribution:
    """Who an import is recorded as. A reviewer's import publishes what it creates; a
    volunteer's creates pending records for review. `user` is None only for a dry run, which
    is then checked as a reviewer's import would be."""

    user: object
    summary: str  # the versions' and the changes' summary: "Imported from FILE.csv"

    @property
    def publishes(self):
        return self.user is None or is_reviewer(self.user)

    @property
    def visibility(self):
        return Visibility.PUBLISHED if self.publishes else Visibility.PENDING


class Resolver:
    """Matches or creates the shared records of an import, remembering what it resolved so
    that a file naming the same agency on every row does not look it up every time, and
    which records the import created or changed, for their history versions."""

    def __init__(self, attribution):
        self.attribution = attribution
        self.tallies = {}
        self.notes = []  # things worth knowing that do not refuse the file
        self.line = None  # the row being written, for the notes
        self.pinpoints = {}  # {source URL: pinpoint} of the row being written
        # Creates and changes the records through the gateway, which versions each once
        # when the import is accepted.
        self.batch = services.RecordBatch(
            user=attribution.user, summary=attribution.summary, publishes=attribution.publishes
        )
        self.lines = {}  # (model, pk) -> the first line that created or changed it
        # (model, pk) -> the file's `id` of the row that first created or matched the record:
        # a row with another id is another record, and never matches it (see record()).
        self.claims = {}
        self._agencies, self._vendors, self._products, self._sources = {}, {}, {}, {}

    def tally(self, label):
        return self.tallies.setdefault(label, Tally())

    def note(self, message):
        self.notes.append(f"line {self.line}: {message}")

    def _create(self, model, *, columns, **values):
        """A new record, saved once full_clean() accepted it (errors named by column)."""
        instance = self.batch.create(
            model, validate=lambda instance: full_clean(instance, columns=columns), **values
        )
        self.lines.setdefault((model, instance.pk), self.line)
        return instance

    def created_here(self, instance):
        """Whether this import created `instance` (a volunteer's import may change only those)."""
        return self.batch.created(instance)

    def may_change(self, instance):
        return self.attribution.publishes or self.created_here(instance)

    def may_link(self, instance):
        """Whether a row may link to `instance`: a published record, one this import
        created, or for a volunteer's import a pending record the volunteer added. Never a
        withdrawn record, nor one waiting for someone else's review."""
        if instance.visibility == Visibility.PUBLISHED or self.created_here(instance):
            return True
        user = self.attribution.user
        return (
            not self.attribution.publishes
            and instance.visibility == Visibility.PENDING
            and type(instance).objects.filter(pk=instance.pk).authored_by(user).exists()
        )

    def linkable(self, found, *, column, named):
        """`found` (or None) when a row may link to it; else the row is refused."""
        if found is None or self.may_link(found):
            return found
        raise row_problem(column, _not_linkable(found, named))

    def only_linkable(self, candidates, *, column, named):
        """The `candidates` a row may link to; the row is refused when there were some but
        it may link to none, rather than adding the hidden record again as a duplicate."""
        linkable = [candidate for candidate in candidates if self.may_link(candidate)]
        if candidates and not linkable:
            raise row_problem(column, _not_linkable(candidates[0], named))
        return linkable

    def _match_or_create(self, label, found, *, new, source=None):
        """`found`, counted as matched; or, when it is None, the record `new()` creates,
        counted as created and citing `source` (the row's source names it)."""
        if found is not None:
            self.tally(label).note(found, created=False)
            return found
        instance = new()
        if source is not None:
            instance.sources.add(source)
        self.tally(label).note(instance, created=True)
        return instance

    def _missing_links(self, record, links, *, fresh=False):
        """{relation name: the targets in `links` that `record` does not link to yet}; a
        `fresh` record (just created) links to nothing yet."""
        missing = {}
        for name, targets in links.items():
            targets = list(dict.fromkeys(targets))
            if targets and not fresh:
                linked = set(getattr(record, name).values_list("pk", flat=True))
                targets = [target for target in targets if target.pk not in linked]
            if targets:
                missing[name] = targets
        return missing

    def _link(self, record, missing):
        for name, targets in missing.items():
            self.batch.link(record, name, targets)
        self.lines.setdefault((type(record), record.pk), self.line)

    def _pinpoint(self, record, sources, *, added):
        """Give the citations the row `added` the page and quote the row gives them. A source
        the record already cited keeps its own: a different one in the row is noted."""
        pinpoints = {source.pk: self.pinpoints.get(source.url) for source in sources}
        if not any(pinpoints.values()):
            return
        stored = pinpoints_of(record) if len(added) < len(sources) else {}
        for source in sources:
            wanted = pinpoints[source.pk]
            if source in added:
                if wanted:
                    self.batch.pinpoint(record, source, wanted)
            elif wanted and stored.get(str(source.pk), pinpoint()) != wanted:
                self.note(
                    f"{record._meta.verbose_name} {record} already cites {source.url} with "
                    "another page or quote; it was kept."
                )

    def by_ids(self, model, ids, *, column):
        """The records of `model` with the file's `ids` (the exporting database's: they name
        the same records when their kind's export was imported first into an empty
        database), in id order. An id no record here has, or one of a record the import may
        not link (withdrawn, or waiting for someone else's review: named like an unknown id,
        so that the message does not reveal it), is a bad row."""
        if not ids:
            return []
        found = [
            record
            for record in model._default_manager.filter(pk__in=ids).order_by("pk")
            if self.may_link(record)
        ]
        unknown = sorted(set(ids) - {record.pk for record in found})
        if unknown:
            meta, several = model._meta, len(unknown) > 1
            raise row_problem(
                column,
                f"no {meta.verbose_name_plural if several else meta.verbose_name} this import "
                f"may link {'have the ids' if several else 'has the id'} "
                f"{', '.join(f'#{pk}' for pk in unknown)} here. The ids are the exporting "
                f"database's: import its {model._meta.verbose_name_plural} first, into an "
                "empty database, or leave the id out.",
            )
        return found

    def source(self, ref):
        """The source with the row's URL, or a new one from the row (kind "other")."""
        if ref.url not in self._sources:
            self._sources[ref.url] = self._match_or_create(
                "Sources",
                self.linkable(
                    Source.objects.filter(url=ref.url).first(),
                    column=ref.columns["url"],
                    named=f"the URL {ref.url}",
                ),
                new=lambda: self._new_source(ref),
            )
        return self._sources[ref.url]

    def _new_source(self, ref):
        if not ref.title:
            raise row_problem(
                ref.columns["title"],
                f"a new source needs a title (no source has the URL {ref.url} yet).",
            )
        return self._create(
            Source,
            columns=ref.columns,
            url=ref.url,
            title=ref.title,
            publisher=ref.publisher,
            **date_fields("publication_date", ref.published),
            kind=SourceKind.OTHER,
        )

    def agency(self, ref, *, source, columns=AGENCY_FIELD_COLUMNS):
        """Match by ORI, then by name or alias within the region; else create from the row."""
        if ref not in self._agencies:
            self._agencies[ref] = self._match_or_create(
                "Agencies",
                self._find_agency(ref, columns=columns),
                source=source,
                new=lambda: self._create(
                    Agency,
                    columns=columns,
                    name=ref.name,
                    kind=ref.kind or AgencyKind.OTHER,
                    country=ref.country,
                    region=ref.region,
                    locality=ref.locality,
                    ori=ref.ori,
                    latitude=ref.latitude,
                    longitude=ref.longitude,
                ),
            )
        return self._agencies[ref]

    def _find_agency(self, ref, *, columns):
        if ref.ori:
            found = Agency.objects.filter(ori=ref.ori).select_related("merged_into").first()
            if found is not None:
                # A merged duplicate keeps its ORI; its records now belong to the survivor.
                return self.linkable(
                    found.merged_into or found,
                    column=_column("ori", columns),
                    named=f"the ORI {ref.ori}",
                )
        named = Agency.objects.matching_name(ref.name, ref.region).filter(country=ref.country)
        candidates = list(named.order_by("pk")[:10])
        if ref.ori:
            # An agency of that name with another ORI is another agency, or a mistake.
            others = [agency for agency in candidates if agency.ori]
            candidates = [agency for agency in candidates if not agency.ori]
            if others and not candidates:
                raise row_problem(
                    _column("ori", columns),
                    f"no agency has the ORI {ref.ori}, and {_describe(others)} "
                    f"{'has' if len(others) == 1 else 'have'} another ORI: check the ORI.",
                )
        candidates = self.only_linkable(
            candidates, column=_column("name", columns), named=f"“{ref.name}”"
        )
        if len(candidates) > 1:
            raise row_problem(
                _column("name", columns),
                f"“{ref.name}” matches {len(candidates)} agencies: {_describe(candidates)}. "
                "Give the ORI (or the region) to pick one.",
            )
        return candidates[0] if candidates else None

    def vendor(self, name, *, source, column):
        """Match by name or alias; else create."""
        key = name.casefold()
        if key not in self._vendors:
            candidates = self.only_linkable(
                list(Vendor.objects.matching_name(name).order_by("pk")[:10]),
                column=column,
                named=f"“{name}”",
            )
            if len(candidates) > 1:
                raise row_problem(
                    column,
                    f"“{name}” matches {len(candidates)} vendors: {_describe(candidates)}. "
                    "Merge them first, or use a name only one of them has.",
                )
            self._vendors[key] = self._match_or_create(
                "Vendors",
                candidates[0] if candidates else None,
                source=source,
                new=lambda: self._create(Vendor, columns={"name": column}, name=name),
            )
        return self._vendors[key]

    def product(self, name, *, vendor, source, column, technology=None):
        """The vendor's product of that name, else a new one; with no vendor, the one product
        anywhere with that name. A `technology` (what a deployment of it does) is added to
        the product's technologies when missing."""
        key = (vendor.pk if vendor else None, name.casefold())
        if key not in self._products:
            if vendor is None:
                found = self._only_product_named(name)
            else:
                found = self.linkable(
                    Product.objects.filter(vendor=vendor, name__iexact=name).first(),
                    column=column,
                    named=f"“{name}”",
                )
            self._products[key] = self._match_or_create(
                "Products",
                found,
                source=source,
                new=lambda: self._new_product(name, vendor=vendor, column=column),
            )
        product = self._products[key]
        if technology is not None:
            self._add_technology(product, technology)
        return product

    def _new_product(self, name, *, vendor, column):
        self._note_same_name_elsewhere(name, vendor=vendor)
        return self._create(
            Product, columns={"name": column, "vendor": column}, vendor=vendor, name=name
        )

    def _add_technology(self, product, technology):
        missing = self._missing_links(product, {"technologies": [technology]})
        if not missing:
            return
        if self.may_change(product):
            self._link(product, missing)
        else:
            self.note(
                f"product {_describe([product])} does not list {technology} among its "
                "technologies; a volunteer's import leaves existing records unchanged, so it "
                "was not added (a reviewer can add it)."
            )

    def _only_product_named(self, name):
        candidates = self.only_linkable(
            list(
                Product.objects.filter(name__iexact=name)
                .select_related("vendor")
                .order_by("pk")[:10]
            ),
            column="product",
            named=f"“{name}”",
        )
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise row_problem(
                "vendor", f"no product is called “{name}” yet, so the vendor must be given."
            )
        vendors = _describe([product.vendor for product in candidates])
        raise row_problem(
            "vendor",
            f"{len(candidates)} vendors sell a product called “{name}” ({vendors}): "
            "give the vendor.",
        )

    def _note_same_name_elsewhere(self, name, *, vendor):
        # Only public products are mentioned: a note must not name hidden records.
        elsewhere = Product.objects.published().filter(name__iexact=name).exclude(vendor=vendor)
        elsewhere = elsewhere.filter(vendor__visibility=Visibility.PUBLISHED)
        elsewhere = list(elsewhere.select_related("vendor")[:3])
        if elsewhere:
            vendors = _describe([product.vendor for product in elsewhere])
            self.note(
                f"a product “{name}” was created for {vendor}, though {vendors} already "
                "sells one of that name; check the vendor."
            )

    def record(self, model, *, label, key, values, sources, file_id=None, columns=None, links=None):
        """Match the record with the natural `key`, or create it from `key` and `values`.

        A matched record is never overwritten: only links are added, the row's source if it
        is not cited yet (several rows of one record are one way several sources are written) and
        the targets in `links` ({relation name: records}) it does not link to yet. Values of
        the row that differ from the stored ones are mentioned in the notes. A volunteer's
        import may add links only to records it created: a row that would add some to an
        existing record is a bad row.

        `file_id` is the row's `id` (the exporting database's): rows with different ids are
        different records, even with the same natural key (the site lets two contracts share
        agency, vendor, title and signed date). See _find_record().
        """
        tally = self.tally(label)
        columns = columns or {}
        found = self._find_record(model, key, file_id=file_id)
        if found is not None:
            record, created = found, False
        else:
            record, created = self._create(model, columns=columns, **key, **values), True
        if file_id is not None:
            self.claims.setdefault((model, record.pk), file_id)
        missing = self._missing_links(record, {"sources": sources, **(links or {})}, fresh=created)
        if missing and not self.may_change(record):
            raise ValidationError(_volunteer_cannot_change(record, missing))
        if not created:
            self._note_differences(record, values=values, columns=columns)
        tally.note(record, created=created)
        if missing:
            self._link(record, missing)
        self._pinpoint(record, sources, added=missing.get("sources", ()))
        self.tally("Sources").citations += len(missing.get("sources", ()))
        if not (created or missing):
            tally.skipped_rows += 1
        return record

    def _find_record(self, model, key, *, file_id):
        """The existing record a row with the natural `key` names, or None (create one).

        Without a `file_id` (the one-row-per-source layout, which repeats a record over
        several rows), the one record with that key, whichever rows named it before; several
        are refused. With one, the records an earlier row with another id created or matched
        are left out: the row takes the one its id already claimed, else the first other one
        (by id), so that importing the same file again pairs each row with its own record
        and creates nothing.
        """
        matches = model._default_manager.filter(**key).order_by("pk")
        if file_id is None:
            matches = list(matches[:3])
            if len(matches) > 1:
                ids = ", ".join(f"#{match.pk}" for match in matches)
                raise ValidationError(
                    f"the row matches several existing {model._meta.verbose_name_plural} "
                    f"({ids}); merge them first."
                )
        else:
            claims = [(self.claims.get((model, match.pk)), match) for match in matches]
            matches = [match for claim, match in claims if claim == file_id] or [
                match for claim, match in claims if claim is None
            ]
            # A withdrawn or hidden record is only named when nothing else is left for the row.
            matches = self.only_linkable(matches, column=NON_FIELD_ERRORS, named="The row")[:1]
        if matches and not self.may_link(matches[0]):
            raise ValidationError(_not_linkable(matches[0], "The row"))
        return matches[0] if matches else None

    def _note_differences(self, record, *, values, columns):
        # In the order of `values`, which is the file's order of columns.
        differing = list(
            dict.fromkeys(
                _column(name, columns)
                for name, value in values.items()
                if getattr(record, name) != value
            )
        )
        if differing:
            self.note(
                f"kept {record._meta.verbose_name} #{record.pk} as stored; the "
                f"file's {', '.join(differing)} differ{'s' if len(differing) == 1 else ''} "
                "(an import never overwrites)."
            )


def _not_linkable(record, named):
    noun = record._meta.verbose_name
    if record.visibility == Visibility.WITHDRAWN:
        return (
            f"{named} names {noun_with_article(noun)} that was withdrawn from the registry: an "
            "import neither links to it nor adds it again. A reviewer can restore it first "
            "(from its history page); otherwise correct the row."
        )
    return (
        f"{named} names {noun_with_article(noun)} that is waiting for review and not public: "
        "an import cannot link to it, nor add it again. Import this row once it is approved."
    )


def noun_with_article(noun):
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _volunteer_cannot_change(record, missing):
    additions = "; ".join(
        f"{name}: {', '.join(str(target) for target in targets)}"
        for name, targets in missing.items()
    )
    return (
        f"{record._meta.verbose_name} #{record.pk} ({record}) already exists, and a "
        f"volunteer's import only adds new records, so it cannot add ({additions}) to it. "
        "Edit the record on the site, or ask a reviewer to import this file."
    )


def _describe(instances):
    return ", ".join(
        f"{instance}" + (f" ({instance.slug})" if getattr(instance, "slug", "") else "")
        for instance in instances
    )


def date_fields(name, partial):
    """The two model fields of a partial date (`name`, `name`_precision) as keyword values."""
    if partial is None:
        return {name: None, f"{name}_precision": ""}
    return {name: partial.date, f"{name}_precision": partial.precision}


def given_values(**values):
    """The row's values for a record's fields, leaving out empty cells so that a new record
    gets the model's default and a matched one is only compared on what the row says."""
    result = {}
    for name, value in values.items():
        if isinstance(value, PartialDate):
            result.update(date_fields(name, value))
        elif value not in (None, ""):
            result[name] = value
    return result
