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
        "oversight_events": list(
            source.oversight_events.published().select_related("agency").order_by("pk")
        ),
        "agencies": list(source.agencies.published().order_by("name")),
        "vendors": list(source.vendors.published().order_by("name")),
        "products": list(source.products.published().select_related("vendor").order_by("name")),
    }


def source_with_document_for(*, pk, user):
    """The source whose document `user` may read (`visible_to`): a published one by anyone,
    a pending one by its author and reviewers, a withdrawn one by reviewers. Raises
    Source.DoesNotExist otherwise, and when it has no document."""
    return Source.objects.exclude(document="").visible_to(user).get(pk=pk)


def source_suggestion(source):
    """A source as the sources field's autocomplete offers it: cited by address (or #number),
    shown by title and publisher."""
    return {"value": source.citation, "label": f"{source.title} — {source.publisher}"}
