from apps.core.selectors import filter_list

from .filters import RecordsRequestFilter, ResponseDeadlineFilter
from .models import RecordsRequest, ResponseDeadline, deadline_for


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


def agency_requests(agency, ndas):
    """An agency's published requests, ready for its timeline, and for each of its NDAs
    (`ndas`, a list) the requests it was cited in as `nda.citing_requests`: three queries
    whatever the counts (the requests, their sources, the NDAs they cited)."""
    requests = list(
        RecordsRequest.objects.published()
        .filter(agency=agency)
        .for_timeline()
        .order_by("-filed_date", "pk")
    )
    by_nda = {nda.pk: [] for nda in ndas}
    for request in requests:
        for nda in request.ndas_cited.all():
            # A request may cite another agency's NDA; this page lists its own NDAs only.
            if nda.pk in by_nda:
                by_nda[nda.pk].append(request)
    for nda in ndas:
        nda.citing_requests = by_nda[nda.pk]
    return requests


def requests_citing_any(ndas):
    """The published requests that cited any of `ndas` (a queryset or a list of NDAs),
    each once, ready for a timeline."""
    return list(
        RecordsRequest.objects.published().filter(ndas_cited__in=ndas).distinct().for_timeline()
    )
