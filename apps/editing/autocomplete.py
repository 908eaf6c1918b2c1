"""Suggestions for the record pickers: what a volunteer may cite or link to."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from apps.accounts.roles import is_reviewer
from apps.agencies.models import Agency
from apps.core.models import Visibility
from apps.sources.models import Source
from apps.technologies.models import Technology
from apps.vendors.models import Product, Vendor

from .fields import record_label
from .models import ChangeAction, ChangeRequest

LIMIT = 10


def _usable(queryset, user):
    """Published records, and the pending ones this person may see: a volunteer their own
    new records (to add an agency and then its deployment before review), a reviewer all.
    Other volunteers' unreviewed records are not suggested."""
    if is_reviewer(user):
        return queryset.exclude(visibility=Visibility.WITHDRAWN)
    own = ChangeRequest.objects.filter(
        author=user,
        action=ChangeAction.CREATE,
        content_type=ContentType.objects.get_for_model(queryset.model),
    ).values("object_id")
    return queryset.filter(
        Q(visibility=Visibility.PUBLISHED) | Q(visibility=Visibility.PENDING, pk__in=own)
    )


def autocomplete_labels(kind, text, *, user):
    text = text.strip()[:100]
    if len(text) < 2 or "\x00" in text:  # no record's name has a NUL; PostgreSQL refuses it
        return []
    if kind == "sources":
        matches = _usable(Source.objects, user).filter(
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
        "agencies": _usable(Agency.objects, user).filter(
            Q(name__icontains=text) | Q(aliases__name__icontains=text)
        ),
        "vendors": _usable(Vendor.objects, user).filter(
            Q(name__icontains=text) | Q(aliases__name__icontains=text)
        ),
        "products": _usable(Product.objects, user).filter(name__icontains=text),
        "technologies": Technology.objects.filter(name__icontains=text),
    }
    if kind not in querysets:
        return []
    records = querysets[kind].distinct().order_by("name")[:LIMIT]
    return [{"value": record_label(record), "label": record_label(record)} for record in records]
