"""Site-wide search: one index of every published record (SearchEntry), kept current on
every save, and one way of matching a search against it, used by /search/ and by every
list's `q` (apps/core/filters.py SearchFilter hands its search here).

What is indexed: each kind declares in the registry (`Kind.search`) a SearchSpec saying
which fields make the record's document (its name, other names and identifiers, and its
text, related records' names included: a deployment is found by its agency's name). Only
published records have an entry (technologies, always public, too); a record pending review
or withdrawn has none, so no search can show it.

How it stays current: a save of a record of an indexed kind (post_save: whatever writes it,
the gateway's services, a merge, the admin, a batch of the demo data or an import) rewrites
its entry or removes it, in the same transaction; an alias added or removed rewrites its
record's. When a record's names change, the entries of the records whose documents carry
them (`depends_on`: a deployment carries its agency's) are rewritten too. Writes that skip
save() (a queryset's update(), as the document reader does) call `refresh()` themselves.
`manage.py reindex_search` rebuilds the whole index.

How it matches, on PostgreSQL: each word of the search must be a prefix of a word of the
stored, GIN-indexed full-text vector (`simple` configuration over folded text: no stemming,
names in any language) or, for a word of four letters or more that no entry searched holds
as typed, close to a word of the names by trigram word similarity (pg_trgm's `<%`,
GIN-indexed): "Rekogniton" finds "Rekognition". A word found as typed is not also matched
by its near spellings, which would bury the records that have it (and cost a trigram
comparison with every entry sharing a few of its letters).
Results are ranked by ts_rank (the name weighs most, then other names, then the text) plus
the trigram similarity of the whole search to the names.
On SQLite (the embedded default): each word must appear in the folded names and text (LIKE,
as `q` always did), or, found nowhere so, be close, by difflib's ratio, to a word of the
names sharing its first three letters; ranked by where the words appear. Same interface,
same results on small data; no index, so it reads every row."""

import difflib
import re
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import RowNumber
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from apps.core.models import Visibility
from apps.core.search import _TRANSLATION, Fold, fold

from .models import SearchEntry
from .registry import all_kinds, kind_for_model

# A document's text past this is not indexed (a long PDF's tail): PostgreSQL refuses a
# tsvector over 1 MB, and a passage is found near the start of what matched anyway.
MAX_TEXT = 100_000
MAX_TERMS = 10
FUZZY_MIN_LENGTH = 4  # shorter words are matched exactly: "cam" is close to too much
SQLITE_SIMILARITY = "registry_similarity"
SQLITE_FUZZY_RATIO = 0.75
PG_WORD_SIMILARITY = 0.5
TRGM_CONFIG = "simple"


@dataclass
class Document:
    """What a record is found by."""

    name: str
    url: str
    names: list = field(default_factory=list)
    """Other names and identifiers: aliases, an ORI, a product's vendor."""
    text: list = field(default_factory=list)
    """Everything else searched: summaries, related records' names, a PDF's text."""
    country: str = ""
    region: str = ""


class SearchSpec:
    """How a kind's records become Documents. `related` and `prefetch` are fetched with the
    records when many are indexed at once; `depends_on` names the foreign keys whose
    target's names the document carries (their entries are rewritten when those change)."""

    related: tuple = ()
    prefetch: tuple = ()
    depends_on: tuple = ()

    def document(self, record):
        raise NotImplementedError


def indexed_kinds():
    return [kind for kind in all_kinds() if kind.search]


def _kind_of(model):
    try:
        kind = kind_for_model(model)
    except LookupError:
        return None
    return kind if kind.search else None


def _public(queryset):
    model = queryset.model
    if any(f.name == "visibility" for f in model._meta.concrete_fields):
        queryset = queryset.filter(visibility=Visibility.PUBLISHED)
    return queryset


def alias_names(record):
    return [alias.name for alias in record.aliases.all()]


# ---------------------------------------------------------------- writing the index


def _entry_row(kind, record):
    """The values of `record`'s entry: kind, record_id and ENTRY_FIELDS, in that order (a
    rebuild copies them as they are, without a SearchEntry instance each)."""
    # The index is the same whatever the language of the request that saved the record:
    # labels in the site's default language, and the address without a language prefix
    # (the search page gives it in the reader's language).
    with translation.override(settings.LANGUAGE_CODE):
        document = kind.search_spec.document(record)
    names = fold(" ".join([document.name, *filter(None, document.names)]))
    text = "\n".join(part for part in document.text if part)[:MAX_TEXT]
    return (
        kind.key,
        record.pk,
        document.name[:500],
        document.url,
        names,
        text,
        f"{names} {fold(text)}",
        document.country or "",
        (document.region or "").upper(),
    )


