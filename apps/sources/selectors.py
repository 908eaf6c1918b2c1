from apps.accounts.roles import is_reviewer
from apps.core.models import Visibility
from apps.core.selectors import filter_list

from .filters import SourceFilter
from .models import Source


def source_list(*, params):
    return filter_list(
        filterset_class=SourceFilter, params=params, queryset=Source.objects.published()
    )


def source_detail(*, pk):
    """A source and every published record that cites it."""
    source = Source.objects.published().get(pk=pk)
    return {
        "source": source,
        "deployments": list(
            source.deployments.published()
            .select_related("agency", "technology")
            .order_by("agency__name", "pk")
        ),
        "contracts": list(
            source.contracts.published().select_related("agency", "vendor").order_by("pk")
        ),
        "ndas": list(
            source.ndas.published()
            .select_related("agency", "counterparty_vendor", "counterparty_agency")
            .order_by("pk")
        ),
        "agencies": list(source.agencies.published().order_by("name")),
        "vendors": list(source.vendors.published().order_by("name")),
        "products": list(source.products.published().select_related("vendor").order_by("name")),
    }


def source_with_document_for(*, pk, user):
    """The source whose document `user` may read: a published one by anyone, a pending one
    by its author and reviewers, a withdrawn one by reviewers. Raises Source.DoesNotExist
    otherwise, and when it has no document."""
    source = Source.objects.exclude(document="").get(pk=pk)
    if source.visibility == Visibility.PUBLISHED or is_reviewer(user):
        return source
    if (
        source.visibility == Visibility.PENDING
        and user.is_authenticated
        and _first_author_id(source) == user.pk
    ):
        return source
    raise Source.DoesNotExist


def _first_author_id(source):
    """Who saved the source's first version: its author."""
    return source.history.order_by("history_id").values_list("history_user", flat=True).first()
