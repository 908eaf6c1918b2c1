"""A record as the API gives it: the kind's export JSON (the one definition of a record's
public fields, apps/<app>/exports.py, shared with the JSON download) plus where the record
is in the API (`api_url`) and `links`: the records it names and the sources it cites, each
with its page (`url`) and its API address (`api_url`).

Links are found from the model's foreign keys and many-to-many fields to registered kinds,
so a new kind or relation gets them without API code. Every query they need is made once
per page (select_related / Prefetch), never once per record.

On PostgreSQL, a list page of a kind whose export writes its JSON in SQL (sql_json()) and
whose linked kinds say their names in SQL (STR_FIELD, str_sql()) is written by the database:
50 deployments in some 10 ms instead of 40 (the model instances of the records and all they
link to are never built). The objects are the same (tests/api/test_sql_pages.py compares
both ways). The page is read in two queries: the filtered list's ids, then the records'
JSON by id (PageJson), whose SQL does not depend on the filters."""

import json

import psycopg
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import Case, F, Func, OuterRef, Prefetch, Q, TextField, Value, When
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from apps.core.export_sql import address, json_object, json_text
from apps.core.models import Visibility
from apps.records.registry import kind_for_model

# A merged duplicate's survivor: published records are never merged ones, so never a link.
NOT_LINKS = {"merged_into"}


def related_kind(field):
    try:
        return kind_for_model(field.related_model)
    except LookupError:
        return None


def _is_link(kind, field):
    if not field.is_relation or field.name in NOT_LINKS:
        return False
    if field.auto_created:
        # What refers to a record numbered by id (a deployment's contracts and oversight
        # events, an NDA's records requests): a few each. Named records (agencies, vendors,
        # products, technologies) and sources are referred to by thousands, which their
        # filtered lists give a page at a time.
        return field.many_to_many and kind.lookup == "pk" and not kind.evidence
    return field.many_to_one or field.many_to_many


def link_fields(kind):
    """[(field, kind of its records)] for the relations of `kind` that are links: its own
    foreign keys and many-to-many fields, and the many-to-many fields of others naming it."""
    found = []
    for field in kind.model._meta.get_fields():
        if not _is_link(kind, field):
            continue
        target = related_kind(field)
        if target is not None:
            found.append((field, target))
    return found


def _public(kind):
    manager = kind.model.objects
    return manager.published() if kind.publishable else manager.all()


def _related_paths(kind, prefix=""):
    """The foreign keys that str() of a record of `kind` reads, from `prefix`."""
    paths = []
    for name in kind.name_relations:
        try:
            field = kind.model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_one:
            paths.append(prefix + name)
    return paths


def with_links(kind, queryset):
    """`queryset` reading, in a fixed number of queries, what record_json() links."""
    joins = []
    for field, target in link_fields(kind):
        if field.many_to_one:
            joins += [field.name, *_related_paths(target, prefix=f"{field.name}__")]
        else:
            related = _public(target).select_related(*_related_paths(target)).order_by("pk")
            queryset = queryset.prefetch_related(
                Prefetch(field.name, queryset=related, to_attr=f"api_{field.name}")
            )
    return queryset.select_related(*joins) if joins else queryset


def api_url(urls, kind, record):
    """The record's API address; `urls` the request's AbsoluteUrls."""
    return urls.of_view(f"api:{kind.key}-detail", getattr(record, kind.lookup))


def link(urls, kind, record):
    value = {"id": record.pk}
    if kind.lookup != "pk":
        value[kind.lookup] = getattr(record, kind.lookup)
    value.update(
        name=str(record),
        url=urls.of_record(record),
        api_url=api_url(urls, kind, record),
    )
    if kind.evidence:
        value["source_url"] = record.url  # the document itself, where it was published
    return value


def _is_public(record):
    return getattr(record, "visibility", Visibility.PUBLISHED) == Visibility.PUBLISHED


def links(urls, kind, record):
    found = {}
    for field, target in link_fields(kind):
        if field.many_to_one:
            related = getattr(record, field.name)
            # A published record links only to published ones (the publication rules);
            # checked again here so that an inconsistency never leaks a hidden record.
            public = related is not None and _is_public(related)
            found[field.name] = link(urls, target, related) if public else None
        else:
            found[field.name] = [
                link(urls, target, related) for related in getattr(record, f"api_{field.name}")
            ]
    return found


def _str_sql(model, path):
    """str() of the record at the field path `path` as SQL, or None if the model does not
    say how (STR_FIELD for a plain field, str_sql() otherwise)."""
    if hasattr(model, "str_sql"):
        return model.str_sql(path)
    field = getattr(model, "STR_FIELD", None)
    return F(f"{path}{field}") if field else None


def _link_sql(urls, kind, path):
    """link() of the record at the field path `path` ("" for the record of the query) as a
    JSON expression, or None when its name cannot be said in SQL."""
    name = _str_sql(kind.model, path)
    if name is None:
        return None
    page_key, page_prefix, page_suffix = urls.record_address(kind.model)
    api_prefix, api_suffix = urls.around_view(f"api:{kind.key}-detail")
    pairs = {"id": f"{path}pk"}
    if kind.lookup != "pk":
        pairs[kind.lookup] = f"{path}{kind.lookup}"
    pairs.update(
        name=name,
        url=address(page_prefix, f"{path}{page_key}", page_suffix),
        api_url=address(api_prefix, f"{path}{kind.lookup}", api_suffix),
    )
    if kind.evidence:
        pairs["source_url"] = f"{path}url"
    return json_object(**pairs)