ENTRY_FIELDS = ["name", "url", "names", "text", "folded", "country", "region"]
ENTRY_COLUMNS = ["kind", "record_id", *ENTRY_FIELDS]


def _entry(kind, record):
    return SearchEntry(**dict(zip(ENTRY_COLUMNS, _entry_row(kind, record), strict=True)))


def refresh(model, pks, *, dependents=True):
    """Rewrite the entries of `model`'s records `pks`: published ones indexed, the others
    removed. Then, when `dependents`, the entries of the records carrying their names."""
    kind = _kind_of(model)
    pks = [pk for pk in pks if pk is not None]
    if kind is None or not pks:
        return
    spec = kind.search_spec
    records = _public(model._base_manager.filter(pk__in=pks))
    records = records.select_related(*spec.related).prefetch_related(*spec.prefetch)
    entries = [_entry(kind, record) for record in records]
    before = dict(
        SearchEntry.objects.filter(kind=kind.key, record_id__in=pks).values_list(
            "record_id", "names"
        )
    )
    SearchEntry.objects.filter(kind=kind.key, record_id__in=pks).exclude(
        record_id__in=[entry.record_id for entry in entries]
    ).delete()
    _write(entries)
    if dependents:
        renamed = [
            e.record_id for e in entries if e.record_id in before and before[e.record_id] != e.names
        ]
        if renamed:
            _refresh_dependents(model, renamed)


def _write(entries):
    if not entries:
        return
    SearchEntry.objects.bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["kind", "record_id"],
        update_fields=[*ENTRY_FIELDS, "updated_at"],
        batch_size=500,
    )
    if connection.vendor == "postgresql":
        # The vector is computed by the database from the columns just written.
        by_kind = {}
        for entry in entries:
            by_kind.setdefault(entry.kind, []).append(entry.record_id)
        for kind, ids in by_kind.items():
            SearchEntry.objects.filter(kind=kind, record_id__in=ids).update(vector=_VECTOR)


_VECTOR = (
    SearchVector(Fold(F("name")), weight="A", config=TRGM_CONFIG)
    + SearchVector("names", weight="B", config=TRGM_CONFIG)
    + SearchVector(Fold(F("text")), weight="C", config=TRGM_CONFIG)
)


def _refresh_dependents(model, pks):
    for kind in indexed_kinds():
        spec = kind.search_spec
        condition = [
            Q(**{f"{name}__in": pks})
            for name in spec.depends_on
            if kind.model._meta.get_field(name).related_model is model
        ]
        if condition:
            ids = list(
                _public(kind.model._base_manager.filter(reduce(or_, condition))).values_list(
                    "pk", flat=True
                )
            )
            refresh(kind.model, ids, dependents=False)


def reindex(kinds=None, *, chunk=2000, progress=None):
    """Rebuild the index of `kinds` (all by default): every published record written, every
    other entry removed. Returns {kind key: entries written}."""
    written = {}
    for kind in kinds or indexed_kinds():
        records = _public(kind.model._base_manager.all()).order_by("pk")
        with transaction.atomic(), _EntryWriter() as writer:
            # (NOT EXISTS: a NOT IN (subquery) of a million ids is a linear search per row.)
            SearchEntry.objects.filter(kind=kind.key).exclude(
                Exists(records.filter(pk=OuterRef("record_id")))
            ).delete()
            count = 0
            # Read a batch, start writing the entries made so far, make this batch's while
            # the database writes them (see _EntryWriter), then wait for it.
            for batch in _with_related(kind, records, chunk):
                writer.start()
                entries = [_entry_row(kind, record) for record in batch]
                writer.wait()
                writer.add(entries)
                count += len(entries)
            writer.start()
            writer.wait()
        written[kind.key] = count
        if progress:
            progress(kind, count)
    SearchEntry.objects.exclude(kind__in=[kind.key for kind in indexed_kinds()]).delete()
    return written


# Past this many, a rebuild forgets the related records it fetched (see _with_related).
RELATED_CACHE = 100_000


