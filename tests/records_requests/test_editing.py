"""Records requests and response deadlines go through the site's review workflow like every
other kind: a volunteer proposes, a reviewer approves, the history keeps every version."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from apps.core.models import Visibility
from apps.records.models import ChangeRequest
from apps.records.services import record_set_visibility
from apps.records_requests.models import RecordsRequest, ResponseDeadline
from tests.editing.test_record_forms_editing import (
    NEW_SOURCE,
    approve,
    diff_rows,
    edit_data,
    errors_of,
    history_names,
    pending_update,
)
from tests.factories import (
    AgencyFactory,
    NdaFactory,
    RecordsRequestFactory,
    ResponseDeadlineFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheriff():
    return AgencyFactory(name="Washington County Sheriff's Office", region="WA")


def request_form(agency, **overrides):
    data = {
        "agency": agency.name,
        "requester": "Example Civil Liberties Union",
        "subject": "Face recognition contracts",
        "filed": "2019-03-04",
        "status": "denied",
        "closed": "2019-04-02",
        "exemptions": "RCW 42.56.270(1)",
        "ndas_cited": "",
        "outcome": "Withheld in full.",
        "external_url": "muckrock.example.org/requests/1",
        "released_documents": "",
        **NEW_SOURCE,
    }
    data.update(overrides)
    return data


def test_volunteer_proposes_a_request_that_a_reviewer_publishes(
    volunteer_client, reviewer, sheriff
):
    nda = NdaFactory(agency=sheriff)
    response = volunteer_client.post(
        "/records-requests/new/", request_form(sheriff, ndas_cited=f"#{nda.pk}")
    )
    assert response.status_code == 302, response.context["form"].errors
    change = ChangeRequest.objects.get()
    request = change.record
    assert (request.agency, str(request.filed), str(request.closed)) == (
        sheriff,
        "4 March 2019",
        "2 April 2019",
    )
    assert list(request.ndas_cited.all()) == [nda]
    assert request.external_url == "https://muckrock.example.org/requests/1"
    assert request.visibility == Visibility.PENDING
    assert Client().get(request.get_absolute_url()).status_code == 404

    approve(reviewer, change)
    page = Client().get(request.get_absolute_url()).content.decode()
    assert "Face recognition contracts" in page and "29 days to close" in page
    assert nda.get_absolute_url() in page
    history = history_names(f"/records-requests/{request.pk}/history/")
    assert "Vera Volunteer" in history and "Rita Reviewer" in history
    assert RecordsRequest.objects.get(pk=request.pk).history.latest().approved_by == reviewer


def test_released_documents_are_among_the_sources(reviewer_client, sheriff):
    cited, stray = SourceFactory(), SourceFactory()
    data = request_form(
        sheriff, sources=f"#{cited.pk}", released_documents=f"#{stray.pk}", new_source_url=""
    )
    data.update(new_source_title="", new_source_publisher="", new_source_date="")
    errors = errors_of(reviewer_client.post("/records-requests/new/", data))
    assert "among the sources too" in errors["released_documents"][0]

    data["released_documents"] = f"#{cited.pk}"
    assert reviewer_client.post("/records-requests/new/", data).status_code == 302
    request = RecordsRequest.objects.get()
    assert list(request.released_documents.all()) == [cited]
    assert request.history.latest().relations["released_documents"] == [cited.pk]


def test_an_nda_cited_must_bind_the_agency(volunteer_client, sheriff):
    other = NdaFactory()
    data = request_form(sheriff, ndas_cited=f"#{other.pk}\nnot-a-number\n#999999")
    errors = errors_of(volunteer_client.post("/records-requests/new/", data))["ndas_cited"]
    assert errors == [
        f"NDA #{other.pk} ({other}) does not bind {sheriff.name}.",
        "“not-a-number” is not an NDA number: write it as #123.",
        "There is no NDA #999999.",
    ]


def test_closed_before_filed_is_a_form_error(volunteer_client, sheriff):
    data = request_form(sheriff, closed="2019-01-01")
    errors = errors_of(volunteer_client.post("/records-requests/new/", data))
    assert errors["closed"] == ["The request cannot be closed before it was filed."]
    assert not RecordsRequest.objects.exists()


def test_volunteer_edit_waits_and_approval_recomputes_the_due_date(volunteer_client, reviewer):
    ResponseDeadlineFactory(country="US", region="WA", days=5)
    request = RecordsRequestFactory(
        agency=AgencyFactory(region="WA"),
        filed_date=datetime.date(2019, 3, 1),
        filed_date_precision="month",
    )
    assert request.due_date is None
    url = f"/records-requests/{request.pk}/edit/"
    data = edit_data(volunteer_client, url, filed="2019-03-04", edit_summary="Exact date")
    assert volunteer_client.post(url, data).status_code == 302
    change = pending_update()
    assert diff_rows(reviewer, change) == {"Filed": ("March 2019", "4 March 2019")}
    approve(reviewer, change)
    request.refresh_from_db()
    assert request.due_date == datetime.date(2019, 3, 11)


def test_a_response_deadline_is_proposed_and_approved(volunteer_client, reviewer, sheriff):
    request = RecordsRequestFactory(agency=sheriff, filed_date=datetime.date(2019, 3, 4))
    data = {
        "country": "us",
        "region": "wa",
        "days": "5",
        "day_kind": "business",
        "statute": "RCW 42.56.520",
        "notes": "Respond, acknowledge or estimate within five business days.",
        **NEW_SOURCE,
    }
    response = volunteer_client.post("/response-deadlines/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    deadline = ResponseDeadline.objects.get()
    assert (deadline.country, deadline.region, deadline.visibility) == ("US", "WA", "pending")
    request.refresh_from_db()
    assert request.due_date is None  # a deadline waiting for review does not count yet
    approve(reviewer, ChangeRequest.objects.get())
    request.refresh_from_db()
    assert request.due_date == datetime.date(2019, 3, 11)
    page = Client().get(deadline.get_absolute_url()).content.decode()
    assert "5 business days" in page

    again = volunteer_client.post("/response-deadlines/new/", data)
    assert errors_of(again)


def test_a_released_document_stays_while_a_published_request_lists_it(reviewer):
    """Other published sources keep a request cited, but its released documents name this
    source: withdrawing it would leave the request listing a document the public cannot
    open, so the withdrawal is refused, as for any record a published one links to."""
    released, other = SourceFactory(), SourceFactory()
    request = RecordsRequestFactory()
    request.sources.add(released, other)
    request.released_documents.add(released)
    with pytest.raises(ValidationError, match="Published records depend on this one"):
        record_set_visibility(
            record=released, visibility=Visibility.WITHDRAWN, reviewer=reviewer, reason="x"
        )
    released.refresh_from_db()
    assert released.is_published
    # A source the request only cites, beside another published one, may go.
    record_set_visibility(
        record=other, visibility=Visibility.WITHDRAWN, reviewer=reviewer, reason="Duplicate"
    )
    other.refresh_from_db()
    assert other.is_withdrawn


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        (Visibility.WITHDRAWN, "was withdrawn: a reviewer can restore it"),
        (Visibility.PENDING, "is already waiting for review"),
        (Visibility.PUBLISHED, "US-WA already has a response deadline: edit that one."),
    ],
)
def test_a_taken_jurisdiction_says_what_to_do(volunteer_client, visibility, expected):
    ResponseDeadlineFactory(country="US", region="WA", visibility=visibility)
    data = {
        "country": "US",
        "region": "WA",
        "days": "5",
        "day_kind": "business",
        "statute": "RCW 42.56.520",
        **NEW_SOURCE,
    }
    response = volunteer_client.post("/response-deadlines/new/", data)
    assert response.status_code == 400
    assert expected in " ".join(response.context["form"].errors["region"])
    assert ResponseDeadline.objects.count() == 1


def test_a_request_cannot_be_filed_or_closed_after_today(volunteer_client, sheriff):
    response = volunteer_client.post(
        "/records-requests/new/",
        request_form(sheriff, filed="2099-01-05", closed="2099-02-01", status="fulfilled"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "This date is after today." in errors["filed"]
    assert not RecordsRequest.objects.exists()
