"""The Content-Security-Policy and Permissions-Policy headers on every kind of page, and the
endpoint browsers report violations to (apps/core/csp.py)."""

import json
import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from apps.core import page_cache
from apps.core.csp import CSP_REPORT_MAX_BYTES, tile_host_source
from tests.factories import AgencyFactory, DeploymentFactory

pytestmark = pytest.mark.django_db

REPORT_URL = "/csp-report/"
TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def directives(header):
    """{"script-src": ["'self'"], ...} from a policy header."""
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.fixture
def deployment():
    return DeploymentFactory(agency=AgencyFactory(name="Washington County Sheriff's Office"))


def representative_urls(deployment):
    return [
        "/",
        "/deployments/?status=active",
        deployment.get_absolute_url(),
        deployment.agency.get_absolute_url(),
        "/map/",
        "/search/?q=sheriff",
        "/submit/",
        "/api/v1/",
        "/api/v1/docs/",
        "/admin/login/",
        "/accounts/login/",
        "/no-such-page/",
    ]


def test_every_kind_of_page_carries_the_strict_policy_with_the_tile_host(
    client, settings, deployment
):
    settings.MAP_TILE_URL = TILES
    for url in representative_urls(deployment):
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        policy = directives(response["Content-Security-Policy"])
        for directive in ("script-src", "style-src"):
            assert policy[directive] == ["'self'"], (url, directive)
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["form-action"] == ["'self'"]
        assert policy["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
        assert policy["report-uri"] == [REPORT_URL]
        features = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
            assert feature in features, (url, feature)
        assert "browsing-topics=()" in features
        assert "clipboard-write" not in features  # "Copy citation" needs it


def test_without_tiles_images_come_from_this_site_and_data_addresses_only(client, settings):
    settings.MAP_TILE_URL = ""
    policy = directives(client.get("/map/")["Content-Security-Policy"])
    assert policy["img-src"] == ["'self'", "data:"]


def test_no_page_holds_an_inline_script_or_style(client, settings, deployment):
    for url in representative_urls(deployment):
        html = client.get(url).content.decode()
        assert "<style" not in html, url
        assert " style=" not in html, url
        assert "<script>" not in html and "<script nonce" not in html, url
        assert "javascript:" not in html, url


def test_the_server_error_page_has_no_inline_style():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert " style=" not in html and "<style" not in html
    assert "css/error.css" in html


def test_report_only_mode_sends_the_same_policy_under_the_report_only_header(client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    response = client.get("/submit/")
    assert "Content-Security-Policy" not in response
    policy = directives(response["Content-Security-Policy-Report-Only"])
    assert policy["script-src"] == ["'self'"]
    assert policy["report-uri"] == [REPORT_URL]


@pytest.mark.parametrize(
    ("template", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("https://tiles-{s}.example.org:8443/{z}/{x}/{y}.png", "https://*.example.org:8443"),
        ("//{s}.tiles.example.net/{z}/{x}/{y}.png", "*.tiles.example.net"),
        ("/tiles/{z}/{x}/{y}.png", None),
        ("", None),
    ],
)
def test_the_tile_host_source_follows_the_template(template, source):
    assert tile_host_source(template) == source


@pytest.mark.parametrize("template", ["https://tile.{s}.example.org/{z}.png", "https://{s}/{z}"])
def test_a_tile_template_csp_cannot_name_is_refused(template):
    with pytest.raises(ImproperlyConfigured):
        tile_host_source(template)


# ------------------------------------------------------------------ the report endpoint


def csp_report(**fields):
    report = {
        "document-uri": "http://testserver/search/?q=Jane+Doe#results",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'",
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 12,
        "status-code": 200,
        **fields,
    }
    return json.dumps({"csp-report": report})


def post(client, body, content_type="application/csp-report", **extra):
    return client.post(REPORT_URL, data=body, content_type=content_type, **extra)


def csp_records(caplog):
    return [record for record in caplog.records if record.name == "apps.core.csp"]


def test_a_report_is_logged_without_query_strings_or_the_client_address(client, caplog):
    caplog.set_level(logging.WARNING, logger="apps.core.csp")
    body = csp_report(
        **{
            "effective-directive": "img-src",
            "blocked-uri": "https://tracker.example.com/pixel.gif?visitor=42",
        }
    )
    response = post(client, body, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 204
    [record] = csp_records(caplog)
    assert record.levelno == logging.WARNING
    assert record.directive == "img-src"
    assert record.blocked_uri == "https://tracker.example.com/pixel.gif"
    assert record.document_uri == "http://testserver/search/"
    assert record.disposition == "enforce"
    message = record.getMessage()
    assert "img-src" in message and "https://tracker.example.com/pixel.gif" in message
    for secret in ("Jane", "visitor=42", "203.0.113.9", "results"):
        assert secret not in message
        assert secret not in json.dumps(record.__dict__, default=str)


def test_a_reporting_api_batch_logs_each_csp_violation(client, caplog):
    caplog.set_level(logging.WARNING, logger="apps.core.csp")
    batch = [
        {
            "type": "csp-violation",
            "age": 10,
            "url": "http://testserver/map/?technology=drones",
            "user_agent": "Chromium",
            "body": {
                "documentURL": "http://testserver/map/?technology=drones",
                "blockedURL": "inline",
                "effectiveDirective": "style-src-attr",
                "disposition": "report",
                "sample": "color: red",
            },
        },
        {"type": "deprecation", "url": "http://testserver/", "body": {"id": "x"}},
        {
            "type": "csp-violation",
            "url": "http://testserver/",
            "body": {"blockedURL": "eval", "effectiveDirective": "script-src"},
        },
    ]
    response = post(client, json.dumps(batch), "application/reports+json")
    assert response.status_code == 204
    first, second = csp_records(caplog)
    assert (first.directive, first.blocked_uri, first.document_uri, first.disposition) == (
        "style-src-attr",
        "inline",
        "http://testserver/map/",
        "report",
    )
    assert (second.directive, second.blocked_uri, second.document_uri) == (
        "script-src",
        "eval",
        "http://testserver/",
    )


def test_an_emailed_link_s_secret_is_logged_as_its_url_pattern(client, caplog):
    caplog.set_level(logging.WARNING, logger="apps.core.csp")
    document = "http://testserver/accounts/password/reset/MQ/abc-0123456789abcdef/"
    assert post(client, csp_report(**{"document-uri": document})).status_code == 204
    [record] = csp_records(caplog)
    assert "MQ" not in record.document_uri and "abc-" not in record.document_uri
    assert record.document_uri.startswith("http://testserver/accounts/password/reset/<")


def test_get_is_refused(client):
    response = client.get(REPORT_URL)
    assert response.status_code == 405
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        ("{not json", "application/csp-report", "not JSON"),
        (b"\xff\xfe", "application/csp-report", "not JSON"),
        ("[1, 2]", "application/csp-report", "csp-report"),
        ('{"csp-report": "x"}', "application/csp-report", "csp-report"),
        ('{"type": "csp-violation"}', "application/reports+json", "list of reports"),
        ('[{"type": "csp-violation", "body": 3}]', "application/reports+json", "body object"),
        ("[" * 10_000, "application/reports+json", "not JSON"),
    ],
)
def test_a_malformed_report_is_a_400_with_its_reason(client, caplog, body, content_type, reason):
    response = post(client, body, content_type)
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert csp_records(caplog) == []


def test_a_report_over_the_size_limit_is_a_413_unread(client, caplog):
    body = csp_report(**{"blocked-uri": "https://example.com/" + "a" * CSP_REPORT_MAX_BYTES})
    response = post(client, body)
    assert response.status_code == 413
    assert csp_records(caplog) == []


def test_another_content_type_is_a_415(client):
    response = post(client, csp_report(), "text/plain")
    assert response.status_code == 415


def test_it_needs_no_csrf_token(volunteer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer)
    assert post(client, csp_report()).status_code == 204


def test_reports_are_rate_limited_per_client(client, settings, caplog):
    settings.CSP_REPORT_RATE = "3/m"
    caplog.set_level(logging.WARNING, logger="apps.core.csp")
    statuses = [post(client, csp_report(), REMOTE_ADDR="203.0.113.9").status_code for _ in range(5)]
    assert statuses == [204, 204, 204, 429, 429]
    limited = post(client, csp_report(), REMOTE_ADDR="203.0.113.9")
    assert int(limited["Retry-After"]) > 0
    assert len(csp_records(caplog)) == 3
    # Another client is counted on its own.
    assert post(client, csp_report(), REMOTE_ADDR="198.51.100.7").status_code == 204


def test_reports_never_enter_the_page_cache(client, settings):
    settings.PAGE_CACHE = True
    for _ in range(2):
        assert post(client, csp_report()).status_code == 204
        response = client.get(REPORT_URL)
        assert response.status_code == 405
        assert "public" not in response.get("Cache-Control", "")
    assert not page_cache.cacheable_request(Client().get(REPORT_URL).wsgi_request)


def test_a_page_from_the_page_cache_gets_the_policy_in_force_now(
    client, settings, django_assert_num_queries
):
    settings.PAGE_CACHE = True
    settings.MAP_TILE_URL = ""
    first = client.get("/technologies/")
    assert "tile.example.org" not in first["Content-Security-Policy"]
    settings.MAP_TILE_URL = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    with django_assert_num_queries(0):  # the stored page
        second = client.get("/technologies/")
    assert second.content == first.content
    assert "https://*.tile.example.org" in second["Content-Security-Policy"]


def test_robots_txt_keeps_crawlers_out_of_the_report_endpoint(client):
    assert "Disallow: /csp-report/" in client.get("/robots.txt").content.decode().splitlines()