def _with_related(kind, records, chunk):
    """`records` in lists of `chunk`, with what their documents read (`spec.related`,
    `spec.prefetch`) loaded. Each related record is fetched once for the whole rebuild, with
    its own prefetches (an agency's aliases), and shared by the records that link to it:
    select_related made a copy of the agency, technology, vendor and product per deployment,
    five model instances per row, most of the Python time of a rebuild of a million."""
    spec = kind.search_spec
    model = kind.model
    direct = [name for name in spec.related if "__" not in name]
    relations = [model._meta.get_field(name) for name in direct]
    nested = {
        name: [p.split("__", 1)[1] for p in spec.prefetch if p.startswith(f"{name}__")]
        for name in direct
    }
    own = [p for p in spec.prefetch if p.split("__", 1)[0] not in direct]
    deeper = [name for name in spec.related if "__" in name]
    if deeper:  # (select_related() with no name would follow every foreign key)
        records = records.select_related(*deeper)
    cache = {name: {} for name in direct}

    def loaded(batch):
        for relation in relations:
            known = cache[relation.name]
            if len(known) > RELATED_CACHE:
                known.clear()
            wanted = {getattr(record, relation.attname) for record in batch} - known.keys()
            wanted.discard(None)
            if wanted:
                related = relation.related_model._base_manager.filter(pk__in=wanted)
                known.update((r.pk, r) for r in related.prefetch_related(*nested[relation.name]))
            for record in batch:
                pk = getattr(record, relation.attname)
                relation.set_cached_value(record, None if pk is None else known[pk])
        prefetch_related_objects(batch, *own)
        return batch

    batch = []
    for record in records.iterator(chunk_size=chunk):
        batch.append(record)
        if len(batch) >= chunk:
            yield loaded(batch)
            batch = []
    if batch:
        yield loaded(batch)


class _EntryWriter:
    """Upserts a rebuild's entries (rows of ENTRY_COLUMNS) into the index, a batch at a
    time: add() gathers them, start() writes them, wait() waits for the database to finish.

    On PostgreSQL start() copies (COPY) them into a temporary table, then sends the one
    INSERT ... ON CONFLICT that writes them from there, with their vectors, in pipeline mode:
    the database computes the vectors and fills the GIN indexes while Python makes the next
    documents, on the other core (half the time each at a million records). Before then,
    bulk_create with update_conflicts spent most of a rebuild compiling SQL, and an UPDATE
    per batch computed the vectors. On SQLite, start() is _write() as any refresh."""

    def __init__(self):
        self.pending = []
        self.postgresql = connection.vendor == "postgresql"
        self.running = ExitStack()

    def __enter__(self):
        if self.postgresql:
            self.cursor = connection.cursor()
            quote = connection.ops.quote_name
            self.columns = ", ".join(quote(name) for name in ENTRY_COLUMNS)
            table = quote(SearchEntry._meta.db_table)
            self.cursor.execute(
                f"CREATE TEMPORARY TABLE search_reindex AS SELECT {self.columns} FROM {table} "  # nosec B608 # names from the models, quoted
                "WITH NO DATA"
            )
            # _VECTOR as SQL over the columns of SearchEntry's table, which the temporary
            # table stands in for under the same name in the SELECT.
            query = SearchEntry.objects.all().query
            vector, self.params = query.get_compiler(connection=connection).compile(
                _VECTOR.resolve_expression(query)
            )
            updated = [*ENTRY_FIELDS, "vector", "updated_at"]
            updates = ", ".join(f"{quote(name)} = EXCLUDED.{quote(name)}" for name in updated)
            self.upsert = (
                f"INSERT INTO {table} ({self.columns}, vector, updated_at) "  # nosec B608 # names from the models, quoted; values as parameters
                f"SELECT {self.columns}, {vector}, %s FROM search_reindex AS {table} "
                f"ON CONFLICT (kind, record_id) DO UPDATE SET {updates}"
            )
        return self

    def add(self, entries):
        self.pending.extend(entries)

    def start(self):
        if not self.pending:
            return
        entries, self.pending = self.pending, []
        if not self.postgresql:
            _write([SearchEntry(**dict(zip(ENTRY_COLUMNS, row, strict=True))) for row in entries])
            return
        with self.cursor.copy(f"COPY search_reindex ({self.columns}) FROM STDIN") as copy:
            for row in entries:
                copy.write_row(row)
        self.running.enter_context(connection.connection.pipeline())
        self.cursor.execute(self.upsert, [*self.params, timezone.now()])
        self.cursor.execute("TRUNCATE search_reindex")

    def wait(self):
        self.running.close()

    def __exit__(self, *exc_info):
        self.running.close()
        if self.postgresql:
            self.cursor.execute("DROP TABLE search_reindex")
            self.cursor.close()


