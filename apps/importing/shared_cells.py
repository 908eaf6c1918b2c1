"""Reading the cells every kind of file has: the row's agency (AGENCY_COLUMNS), its sources
(SOURCE_COLUMNS, or the export's SOURCE_LIST_COLUMNS), the exported `id`, and names of
vendors and products, checked against the models' fields. The columns themselves are
defined with the exports (apps/core/exports.py), which write them."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from apps.agencies.models import Agency, AgencyKind
from apps.core.exports import SOURCE_LIST_COLUMNS, split_list
from apps.core.history import PAGE_MAX, QUOTE_MAX_LENGTH, pinpoint
from apps.core.partial_dates import PartialDate
from apps.core.places import region_code, resolve_country
from apps.sources.models import Source
from apps.vendors.models import Product, Vendor

from .reading import plural

# How the model fields of shared records are called in the file, for error messages.
AGENCY_FIELD_COLUMNS = {"name": "agency", "kind": "agency_kind", "ori": "agency_ori"}
SOURCE_FIELD_COLUMNS = {
    "url": "source_url",
    "title": "source_title",
    "publisher": "source_publisher",
    "publication_date": "source_date",
    "page": "source_page",
    "quote": "source_quote",
}
# The same in the export's layout, where a row lists its sources.
SOURCE_LIST_FIELD_COLUMNS = dict(zip(SOURCE_FIELD_COLUMNS, SOURCE_LIST_COLUMNS, strict=True))


@dataclass(frozen=True)
class AgencyRef:
    """An agency as a row describes it; matched or created by Resolver.agency()."""

    name: str
    country: str
    region: str = ""
    kind: str | None = None
    locality: str = ""
    ori: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True)
class SourceRef:
    url: str
    title: str = ""
    publisher: str = ""
    published: PartialDate | None = None
    page: int | None = None  # where in the source the row's fact is (the citation's pinpoint)
    quote: str = ""
    listed: bool = False  # read from the list cells of a one-row-per-record file

    @property
    def pinpoint(self):
        """The citation's pinpoint, or None when the row gives no page or quote."""
        return pinpoint(self.page, self.quote) if self.page is not None or self.quote else None

    @property
    def columns(self):
        """The file's columns for the source's fields, for messages."""
        return SOURCE_LIST_FIELD_COLUMNS if self.listed else SOURCE_FIELD_COLUMNS


def field_of(model, name):
    """The model's field `name`, whose validators check a cell."""
    return model._meta.get_field(name)


def read_country_region(reader, *, region_column):
    """The row's country (default US, the model default) and region, each typed as a code or
    a name (United States, Oregon, US-OR) and stored as the code; one message per bad cell."""
    country = reader.text("country") or "US"
    region = reader.text(region_column)
    try:
        country = resolve_country(country)
    except ValidationError as exc:
        reader.add_problem("country", exc.messages[0])
        return country.upper(), region.upper()  # its regions are unknown: one message is enough
    try:
        region = region_code(region, country)
    except ValidationError as exc:
        reader.add_problem(region_column, exc.messages[0])
        region = region.upper()
    return country, region


def read_agency(reader):
    country, region = read_country_region(reader, region_column="region")
    latitude = reader.decimal(
        "latitude", model_field=field_of(Agency, "latitude"), round_to_field=True
    )
    longitude = reader.decimal(
        "longitude", model_field=field_of(Agency, "longitude"), round_to_field=True
    )
    if bool(reader.row.cells.get("latitude")) != bool(reader.row.cells.get("longitude")):
        reader.add_problem("longitude", "give both latitude and longitude, or neither.")
    return AgencyRef(
        name=read_agency_name(reader, "agency", required=True),
        kind=reader.choice("agency_kind", AgencyKind),
        country=country,
        region=region,
        locality=reader.text("locality", model_field=field_of(Agency, "locality")),
        ori=reader.text("agency_ori", model_field=field_of(Agency, "ori"), upper=True),
        latitude=latitude,
        longitude=longitude,
    )


