"""Three-way merge of a stale edit: keep what the person changed, take the rest from the
newer version, so that saving (or approving) over someone else's change never undoes it by
accident."""

from django import forms
from django.http import QueryDict

from apps.core.history import PINPOINTS

from .fields import citation_lines
from .forms import NEW_SOURCE_FIELDS

NOT_COMPARED = {"edit_summary", "base_version", *NEW_SOURCE_FIELDS}


def _normalise(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "\n".join(_normalise(item) for item in value)
    return str(value).replace("\r\n", "\n").strip()


def _initial_links(form_class, relations):
    """Initial values for a version's links, taken from its snapshot, not the database."""
    model = form_class._meta.model
    initial = {}
    for name, ids in (relations or {}).items():
        if name == "aliases":
            initial["aliases"] = "\n".join(ids)
        elif name in form_class.base_fields:
            related = getattr(model, name).field.related_model
            records = list(related._base_manager.filter(pk__in=ids).order_by("pk"))
            if name == "sources":
                records = citation_lines(records, relations.get(PINPOINTS))
            initial[name] = records
    return initial


def _multi_valued(form_class):
    return {
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.SelectMultiple)
    }


def form_values(form_class, record, relations=None):
    """{field: text} that an unchanged form for `record` would submit."""
    initial = _initial_links(form_class, relations) if relations is not None else {}
    form = form_class(instance=record, initial=initial)
    values = {}
    for bound in form:
        if bound.name in NOT_COMPARED:
            continue
        values[bound.name] = _normalise(bound.field.prepare_value(bound.value()))
    return values


def changed_fields(form_class, submitted, record, relations=None):
    """The fields of `submitted` form data that differ from what an unchanged form for
    `record` (with `relations`, a version's links, or else its current ones) would submit."""
    unchanged = form_values(form_class, record, relations)
    return [
        name for name, value in unchanged.items() if _normalise(submitted.getlist(name)) != value
    ]


def rebase(*, form_class, submitted, base_version, current_record, current_version_id):
    """`submitted` form data made against `base_version` (a historical record), moved onto
    the current record. Returns (data, names of the fields the person changed)."""
    changed = changed_fields(form_class, submitted, base_version.instance, base_version.relations)
    now = form_values(form_class, current_record)
    data = QueryDict(mutable=True)
    for key in submitted:
        data.setlist(key, submitted.getlist(key))
    for name, value in now.items():
        if name not in changed:
            # Multi-valued fields (checkboxes) go back as one value per line item.
            data.setlist(name, value.split("\n") if name in _multi_valued(form_class) else [value])
    data["base_version"] = str(current_version_id)
    return data, changed
