"""Suggestions for the record pickers: what the person may cite or link to
(`linkable_by`, the same rule the forms apply to what is typed). Each kind declares in the
registry the fields searched (`search_fields`) and, when it is not picked by name, how a
suggestion is written (`suggestion`)."""

from functools import reduce
from operator import or_

from django.db.models import Q

from apps.records.fields import linkable, record_label
from apps.records.registry import get_kind

LIMIT = 10


def named_suggestion(record):
    label = record_label(record)
    return {"value": label, "label": label}


def autocomplete_labels(kind_key, text, *, user):
    text = text.strip()[:100]
    if len(text) < 2 or "\x00" in text:  # no record's name has a NUL; PostgreSQL refuses it
        return []
    try:
        kind = get_kind(kind_key)
    except KeyError:
        return []
    if not kind.search_fields:
        return []
    matching = reduce(or_, (Q(**{f"{name}__icontains": text}) for name in kind.search_fields))
    records = linkable(kind.model.objects.all(), user).filter(matching)
    # Matching through a to-many relation (aliases) would repeat a record once per match.
    records = records.distinct().order_by(kind.search_fields[0])[:LIMIT]
    suggest = kind.suggestion_function or named_suggestion
    return [suggest(record) for record in records]