def index_taxonomy(**kwargs):
    """post_migrate: index the kinds without review (technologies), which data migrations
    create without signals. Other records reach the index as they are saved, or through
    `manage.py reindex_search` after an upgrade."""
    using = kwargs.get("using")
    if using not in (None, "default"):
        return
    kinds = [kind for kind in indexed_kinds() if not kind.publishable]
    if kinds:
        reindex(kinds)


def _routes():
    """{model: how a save of it reaches the index}: an indexed kind's records refresh their
    own entry, an alias refreshes its record's (the foreign key's attribute name)."""
    global _ROUTES
    if _ROUTES is None:
        routes = {}
        for kind in indexed_kinds():
            routes[kind.model] = None
            for relation in kind.model._meta.related_objects:
                if relation.name == "aliases":
                    routes[relation.related_model] = (kind.model, relation.field.attname)
        if not apps.ready:
            return routes  # kinds still registering: not kept
        _ROUTES = routes
    return _ROUTES


_ROUTES = None


def connect_kind(kind):
    """Connect the index's signals to `kind`'s model and its aliases' (RecordsConfig.ready()
    passes this to registry.on_register): only their saves and deletions reach it, so other
    models keep Django's fast deletes."""
    if not kind.search:
        return
    uid = f"search-index-{kind.key}"
    models = [kind.model]
    models += [r.related_model for r in kind.model._meta.related_objects if r.name == "aliases"]
    for model in models:
        post_save.connect(on_save, sender=model, dispatch_uid=f"{uid}-{model._meta.label}")
        post_delete.connect(on_delete, sender=model, dispatch_uid=f"{uid}-{model._meta.label}")


# {model: pks} of the records saved while indexing_deferred() is on, in this thread or task.
_DEFERRED = ContextVar("search_index_deferred", default=None)


@contextmanager
def indexing_deferred():
    """Within it, saves are noted and their entries (and their dependents') rewritten once,
    in bulk, when it ends: for writers of thousands of records at once (an import, the demo
    data), where one refresh per save would cost a few queries each. Nested, the outermost
    one writes. Nothing is written when the block raises (its transaction is undone)."""
    if _DEFERRED.get() is not None:
        yield
        return
    pending = {}
    token = _DEFERRED.set(pending)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
    for model, pks in pending.items():
        refresh(model, sorted(pks))


def on_save(sender, instance, created=False, raw=False, **kwargs):
    """post_save (connected by connect_kind): a record of an indexed kind rewrites
    its entry (and, renamed, its dependents'); an alias, its record's."""
    routes = _routes()
    if raw or sender not in routes:
        return
    route = routes[sender]
    if route is None:
        if hasattr(instance, "skip_history_when_saving"):
            # A save the gateway makes before the one that writes the version (links are
            # being set): the versioned save, which always follows, indexes the record.
            return
        model, pk = sender, instance.pk
    else:
        model, attname = route
        pk = getattr(instance, attname)
    deferred = _DEFERRED.get()
    if deferred is not None:
        deferred.setdefault(model, set()).add(pk)
    elif route is None:
        refresh(model, [pk], dependents=not created)  # a new record has no dependents yet
    else:
        refresh(model, [pk])


def on_delete(sender, instance, **kwargs):
    routes = _routes()
    if sender not in routes:
        return
    route = routes[sender]
    if route is None:
        SearchEntry.objects.filter(kind=kind_for_model(sender).key, record_id=instance.pk).delete()
    else:
        model, attname = route
        refresh(model, [getattr(instance, attname)])


# ---------------------------------------------------------------- matching


def search_words(text):
    """The words of a search, folded, letters and digits only; at most MAX_TERMS."""
    return re.findall(r"\w+", fold(text or ""))[:MAX_TERMS]


