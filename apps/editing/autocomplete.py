"""Suggestions for the record pickers: what the person may cite or link to
(`linkable_by`, the same rule the forms apply to what is typed)."""

from django.db.models import Q

from apps.agencies.models import Agency
from apps.records.fields import record_label
from apps.sources.models import Source
from apps.technologies.models import Technology
from apps.vendors.models import Product, Vendor

LIMIT = 10


def autocomplete_labels(kind, text, *, user):
    text = text.strip()[:100]
    if len(text) < 2 or "\x00" in text:  # no record's name has a NUL; PostgreSQL refuses it
        return []
    if kind == "sources":
        matches = Source.objects.linkable_by(user).filter(
            Q(title__icontains=text) | Q(url__icontains=text)
        )
        return [
            {
                "value": source.url or f"#{source.pk}",
                "label": f"{source.title} — {source.publisher}",
            }
            for source in matches.order_by("title")[:LIMIT]
        ]
    querysets = {
        "agencies": Agency.objects.linkable_by(user).filter(
            Q(name__icontains=text) | Q(aliases__name__icontains=text)
        ),
        "vendors": Vendor.objects.linkable_by(user).filter(
            Q(name__icontains=text) | Q(aliases__name__icontains=text)
        ),
        "products": Product.objects.linkable_by(user).filter(name__icontains=text),
        "technologies": Technology.objects.filter(name__icontains=text),
    }
    if kind not in querysets:
        return []
    records = querysets[kind].distinct().order_by("name")[:LIMIT]
    return [{"value": record_label(record), "label": record_label(record)} for record in records]