def _links_sql(urls, kind):
    """links() as a JSON expression over the records of `kind`, or None (see _link_sql)."""
    found = {}
    for field, target in link_fields(kind):
        if field.many_to_one:
            link = _link_sql(urls, target, f"{field.name}__")
            # As links(): a link to a record the public may not see is null.
            shown = (
                Q(**{f"{field.name}__visibility": Visibility.PUBLISHED})
                if target.publishable
                else Q(**{f"{field.name}__isnull": False})
            )
            value = link and Case(When(shown, then=link), default=Value(None))
        else:
            link = _link_sql(urls, target, "")
            # The other kind's field (a contract's `deployments`), or this kind's (`sources`).
            name = field.field.name if field.auto_created else field.related_query_name()
            related = _public(target).filter(**{name: OuterRef("pk")}).order_by("pk")
            value = link and Func(
                ArraySubquery(related.values(link=link)),
                function="to_json",
                output_field=TextField(),
            )
        if value is None:
            return None
        found[field.name] = value
    return json_object(**found)


class PageJson:
    """The SQL that writes the JSON of the records of one kind whose ids it is given, and
    running it.

    Its text depends only on the kind and on the addresses it writes (the request's scheme
    and host, the script prefix, the URLconf, the language), not on the list's filters, so
    it is built by the ORM once per such key and process: resolving and compiling its some
    40 expressions took 15 ms of every page. And it is run with its one parameter bound on
    the server, so that psycopg prepares it (DB_PREPARED_STATEMENTS, config/settings): planning
    its joins and subqueries took PostgreSQL 5 ms of every page; by id, its one plan (the
    primary key's index) is the best for every page."""

    _built = {}
    # Hosts are checked against ALLOWED_HOSTS before a view runs, but a wildcard admits any:
    # the store stays bounded.
    MAX_BUILT = 64

    def __init__(self, kind, export, using):
        self.kind, self.using = kind, using
        request = export.urls.request
        key = (
            kind.key,
            using,
            request.build_absolute_uri("/"),
            get_script_prefix(),
            get_urlconf(),
            get_language(),
        )
        if key not in self._built:
            if len(self._built) >= self.MAX_BUILT:
                self._built.clear()
            self._built[key] = self._build(kind, export, using)
        self.sql = self._built[key]

    @classmethod
    def forget(cls):
        """Drop every SQL text built (a test that changes how a kind writes its JSON)."""
        cls._built.clear()

    @staticmethod
    def _build(kind, export, using):
        record, links = export.sql_json(), _links_sql(export.urls, kind)
        if record is None or links is None:
            return None
        # The kind's public records only, whatever ids are asked for.
        queryset = (
            _public(kind)
            .using(using)
            .order_by()
            .values("pk", api_record=json_text(record), api_links=json_text(links))
        )
        sql, params = queryset.query.get_compiler(using).as_sql()
        connection = connections[using]
        # With its values written in (as Django's client-side binding sends every query),
        # then its percent signs escaped: the ids are the statement's one parameter.
        written = connection.ops.compose_sql(sql, params).replace("%", "%%")
        pk_type = kind.model._meta.pk.db_type(connection)
        return f"SELECT * FROM ({written}) AS page WHERE page.pk = ANY(%s::{pk_type}[])"  # nosec B608 # Django's compiled SQL, values quoted by the driver

    def texts(self, ids):
        """{id: (record's JSON text, links' JSON text)} of those of `ids` that are public."""
        connection = connections[self.using]
        connection.ensure_connection()
        # Django's cursors bind on the client, which psycopg never prepares.
        raw = psycopg.Cursor(connection.connection)
        # In Django's wrapper: its errors, and the query counted and logged like any other.
        wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
        with wrap(raw) as cursor:
            cursor.execute(self.sql, [list(ids)])
            return {pk: (record, links) for pk, record, links in cursor.fetchall()}


class RecordWriter:
    """Turns the records of one kind into API objects: prepare() the queryset before it is
    read, then page() the records read (one page, or one record)."""

    # Whether list_rows() handed the page to the database (list_page() then reads its texts).
    written_by_database = False

    def __init__(self, kind, request):
        self.kind, self.request = kind, request
        # Every kind with a list has an export (tests/records/test_registry.py).
        self.export = kind.export_class(request)
        # What sql_json() writes as what DRF's JSON encoder writes: UTC times with "Z".
        self.export.utc_suffix = "Z"

    def prepare(self, queryset):
        return with_links(self.kind, self.export.prepare(queryset))

    def page(self, records):
        records = list(records)
        self.export.load_chunk(records)
        return [self.record(record) for record in records]

    def list_rows(self, queryset):
        """What a list page reads from `queryset`: records for page(), or on PostgreSQL,
        when the database can write them (see the module's docstring), a dict a record of
        its keys, whose JSON list_page() reads."""
        if connections[queryset.db].vendor == "postgresql":
            self.page_json = PageJson(self.kind, self.export, queryset.db)
            if self.page_json.sql is not None:
                self.written_by_database = True
                return queryset.prefetch_related(None).values(*{"pk", self.kind.lookup})
        return self.prepare(queryset)

    def list_page(self, rows):
        if not self.written_by_database:
            return self.page(rows)
        kind, urls = self.kind, self.export.urls
        texts = self.page_json.texts(row["pk"] for row in rows)
        return [
            {
                "id": row["pk"],
                **json.loads(texts[row["pk"]][0]),
                "api_url": urls.of_view(f"api:{kind.key}-detail", row[kind.lookup]),
                "links": json.loads(texts[row["pk"]][1]),
            }
            for row in rows
            # Withdrawn between the two queries: gone from the page, as from the next one.
            if row["pk"] in texts
        ]

    def record(self, record):
        return {
            "id": record.pk,
            **self.export.json(record),
            "api_url": api_url(self.export.urls, self.kind, record),
            "links": links(self.export.urls, self.kind, record),
        }
