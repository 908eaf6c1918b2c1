"""One log line per request (apps/core/request_log.py): method, path, status, duration and
view, valid JSON with the configured formatter, and nothing personal in it."""

import json
import logging

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string

from config.settings.base import logging_config

pytestmark = pytest.mark.django_db

LOGGER = "apps.core.request_log"
FIELDS = {"method", "path", "status", "duration_ms", "view"}


def request_records(caplog):
    return [record for record in caplog.records if record.name == LOGGER]


def json_formatter():
    """The JSON formatter as LOGGING configures it, whatever LOG_FORMAT this run has."""
    config = dict(settings.LOGGING["formatters"]["json"])
    return import_string(config.pop("()"))(**config)


def as_json(record):
    return json.loads(json_formatter().format(record))


def test_one_record_per_request_with_its_fields(caplog):
    response = Client().get(reverse("technologies:list"))
    assert response.status_code == 200
    [record] = request_records(caplog)
    assert record.levelno == logging.INFO
    assert (record.method, record.path, record.status, record.view) == (
        "GET",
        "/technologies/",
        200,
        "technologies:list",
    )
    assert isinstance(record.duration_ms, float) and record.duration_ms >= 0


def test_the_line_is_json_with_the_fields(caplog):
    Client().get("/healthz")
    line = as_json(request_records(caplog)[0])
    assert FIELDS | {"time", "level", "logger", "message"} <= set(line)
    assert line["level"] == "INFO"
    assert line["logger"] == LOGGER
    assert line["status"] == 200
    assert line["view"] == "healthz"
    assert line["message"].startswith("GET /healthz 200 ")


def test_an_unknown_address_is_logged_without_a_view(caplog):
    Client().get("/no-such-page/")
    [record] = request_records(caplog)
    assert (record.status, record.view) == (404, None)


def test_nothing_personal_in_the_line(caplog, volunteer):
    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.23")
    client.force_login(volunteer)
    response = client.get(
        reverse("editing:my_contributions"),
        {"q": "jane.doe@example.net"},
        HTTP_USER_AGENT="Browser/1.0 (private)",
        HTTP_REFERER="https://elsewhere.example/?name=Jane",
    )
    assert response.status_code == 200
    [record] = request_records(caplog)
    line = json_formatter().format(record)
    assert json.loads(line)["path"] == reverse("editing:my_contributions")
    for personal in [
        "203.0.113.7",
        "198.51.100.23",
        volunteer.email,
        volunteer.username,
        volunteer.display_name,
        client.cookies[settings.SESSION_COOKIE_NAME].value,
        "jane.doe",
        "q=",
        "private",
        "elsewhere",
    ]:
        assert personal not in line


def console_lines(records):
    """`records` as the console handler LOGGING configured writes them."""
    [console] = [handler for handler in logging.getLogger().handlers if handler.name == "console"]
    return [console.format(record) for record in records if console.filter(record)]


def test_an_emailed_link_is_logged_as_its_pattern(caplog):
    Client().get("/accounts/password/reset/MQ/c3x5wz-0123456789abcdef/")
    Client().get("/accounts/invitation/secret-invitation-token/")
    paths = [record.path for record in request_records(caplog)]
    assert paths == [
        "/accounts/password/reset/<uidb64>/<token>/",
        "/accounts/invitation/<str:token>/",
    ]
    # The unknown invitation's 404 is django.request's warning too.
    lines = "\n".join(console_lines(caplog.records))
    assert "Not Found: /accounts/invitation/<str:token>/" in lines
    assert "0123456789abcdef" not in lines
    assert "secret-invitation-token" not in lines


def test_sign_ins_are_logged_without_who(caplog, volunteer):
    client = Client(REMOTE_ADDR="203.0.113.7")
    login = reverse("accounts:login")
    client.post(login, {"username": volunteer.username, "password": "wrong password"})
    client.post(login, {"username": volunteer.username, "password": "correct horse battery staple"})
    assert client.cookies[settings.SESSION_COOKIE_NAME].value
    assert "AXES: Successful login by a client" in caplog.text
    assert volunteer.username not in caplog.text
    assert "203.0.113.7" not in caplog.text


def test_djangos_error_records_keep_the_query_string_out(caplog):
    # django.request attaches the request, whose text is the full address.
    Client().get("/no-such-page/", {"q": "jane.doe@example.net"})
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert record.request.get_full_path().endswith("jane.doe%40example.net")
    line = as_json(record)
    assert line["status_code"] == 404
    assert "jane.doe" not in json.dumps(line)


def test_a_streamed_download_is_logged_once_it_has_been_sent(caplog):
    response = Client().get(reverse("technologies:export", args=["csv"]))
    assert response.streaming
    assert request_records(caplog) == []
    b"".join(response.streaming_content)
    [record] = request_records(caplog)
    assert (record.status, record.view) == (200, "technologies:export")


def test_a_page_from_the_page_cache_is_logged_without_a_view(caplog, settings):
    settings.PAGE_CACHE = True
    Client().get(reverse("technologies:list"))
    Client().get(reverse("technologies:list"))
    records = request_records(caplog)
    assert [(record.status, record.view) for record in records] == [
        (200, "technologies:list"),
        (200, None),
    ]


def test_the_middleware_times_every_other_one():
    assert settings.MIDDLEWARE[0] == "apps.core.request_log.RequestLogMiddleware"


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_log_format_picks_the_console_formatter(log_format):
    assert logging_config(log_format)["handlers"]["console"]["formatter"] == log_format


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT must be json or text"):
        logging_config("xml")


def test_runserver_lines_are_not_written_twice():
    # django.server's line per request carries the query string.
    assert logging_config("text")["loggers"]["django.server"]["propagate"] is False
