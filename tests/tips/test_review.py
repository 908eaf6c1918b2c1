"""Reviewers' side: the open-tips page and the handle / dismiss actions, by role."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from apps.tips.models import Tip, TipStatus
from apps.tips.selectors import open_tip_count, open_tips
from tests.factories import DeploymentFactory, TipFactory, UserFactory, sign_in, technology

pytestmark = pytest.mark.django_db


def _urls(tip):
    return {
        "queue": "/submit/review/",
        "handle": f"/submit/review/{tip.pk}/handle/",
        "dismiss": f"/submit/review/{tip.pk}/dismiss/",
    }


@pytest.mark.parametrize("page", ["queue", "handle", "dismiss"])
def test_anonymous_is_sent_to_login(client, settings, page):
    try:
        reverse(settings.LOGIN_URL)
    except NoReverseMatch:
        # The login page is built separately; until it exists, its agreed path stands in.
        settings.LOGIN_URL = "/accounts/login/"
    tip = TipFactory()
    url = _urls(tip)[page]
    response = client.post(url) if page != "queue" else client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert Tip.objects.get().status == TipStatus.NEW


@pytest.mark.parametrize("page", ["queue", "handle", "dismiss"])
def test_volunteer_is_refused(client, volunteer, page):
    tip = TipFactory()
    client.force_login(volunteer)
    url = _urls(tip)[page]
    response = client.post(url) if page != "queue" else client.get(url)
    assert response.status_code == 403
    assert Tip.objects.get().status == TipStatus.NEW


@pytest.mark.parametrize("page", ["handle", "dismiss"])
def test_actions_are_post_only(client, reviewer, page):
    tip = TipFactory()
    sign_in(client, reviewer)
    assert client.get(_urls(tip)[page]).status_code == 405
    assert Tip.objects.get().status == TipStatus.NEW


def test_actions_need_a_csrf_token(reviewer):
    from django.test import Client

    tip = TipFactory()
    csrf_client = Client(enforce_csrf_checks=True)
    sign_in(csrf_client, reviewer)
    assert csrf_client.post(_urls(tip)["handle"], {"note": "done"}).status_code == 403
    assert Tip.objects.get().status == TipStatus.NEW


def test_reviewer_sees_open_tips_oldest_first_with_contact_email(client, reviewer):
    first = TipFactory(agency_name="First Agency")
    second = TipFactory(agency_name="Second Agency")
    TipFactory(agency_name="Closed Agency", status=TipStatus.DISMISSED)
    sign_in(client, reviewer)
    response = client.get("/submit/review/")
    content = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["tips"]) == [first, second]
    assert content.index("First Agency") < content.index("Second Agency")
    assert "Closed Agency" not in content
    assert first.contact_email in content and second.contact_email in content
    assert first.source_url in content
    assert "Mark handled" in content and "Dismiss" in content


def test_staff_counts_as_reviewer(client):
    TipFactory()
    sign_in(client, UserFactory(is_staff=True))
    assert client.get("/submit/review/").status_code == 200


def test_reviewer_marks_a_tip_handled_with_a_note(client, reviewer):
    tip = TipFactory()
    sign_in(client, reviewer)
    response = client.post(_urls(tip)["handle"], {"note": "Added as deployment #12."})
    assert response.status_code == 302
    assert response["Location"] == "/review/"
    tip.refresh_from_db()
    assert tip.status == TipStatus.HANDLED
    assert tip.handled_by == reviewer
    assert tip.handled_at is not None
    assert tip.reviewer_note == "Added as deployment #12."
    assert open_tip_count() == 0


def test_reviewer_dismisses_a_tip_without_a_note(client, reviewer):
    tip = TipFactory()
    sign_in(client, reviewer)
    response = client.post(_urls(tip)["dismiss"])
    assert response.status_code == 302 and response["Location"] == "/review/"
    tip.refresh_from_db()
    assert tip.status == TipStatus.DISMISSED
    assert tip.handled_by == reviewer and tip.reviewer_note == ""


def test_action_returns_to_a_local_next_page_only(client, reviewer):
    first, second = TipFactory(), TipFactory()
    sign_in(client, reviewer)
    response = client.post(_urls(first)["handle"], {"next": "/submit/review/"})
    assert response["Location"] == "/submit/review/"
    response = client.post(_urls(second)["dismiss"], {"next": "https://evil.example.com/"})
    assert response["Location"] == "/review/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (TipStatus.HANDLED, TipStatus.DISMISSED)


def test_closing_a_closed_tip_changes_nothing(client, reviewer):
    other = UserFactory()
    tip = TipFactory(status=TipStatus.HANDLED, handled_by=other, reviewer_note="first")
    sign_in(client, reviewer)
    client.post(_urls(tip)["dismiss"], {"note": "second"})
    tip.refresh_from_db()
    assert tip.status == TipStatus.HANDLED
    assert tip.handled_by == other and tip.reviewer_note == "first"


def test_too_long_note_is_refused(client, reviewer):
    tip = TipFactory()
    sign_in(client, reviewer)
    response = client.post(_urls(tip)["handle"], {"note": "x" * 2001, "next": "/submit/review/"})
    assert response.status_code == 302
    assert Tip.objects.get().status == TipStatus.NEW
    page = client.get("/submit/review/").content.decode()
    assert "was not changed" in page


def test_unknown_tip_is_404(client, reviewer):
    sign_in(client, reviewer)
    assert client.post("/submit/review/999999/handle/").status_code == 404


def test_selectors_and_queryset_open_oldest_first():
    first, second = TipFactory(), TipFactory()
    TipFactory(status=TipStatus.HANDLED)
    assert list(Tip.objects.open()) == [first, second]
    assert list(open_tips()) == [first, second]
    assert open_tip_count() == 2


def test_queue_section_renders_with_only_tips_in_context(rf, reviewer):
    tip = TipFactory()
    request = rf.get("/review/")
    request.user = reviewer
    html = render_to_string("tips/queue_section.html", {"tips": open_tips()}, request=request)
    assert tip.contact_email in html
    assert f"/submit/review/{tip.pk}/handle/" in html
    assert f"/submit/review/{tip.pk}/dismiss/" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'value="/review/"' in html
    empty = render_to_string("tips/queue_section.html", {"tips": []}, request=request)
    assert "No open tips" in empty


def test_str_and_labels():
    tip = TipFactory(technology_text="ALPR", agency_name="Springfield Police")
    assert str(tip) == "ALPR at Springfield Police"
    assert tip.place == "Example County, OR"


def test_contact_email_never_appears_on_public_pages(client, tip_data):
    DeploymentFactory()
    response = client.post("/submit/", tip_data, follow=True)
    assert response.status_code == 200
    assert Tip.objects.filter(contact_email=tip_data["contact_email"]).exists()
    TipFactory(contact_email="second@private.example.net", status=TipStatus.HANDLED)
    public_pages = [
        "/",
        "/submit/",
        "/submit/thanks/",
        "/deployments/",
        "/agencies/",
        "/technologies/",
        "/technologies/face-recognition/",
        "/sources/",
        "/deployments/export.csv",
    ]
    for url in [response.request["PATH_INFO"], *public_pages]:
        page = client.get(url)
        body = b"".join(page.streaming_content) if page.streaming else page.content
        assert page.status_code in (200, 404), url
        assert b"private.example.net" not in body, url


def test_queue_page_queries_do_not_grow_with_tips(client, reviewer, django_assert_num_queries):
    TipFactory(technology=None)
    sign_in(client, reviewer)
    with CaptureQueriesContext(connection) as one_tip:
        client.get("/submit/review/")
    TipFactory.create_batch(3, technology_text="", technology=technology())
    with django_assert_num_queries(len(one_tip)):
        response = client.get("/submit/review/")
    assert len(response.context["tips"]) == 4
