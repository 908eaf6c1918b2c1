"""The registry of record kinds: each kind of record declares here, once, what the rest of
the site needs to know about it. Every domain app registers its kinds in its AppConfig's
`ready()`; the home page's counts, autocomplete, the editing URLs and review queue,
`import_data`'s choices, the merge views and the role-by-URL tests read this table instead
of naming kinds themselves. `tests/records/test_registry.py` compares it with the installed
models, so a kind added by hand somewhere else fails the suite.

Classes are given as dotted paths and imported on first use, so that registering a kind in
`ready()` does not import forms and filters while the app registry is still loading."""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.module_loading import import_string

from .numbers import record_number


def _imported(path):
    return import_string(path) if path else None


@dataclass(frozen=True, eq=False)
class Kind:
    key: str
    """The URL key and import name: /deployments/new/, `import_data deployments`."""
    model: type
    position: int
    """Where the kind comes in lists of kinds (the site's top menu, home counts, review
    queue filters)."""
    a_noun: str
    """The kind's name with its article, lazily translated: "an agency", "an NDA", for
    "Add …" links and headings (a language's article depends on the noun, so it is given,
    not built)."""
    lookup: str = "pk"
    """How a record appears in its URL: "slug" or "pk"."""
    form: str | None = None
    """Dotted path of the edit form; None when the kind is not edited on the site."""
    filterset: str | None = None
    list_selector: str | None = None
    detail_selector: str | None = None
    export: str | None = None
    """Dotted path of the RecordExport (CSV and JSON columns)."""
    importer: str | None = None
    """Dotted path of the Importer that `import_data` runs for this kind, if any."""
    merge_rules: str | None = None
    """Dotted path of the kind's MergeRules (apps/records/merging.py) when duplicates of
    this kind are merged (/agencies/<slug>/merge/); None when they are not."""
    evidence: bool = False
    """The kind that other records cite (sources): published together with its citer."""
    name_relations: tuple = ()
    """Relations that str() of a record reads, fetched with it when a list names records."""
    templates: dict = field(default_factory=dict)
    """Template names by page ("list", "detail"); defaults follow Django's convention."""
    search_fields: tuple = ()
    """The fields the record pickers' autocomplete matches typed text in (any of them,
    ignoring case), e.g. ("name", "aliases__name"); suggestions are sorted by the first. A
    kind without them gets no suggestions."""
    in_menu: bool = True
    """Whether the site's top menu links the kind's public list (a kind without one is
    never there). A kind whose list is reached from another's page says False."""
    suggestion: str | None = None
    """Dotted path of a function giving a record's autocomplete suggestion as
    {"value": what the field gets, "label": what the list shows}, for a kind not picked by
    its name and identifier (record_label): sources are cited by address or #number."""

    search: str | None = None
    """Dotted path of the kind's SearchSpec (apps/records/search.py): what its published
    records are found by in site-wide search and the list's `q`; None: not indexed."""

    @cached_property
    def search_spec(self):
        return _imported(self.search)

    @cached_property
    def form_class(self):
        return _imported(self.form)

    @cached_property
    def filterset_class(self):
        return _imported(self.filterset)

    @cached_property
    def list_selector_function(self):
        return _imported(self.list_selector)

    @cached_property
    def detail_selector_function(self):
        return _imported(self.detail_selector)

    @cached_property
    def export_class(self):
        return _imported(self.export)

    @cached_property
    def importer_class(self):
        return _imported(self.importer)

    @cached_property
    def suggestion_function(self):
        return _imported(self.suggestion)

    @cached_property
    def merge_rules_object(self):
        return _imported(self.merge_rules)

    @property
    def mergeable(self):
        return self.merge_rules is not None

    @property
    def editable(self):
        return self.form is not None

    @property
    def list_url_name(self):
        return f"{self.key}:list"

    @property
    def noun(self):
        return self.model._meta.verbose_name

    @property
    def plural(self):
        return self.model._meta.verbose_name_plural

    @property
    def publishable(self):
        """Whether records of this kind wait for review and can be withdrawn (technologies,
        the taxonomy edited by admins, are always public)."""
        return any(f.name == "visibility" for f in self.model._meta.concrete_fields)

    def template(self, page):
        meta = self.model._meta
        return self.templates.get(page, f"{meta.app_label}/{meta.model_name}_{page}.html")

    def get(self, key, queryset=None):
        """The record `key` names in a URL (a slug or a number), from `queryset`."""
        queryset = self.model.objects.all() if queryset is None else queryset
        if self.lookup == "pk":
            number = record_number(key)
            return queryset.get(pk=number) if number is not None else queryset.none().get()
        return queryset.get(slug=key)


_KINDS = {}
_KIND_BY_MODEL = {}  # kind_for_model()'s answers


def register(kind):
    if kind.key in _KINDS and _KINDS[kind.key].model is not kind.model:
        raise ValueError(f"Two kinds registered as {kind.key!r}")
    _KINDS[kind.key] = kind
    _KIND_BY_MODEL.clear()
    for callback in _ON_REGISTER:
        callback(kind)
    return kind


_ON_REGISTER = []


def on_register(callback):
    """Call `callback(kind)` for every kind registered, before or after: how the gateway's
    own machinery (the search index's signals) learns the models of kinds that register
    after its app is ready."""
    _ON_REGISTER.append(callback)
    for kind in list(_KINDS.values()):
        callback(kind)


def all_kinds():
    """Every registered kind, in their display order."""
    return sorted(_KINDS.values(), key=lambda kind: kind.position)


def get_kind(key):
    """The kind registered as `key`; KeyError when there is none."""
    return _KINDS[key]


def kind_for_model(model):
    # Remembered: a kind's model is looked up by name, and an API page of 50 records asks
    # this hundreds of times.
    if model not in _KIND_BY_MODEL:
        found = next((kind for kind in _KINDS.values() if kind.model is model), None)
        if found is None:
            raise LookupError(f"{model.__name__} is not a registered kind of record")
        _KIND_BY_MODEL[model] = found
    return _KIND_BY_MODEL[model]


def editable_kinds():
    """Kinds edited on the site (/<key>/new/, review queue)."""
    return [kind for kind in all_kinds() if kind.editable]


def publishable_kinds():
    """Kinds whose records are published, pending or withdrawn."""
    return [kind for kind in all_kinds() if kind.publishable]


def menu_kinds():
    """The kinds whose public lists the site's top menu links, in their display order."""
    return [kind for kind in all_kinds() if kind.list_selector and kind.in_menu]


def mergeable_kinds():
    return [kind for kind in all_kinds() if kind.mergeable]


def importable_kinds():
    return [kind for kind in all_kinds() if kind.importer]


def evidence_kind():
    """The kind that records cite as their evidence (sources)."""
    return next(kind for kind in all_kinds() if kind.evidence)


def evidence_model():
    """The model of the evidence kind (Source), for the gateway, which imports no domain
    app."""
    return evidence_kind().model