def read_source(reader):
    return SourceRef(
        url=reader.text(
            "source_url",
            model_field=field_of(Source, "url"),
            required=True,
            why=": a published record cites at least one source",
        ),
        title=reader.text("source_title", model_field=field_of(Source, "title")),
        publisher=reader.text("source_publisher", model_field=field_of(Source, "publisher")),
        published=reader.date("source_date"),
        page=read_page(reader, "source_page", reader.text("source_page")),
        quote=read_quote(reader, "source_quote", reader.text("source_quote")),
    )


def read_page(reader, column, value):
    """A citation's page (a whole number from 1), or None for an empty cell."""
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= PAGE_MAX:
        reader.add_problem(
            column, f"“{value}” is not a page: write the page number, from 1 to {PAGE_MAX}."
        )
        return None
    return int(value)


def read_quote(reader, column, value):
    """A citation's quote, its spaces and line breaks made single spaces."""
    quote = " ".join(value.split())
    if len(quote) > QUOTE_MAX_LENGTH:
        reader.add_problem(
            column,
            f"a quote is at most {QUOTE_MAX_LENGTH} characters (this one has {len(quote)}).",
        )
    return quote


def read_sources(reader):
    """The sources of a per-record row: the URLs in `source_urls`, with the title, publisher
    and date at the same place in the other list cells (an empty cell: none given)."""
    urls = split_list(
        reader.text(
            "source_urls", required=True, why=": a published record cites at least one source"
        )
    )
    if "" in urls:
        reader.add_problem("source_urls", "a URL in the list is empty (two separators in a row?).")
        return []
    repeated = sorted({url for url in urls if urls.count(url) > 1})
    if repeated:
        reader.add_problem("source_urls", f"lists {', '.join(repeated)} more than once.")
        return []
    given = {}
    for column in SOURCE_LIST_COLUMNS[1:]:
        values = split_list(reader.text(column))
        if values and len(values) != len(urls):
            reader.add_problem(
                column,
                f"has {plural(len(values), 'value')} for {plural(len(urls), 'URL')} in "
                "source_urls: give one per URL, in the same order, or leave it empty.",
            )
            return []
        given[column] = values or [""] * len(urls)
    refs = []
    for url, title, publisher, date, page, quote in zip(urls, *given.values(), strict=True):
        ok = reader.check("source_urls", url, model_field=field_of(Source, "url"))
        if title:
            ok = reader.check("source_titles", title, model_field=field_of(Source, "title")) and ok
        if publisher:
            ok = (
                reader.check(
                    "source_publishers", publisher, model_field=field_of(Source, "publisher")
                )
                and ok
            )
        published = reader.parse_date("source_dates", date) if date else None
        if ok:
            refs.append(
                SourceRef(
                    url=url,
                    title=title,
                    publisher=publisher,
                    published=published,
                    page=read_page(reader, "source_pages", page),
                    quote=read_quote(reader, "source_quotes", quote),
                    listed=True,
                )
            )
    return refs


def read_record_id(reader):
    """The `id` column of an exported row: informational, but the rows are written in its
    order (see run_import), so it must be a whole number when given."""
    value = reader.text("id")
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        reader.add_problem(
            "id",
            f"“{value}” is not a record id (a whole number). The id column only says what the "
            "record was called where it was exported; it may be left empty.",
        )
        return None
    return int(value)


def read_ids(reader, column):
    """The whole numbers listed in a list cell (`deployment_ids`), without repeats."""
    ids = []
    for value in split_list(reader.text(column)):
        if not (value.isascii() and value.isdigit()):
            reader.add_problem(column, f"“{value}” is not a record id (a whole number).")
        elif int(value) not in ids:
            ids.append(int(value))
    return ids


def read_agency_name(reader, column, *, required=False):
    return reader.text(column, model_field=field_of(Agency, "name"), required=required)


def read_vendor_name(reader, column, *, required=False):
    return reader.text(column, model_field=field_of(Vendor, "name"), required=required)


def read_product_name(reader, column):
    return reader.text(column, model_field=field_of(Product, "name"))


def read_product_names(reader, column, *, separator):
    return reader.names(column, model_field=field_of(Product, "name"), separator=separator)
