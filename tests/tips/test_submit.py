"""The public tip form: anonymous submission, validation, honeypot, size and rate limits."""

import pytest
from django.utils.crypto import salted_hmac

from apps.tips.models import Tip, TipStatus
from apps.tips.views import TIP_MAX_BODY_BYTES
from tests.factories import technology

pytestmark = pytest.mark.django_db

RATE_LIMIT_MESSAGE = "Too many tips from your connection; try again later"


def test_form_page_is_public_and_labelled(client):
    response = client.get("/submit/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "What technology?" in content and "Which agency?" in content
    assert "kept private" in content
    # The honeypot is hidden from people, assistive technology and the keyboard.
    assert 'aria-hidden="true"' in content and 'tabindex="-1"' in content
    assert "Leave this field empty" in content


def test_anonymous_tip_is_stored_privately_and_redirects_to_thanks(client, tip_data):
    tip_data["technology"] = technology("face-recognition").pk
    response = client.post(
        "/submit/", tip_data, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="TestBrowser/1.0 " * 50
    )
    assert response.status_code == 302
    assert response["Location"] == "/submit/thanks/"
    tip = Tip.objects.get()
    assert tip.agency_name == "Washington County Sheriff's Office"
    assert tip.technology.slug == "face-recognition"
    assert tip.contact_email == "whistle@private.example.net"
    assert tip.status == TipStatus.NEW and tip.handled_by is None
    # A salted hash of the address, never the address itself.
    expected = salted_hmac("apps.tips.Tip.ip_hash", "203.0.113.7", algorithm="sha256")
    assert tip.ip_hash == expected.hexdigest()
    stored = [str(value) for value in Tip.objects.values().get().values()]
    assert not any("203.0.113.7" in value for value in stored)
    assert len(tip.user_agent) == 300

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "A reviewer will look at it" in thanks.content.decode()
    assert "will not appear publicly" in thanks.content.decode()


def test_picking_a_technology_is_enough(client, tip_data):
    tip_data.update(technology_text="", technology=technology("drones").pk)
    assert client.post("/submit/", tip_data).status_code == 302
    assert Tip.objects.get().technology.slug == "drones"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"agency_name": ""}, "agency_name", "This field is required."),
        ({"description": "  "}, "description", "This field is required."),
        ({"technology_text": "", "technology": ""}, "technology_text", "Say what technology"),
        ({"source_url": "not a link"}, "source_url", "Enter a valid URL."),
        ({"source_url": "javascript:alert(1)"}, "source_url", "Enter a valid URL."),
        ({"contact_email": "nobody@"}, "contact_email", "Enter a valid email address."),
        ({"agency_name": "x" * 201}, "agency_name", "at most 200 characters"),
        ({"description": "x" * 5001}, "description", "at most 5000 characters"),
    ],
)
def test_invalid_tips_show_errors_and_store_nothing(client, tip_data, changes, field, message):
    tip_data.update(changes)
    response = client.post("/submit/", tip_data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and any(message in error for error in errors[field])
    content = response.content.decode()
    assert "Please correct" in content and "has not been sent yet" in content
    assert Tip.objects.count() == 0


def test_filled_honeypot_is_refused_and_nothing_stored(client, tip_data):
    tip_data["reference_code"] = "http://spam.example.com"
    response = client.post("/submit/", tip_data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Your tip could not be accepted" in content and "nothing was saved" in content
    # A person keeps what they typed, and the trap is emptied for the next try.
    assert "Washington County Sheriff" in content
    assert "spam.example.com" not in content
    assert Tip.objects.count() == 0


def test_absurd_request_body_is_refused(client, tip_data):
    tip_data["description"] = "x" * (TIP_MAX_BODY_BYTES + 1)
    response = client.post("/submit/", tip_data)
    assert response.status_code == 413
    assert "far larger than the form allows" in response.content.decode()
    assert Tip.objects.count() == 0


def test_sixth_tip_in_the_window_is_refused_with_429(client, tip_data, settings):
    settings.TIP_RATE = "5/h"
    for _ in range(5):
        assert client.post("/submit/", tip_data, REMOTE_ADDR="198.51.100.9").status_code == 302
    response = client.post("/submit/", tip_data, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    content = response.content.decode()
    assert RATE_LIMIT_MESSAGE in content
    assert "5 per hour" in content
    assert int(response["Retry-After"]) > 0
    assert Tip.objects.count() == 5

    # Another connection is not affected.
    assert client.post("/submit/", tip_data, REMOTE_ADDR="198.51.100.10").status_code == 302
    assert Tip.objects.count() == 6


def test_rejected_forms_do_not_use_up_the_allowance(client, tip_data, settings):
    settings.TIP_RATE = "5/h"
    address = {"REMOTE_ADDR": "192.0.2.1"}
    rejected = [
        {},
        {**tip_data, "agency_name": ""},
        {**tip_data, "description": "x" * 5001},
        {**tip_data, "source_url": "not a link"},
        {**tip_data, "technology_text": "", "technology": ""},
        {**tip_data, "agency_name": "x" * 201},
    ]
    for data in rejected:
        assert client.post("/submit/", data, **address).status_code == 200
    # Oversized bodies are refused before they are read, and do not count either.
    too_large = {**tip_data, "description": "x" * (TIP_MAX_BODY_BYTES + 1)}
    assert client.post("/submit/", too_large, **address).status_code == 413

    # Every accepted tip counts: five go through, the sixth is refused.
    for _ in range(5):
        assert client.post("/submit/", tip_data, **address).status_code == 302
    response = client.post("/submit/", tip_data, **address)
    assert response.status_code == 429
    assert Tip.objects.count() == 5


def test_at_the_limit_even_a_form_with_errors_is_told_so(client, tip_data, settings):
    settings.TIP_RATE = "2/h"
    for _ in range(2):
        assert client.post("/submit/", tip_data, REMOTE_ADDR="192.0.2.3").status_code == 302
    response = client.post("/submit/", {}, REMOTE_ADDR="192.0.2.3")
    assert response.status_code == 429
    assert "Nothing from your last attempt was saved" in response.content.decode()


def test_honeypot_hits_count_towards_the_limit(client, tip_data, settings):
    # Robots are what the limit is for: a filled honeypot uses up the allowance.
    settings.TIP_RATE = "3/h"
    for _ in range(3):
        spam = {**tip_data, "reference_code": "http://spam.example.com"}
        assert client.post("/submit/", spam, REMOTE_ADDR="192.0.2.4").status_code == 400
    assert client.post("/submit/", tip_data, REMOTE_ADDR="192.0.2.4").status_code == 429
    assert Tip.objects.count() == 0


def test_reading_the_form_is_never_limited(client):
    for _ in range(10):
        assert client.get("/submit/", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_the_form_needs_a_csrf_token(tip_data):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/submit/", tip_data)
    assert response.status_code == 403
    assert Tip.objects.count() == 0


def test_rate_limited_view_is_the_configured_ratelimit_view(rf, settings):
    from django.utils.module_loading import import_string
    from django_ratelimit.exceptions import Ratelimited

    view = import_string(settings.RATELIMIT_VIEW)
    response = view(rf.post("/submit/"), Ratelimited())
    assert response.status_code == 429
    assert RATE_LIMIT_MESSAGE in response.content.decode()
