"""Field-by-field differences between two versions of a record, or between a record and a
pending edit, in the words the public pages use."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.history import PINPOINTS
from apps.core.partial_dates import PartialDate
from apps.records.fields import pinpoint_text

# document_text is derived from the uploaded document (and may be very long).
HIDDEN_FIELDS = {"id", "created_at", "updated_at", "slug", "document_text"}
# A linked record the viewer may not see (someone's unreviewed work, a withdrawn record):
# a diff says a link is there, never whose it is.
NOT_PUBLIC = _("a record not public")

# The labels of the linked records a version keeps (HISTORY_RELATIONS), as the history
# shows them; a name not listed reads as itself, capitalized.
RELATION_LABELS = {
    "aliases": _("Other names"),
    "sources": _("Sources"),
    "technologies": _("Technologies"),
    "deployments": _("Deployments"),
    "contracts": _("Contracts"),
    "products": _("Products"),
    "ndas_cited": _("Ndas cited"),
    "released_documents": _("Released documents"),
}


def _deleted(pk):
    return gettext("#%(pk)s (deleted)") % {"pk": pk}


@dataclass(frozen=True)
class DiffRow:
    label: str
    old: str
    new: str

    @property
    def changed(self):
        return self.old != self.new


def _field_display(field, value, related_names):
    if value in (None, ""):
        return ""
    if isinstance(field, models.FileField):
        # Never a storage path: a replaced or pending document must not be findable by it.
        return gettext("An uploaded document")
    if field.is_relation:
        return related_names.get((field.related_model, value), _deleted(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def describe(model, values, relations, *, viewer=None):
    """{label: text} for a record's field values (by attname) and relation snapshot, linked
    records named only when `viewer` may see them (None: the public)."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if field.name not in HIDDEN_FIELDS and not field.name.endswith("_precision")
    ]
    related_names = _related_names(fields, values, model, relations, viewer)
    shown = {}
    for field in fields:
        value = values.get(field.attname)
        precision_name = f"{field.name}_precision"
        if precision_name in values and value:
            value = PartialDate(value, values[precision_name] or "day").display
            shown[str(field.verbose_name).capitalize()] = value
            continue
        shown[str(field.verbose_name).capitalize()] = _field_display(field, value, related_names)
    pinpoints = (relations or {}).get(PINPOINTS, {})
    for name, ids in sorted((relations or {}).items()):
        if name == PINPOINTS:
            continue  # shown with the sources they pinpoint
        label = str(RELATION_LABELS.get(name, name.replace("_", " ").capitalize()))
        if name == "aliases":
            shown[label] = "; ".join(ids)
        else:
            related_model = getattr(model, name).field.related_model
            if related_model is model:
                related_model = getattr(model, name).rel.model
            names = [related_names.get((related_model, pk), _deleted(pk)) for pk in ids]
            if name == "sources":
                names = [
                    f"{text}, {pin}" if (pin := pinpoint_text(pinpoints.get(str(pk)))) else text
                    for pk, text in zip(ids, names, strict=True)
                ]
            shown[label] = "; ".join(names)
    return shown


def _related_names(fields, values, model, relations, viewer):
    """One query per related model (and one more where some are not published): {(model,
    pk): text}."""
    wanted = {}
    for field in fields:
        if field.is_relation and values.get(field.attname) is not None:
            wanted.setdefault(field.related_model, set()).add(values[field.attname])
    for name, ids in (relations or {}).items():
        if name not in ("aliases", PINPOINTS):
            wanted.setdefault(getattr(model, name).field.related_model, set()).update(ids)
    names = {}
    for related_model, pks in wanted.items():
        records = related_model._base_manager.in_bulk(list(pks))
        shown = _visible(related_model, records, viewer)
        for pk, record in records.items():
            names[(related_model, pk)] = _name(record) if pk in shown else str(NOT_PUBLIC)
    return names


def _visible(related_model, records, viewer):
    """The pks of `records` whose names `viewer` may read (`visible_to`): published ones
    without a query, the others asked of the database."""
    if not hasattr(related_model._default_manager, "visible_to"):
        return set(records)  # technologies: always public
    hidden = [pk for pk, record in records.items() if not record.is_published]
    if not hidden:
        return set(records)
    may_see = related_model._default_manager.filter(pk__in=hidden).visible_to(viewer)
    return (set(records) - set(hidden)) | set(may_see.values_list("pk", flat=True))


def _name(record):
    """A linked record in words; a source with its address, so a reviewer sees where a
    newly cited source points, not only the title its author gave it."""
    url = getattr(record, "url", "") if record._meta.model_name == "source" else ""
    return f"{record} ({url})" if url else str(record)


def values_of(obj):
    """Field values by attname, from a record or a historical version."""
    return {field.attname: getattr(obj, field.attname, None) for field in type(obj)._meta.fields}


def diff(model, old, new, *, viewer=None):
    """Rows for every label whose text differs; `old`/`new` are (values, relations) or None.
    Linked records `viewer` may not see read as NOT_PUBLIC (None: the public)."""
    old_text = describe(model, *old, viewer=viewer) if old else {}
    new_text = describe(model, *new, viewer=viewer) if new else {}
    for field in model._meta.concrete_fields:
        # Documents read the same ("An uploaded document") whatever their path: say when
        # one replaced another.
        if isinstance(field, models.FileField) and old and new:
            before, after = old[0].get(field.attname), new[0].get(field.attname)
            if before and after and str(before) != str(after):
                new_text[str(field.verbose_name).capitalize()] = gettext("Replaced by a new upload")
    labels = list(dict.fromkeys([*old_text, *new_text]))
    rows = [DiffRow(label, old_text.get(label, ""), new_text.get(label, "")) for label in labels]
    return [row for row in rows if row.changed]


def version_state(version):
    return (values_of(version), version.relations or {})


def record_state(record, relations):
    return (values_of(record), relations)


def form_state(form):
    """What the record would be if the (valid) form were saved."""
    relations = {
        name: sorted(r.pk for r in values)
        for name, values in form.link_values().items()
        if name != PINPOINTS
    }
    if pinpoints := form.link_values().get(PINPOINTS):
        relations[PINPOINTS] = pinpoints
    aliases = form.alias_names()
    if aliases is not None:
        relations["aliases"] = sorted(aliases)
    new_source = form.new_source_data()
    state = record_state(form.instance, relations)
    return state, new_source
