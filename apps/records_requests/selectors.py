from django.db.models import F, Prefetch

from apps.core.selectors import filter_list

from .filters import RecordsRequestFilter, ResponseDeadlineFilter
from .models import RecordsRequest, ResponseDeadline, deadline_for

# Newest filing first, undated requests last; id keeps the order stable among equal dates.
NEWEST_FILED_FIRST = (F("filed_date").desc(nulls_last=True), "pk")


def records_request_list(*, params):
    return filter_list(
        filterset_class=RecordsRequestFilter,
        params=params,
        queryset=RecordsRequest.objects.published().with_related(),
    )


def records_request_detail(*, pk):
    request = RecordsRequest.objects.published().with_related().get(pk=pk)
    agency = request.agency
    return {
        "records_request": request,
        "deadline": deadline_for(agency.country, agency.region),
    }


def response_deadline_list(*, params):
    return filter_list(
        filterset_class=ResponseDeadlineFilter,
        params=params,
        queryset=ResponseDeadline.objects.published().with_related(),
    )


def response_deadline_detail(*, pk):
    return {"deadline": ResponseDeadline.objects.published().with_related().get(pk=pk)}


def requests_citing(nda):
    """The published requests in which `nda` was cited, newest first (the NDA's page)."""
    return list(
        nda.records_requests.published().select_related("agency").order_by("-filed_date", "pk")
    )


def agency_requests(agency, *, recent=20):
    """An agency's published records requests for its page: (how many, the `recent` newest
    by filing). A busy agency has hundreds; the list they link to holds them all."""
    received = RecordsRequest.objects.published().filter(agency=agency)
    newest = received.order_by(*NEWEST_FILED_FIRST)
    return received.count(), list(newest[:recent])


def citing_requests(agency):
    """A Prefetch for NDAs: `nda.citing_requests`, the published requests to `agency` that
    cited the NDA, newest filing first."""
    return Prefetch(
        "records_requests",
        queryset=RecordsRequest.objects.published()
        .filter(agency=agency)
        .order_by(*NEWEST_FILED_FIRST),
        to_attr="citing_requests",
    )


def requests_citing_any(ndas):
    """The published requests that cited any of `ndas` (a queryset or a list of NDAs),
    each once, ready for a timeline."""
    if isinstance(ndas, list) and not ndas:
        # Most deployments have no NDA: no query to build for an empty answer.
        return []
    return list(
        RecordsRequest.objects.published().filter(ndas_cited__in=ndas).distinct().for_timeline()
    )