class WordSimilar(Func):
    """pg_trgm's `a <% b`: `a` is close to some word (extent) of `b`; uses the GIN trigram
    index on `b`, with pg_trgm.word_similarity_threshold (set by prepare_connection)."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class SqliteSimilar(Func):
    function = SQLITE_SIMILARITY
    arity = 2
    output_field = BooleanField()


def sqlite_similarity(names, word):
    """Whether a word of `names` is close to `word` (difflib ratio): SQLite's typo match,
    called only on rows whose names share the word's first three letters."""
    if not names or not word:
        return False
    return any(_close(candidate, word) for candidate in names.split())


def _close(candidate, word):
    """Whether the folded word `candidate` is `word` give or take a typo."""
    return difflib.SequenceMatcher(None, candidate, word).ratio() >= SQLITE_FUZZY_RATIO


def prepare_connection(sender, connection, **kwargs):
    """connection_created: SQLite gets the typo match as a function; PostgreSQL a lower word
    similarity threshold than pg_trgm's 0.6, which misses a dropped letter in a short word
    ("orlado" is 0.57 from "orlando"). Once per connection, not per search."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_SIMILARITY, 2, sqlite_similarity, deterministic=True
        )
    elif connection.vendor == "postgresql":
        with connection.connection.cursor() as cursor:
            cursor.execute(f"SET pg_trgm.word_similarity_threshold = {PG_WORD_SIMILARITY}")


def _as_typed(word):
    """The condition of an entry holding `word` as typed: a word start of the vector on
    PostgreSQL, anywhere in the folded names and text on SQLite."""
    if connection.vendor == "postgresql":
        return Q(vector=SearchQuery(f"{word}:*", search_type="raw", config=TRGM_CONFIG))
    return Q(folded__contains=word)


def _word_condition(word, scope):
    """`word` as typed, or, when no entry of `scope` holds it so, a word close to it."""
    condition = _as_typed(word)
    if len(word) < FUZZY_MIN_LENGTH or scope.filter(condition).exists():
        # Found as typed: its near spellings would only add noise ("stoneton" is close to
        # thousands of other generated place names), and matching them costs a trigram
        # comparison with every entry sharing a few letters.
        return condition
    if connection.vendor == "postgresql":
        return condition | Q(WordSimilar(Value(word), F("names")))
    return condition | Q(names__contains=word[:3]) & Q(SqliteSimilar(F("names"), Value(word)))


def matching(text, scope=None):
    """A condition on SearchEntry: every word of `text` found (see the module's doc) among
    the entries of `scope` (a SearchEntry queryset: every entry unless given); None when
    `text` has no word. Looks once per word of four letters or more whether `scope` holds
    it as typed."""
    words = search_words(text)
    if not words:
        return None
    scope = SearchEntry.objects.all() if scope is None else scope
    return reduce(and_, (_word_condition(word, scope) for word in words))


def _rank(words):
    if connection.vendor == "postgresql":
        query = SearchQuery(
            " | ".join(f"{word}:*" for word in words), search_type="raw", config=TRGM_CONFIG
        )
        return SearchRank(F("vector"), query) + TrigramWordSimilarity(
            Value(" ".join(words)), F("names")
        )
    return reduce(
        lambda a, b: a + b,
        (
            Case(
                When(names__contains=word, then=Value(2.0)),
                When(folded__contains=word, then=Value(1.0)),
                default=Value(0.5),
                output_field=FloatField(),
            )
            for word in words
        ),
    )


# Site search ranks and counts at most this many matches per kind (on PostgreSQL): a word in
# a third of a million entries ("police") would otherwise read and rank all of them.
GROUP_CAP = 500


def _scope(kinds, regions):
    """The entries in `kinds` (keys; every kind when None) and any of `regions`."""
    found = SearchEntry.objects.all()
    if kinds is not None:
        found = found.filter(kind__in=kinds)
    if regions:
        found = found.filter(
            reduce(or_, (Q(country=r.country, region__iexact=r.code) for r in regions))
        )
    return found


def entries(text, *, kinds=None, regions=()):
    """The entries matching `text`, in `kinds` (keys) and any of `regions` (Region objects,
    apps/core/places.py), annotated with their `rank`; unordered."""
    found = _scope(kinds, regions)
    condition = matching(text, found)
    if condition is None:
        return SearchEntry.objects.none()
    return found.filter(condition).annotate(rank=_rank(search_words(text)))


def _capped(text, found, kinds, cap):
    """`found` (matches of `text`) narrowed to the first `cap + 1` of each kind, where the
    database can take a limit in each part of a UNION (PostgreSQL; SQLite, the small
    registry's database, reads them all)."""
    if not connection.features.supports_slicing_ordering_in_compound:
        return found
    keys = kinds if kinds is not None else [kind.key for kind in indexed_kinds()]
    firsts = [found.filter(kind=key).values("pk")[: cap + 1] for key in keys]
    return SearchEntry.objects.filter(pk__in=firsts[0].union(*firsts[1:], all=True)).annotate(
        rank=_rank(search_words(text))
    )


def grouped(text, *, kinds=None, regions=(), per_kind=5, cap=None):
    """{kind key: (how many entries match, whether more than that do, the best `per_kind`
    of them)} in ONE query (after matching()'s look at each word); {} (no query) when `text`
    has no word to look for (only punctuation, say). On PostgreSQL at most `cap` matches of
    a kind are counted and ranked (GROUP_CAP unless given): past that, the count is `cap`
    and "more" is true."""
    if not search_words(text):
        return {}
    cap = cap or GROUP_CAP
    found = (
        _capped(text, entries(text, kinds=kinds, regions=regions), kinds, cap)
        .defer("folded", "vector", "names")
        .annotate(
            row=Window(
                RowNumber(), partition_by=[F("kind")], order_by=[F("rank").desc(), F("name")]
            ),
            total=Window(Count("id"), partition_by=[F("kind")]),
        )
        .filter(row__lte=per_kind)
        .order_by("kind", "row")
    )
    groups = {}
    for entry in found:
        more = entry.total > cap
        groups.setdefault(entry.kind, (min(entry.total, cap), more, []))[2].append(entry)
    return groups


def filter_records(queryset, text):
    """`queryset` (of an indexed kind) narrowed to the records matching `text`, for a list's
    `q`; None when the kind is not indexed (the list then matches its own fields)."""
    kind = _kind_of(queryset.model)
    if kind is None:
        return None
    scope = SearchEntry.objects.filter(kind=kind.key)
    condition = matching(text, scope)
    if condition is None:
        return queryset
    ids = scope.filter(condition).values("record_id")
    return queryset.filter(pk__in=ids)


# ---------------------------------------------------------------- passages


def _folded_with_positions(text):
    """`text` folded character by character (as fold() without collapsing spaces), and for
    each folded character the index of the character of `text` it comes from."""
    folded, positions = [], []
    for index, char in enumerate(text):
        for piece in char.translate(_TRANSLATION).lower():
            folded.append(piece)
            positions.append(index)
    return "".join(folded), positions


def _spans(text, words):
    """[(start, end)] in `text` of the places where a search word starts a word; for a word
    found nowhere so, the words it is a typo of ("Rekogniton" marks "Rekognition")."""
    folded, positions = _folded_with_positions(text)
    spans = []
    for word in words:
        matches = list(re.finditer(r"(?<!\w)" + re.escape(word), folded))
        if not matches and len(word) >= FUZZY_MIN_LENGTH:
            matches = [m for m in re.finditer(r"\w+", folded) if _close(m.group(), word)]
        for match in matches:
            start = positions[match.start()]
            end = positions[match.end() - 1] + 1
            spans.append((start, end))
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text, spans):
    """`text` escaped, its `spans` in <mark>: the only markup in it is ours."""
    parts, at = [], 0
    for start, end in spans:
        parts.append(escape(text[at:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts))  # noqa: S308 # nosec B308 B703 # all text escaped above


def highlight(text, search):
    """`text` (a name) escaped, with the words of `search` marked."""
    return _marked(text, _spans(text, search_words(search)))


def passage(text, search, *, width=240):
    """The part of `text` around the first place the search's words are found, escaped, with
    them marked; the start of the text when they are not found in it (the record matched by
    its name). "…" where it is cut."""
    if not text:
        return ""
    spans = _spans(text, search_words(search))
    if not spans:
        # Both parts are safe: the text escaped, the ellipsis ours.
        return mark_safe(_marked(text[:width], []) + ("…" if len(text) > width else ""))  # nosec B308 B703 # escaped by _marked
    start = max(0, spans[0][0] - width // 3)
    # Start at a word.
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(text), start + width)
    window = [
        (max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start
    ]
    return mark_safe(  # nosec B308 B703 # the text escaped by _marked, the ellipses ours
        ("…" if start else "") + _marked(text[start:end], window) + ("…" if end < len(text) else "")
    )
