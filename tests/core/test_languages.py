"""The interface in two languages (README, "Languages"): English at the plain addresses,
Spanish under /es/, a switcher on every page that keeps the page and its query, the
machine-readable addresses in one language only, and a Spanish catalogue that is complete,
compiled and current with the strings marked in the code."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client, RequestFactory

from apps.core import page_cache
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")


def switcher_links(html):
    """{language: address} of the header's language switcher."""
    return {
        code: address
        for address, code in re.findall(
            r'<li class="language-switch"><a href="([^"]*)" hreflang="(\w+)"', html
        )
    }


def test_english_pages_keep_their_addresses_and_offer_the_spanish_one():
    response = Client().get("/agencies/?sort=name")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert switcher_links(html) == {"es": "/es/agencies/?sort=name"}
    assert 'hreflang="es" href="http://testserver/es/agencies/?sort=name"' in html


def test_spanish_pages_are_under_es_in_spanish_and_link_back_to_english():
    agency = AgencyFactory()

    response = Client().get(f"/es/agencies/{agency.slug}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in html
    assert "Saltar al contenido" in html  # the skip link, from the catalogue
    assert "Skip to content" not in html
    assert switcher_links(html) == {"en": f"/agencies/{agency.slug}/"}
    assert response["Content-Language"] == "es"


def test_a_page_with_no_other_language_links_to_that_languages_home():
    response = Client().get("/es/no-such-page/")

    assert response.status_code == 404
    assert switcher_links(response.content.decode()) == {"en": "/"}


@pytest.mark.parametrize("address", ["/es/api/v1/", "/es/feeds/changes/", "/es/admin/"])
def test_machine_readable_addresses_and_the_admin_have_no_spanish_copy(address):
    assert Client().get(address).status_code == 404


def test_the_api_answers_in_english_whatever_the_browser_prefers():
    response = Client().get("/api/v1/nonexistent/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 404
    assert response.get("Content-Language", "en") == "en"


@pytest.mark.parametrize(
    ("path", "cacheable"),
    [
        ("/es/agencies/", True),
        ("/es/", True),
        ("/es/accounts/login/", False),
        ("/es/submit/", False),
        ("/es/review/", False),
        ("/es/agencies/new/", False),
    ],
)
def test_the_page_cache_keeps_private_pages_out_in_spanish_too(path, cacheable):
    assert page_cache.cacheable_request(RequestFactory().get(path)) is cacheable


def test_the_page_cache_keeps_each_languages_page_apart(settings):
    settings.PAGE_CACHE = True
    caches[page_cache.CACHE_ALIAS].clear()
    try:
        english = Client().get("/agencies/")
        spanish = Client().get("/es/agencies/")
        spanish_again = Client().get("/es/agencies/")
    finally:
        caches[page_cache.CACHE_ALIAS].clear()

    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="es">' in spanish.content.decode()
    assert spanish_again.content == spanish.content
    # The address picks the language, not the browser's Accept-Language: one copy per
    # address is enough for a CDN.
    for response in (english, spanish, spanish_again):
        assert [v.strip() for v in response["Vary"].split(",")] == ["Cookie"]


# ---- the catalogue -----------------------------------------------------------------------------


def test_the_spanish_catalogue_translates_every_string():
    catalogue = polib.pofile(str(CATALOGUE))

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    assert len(catalogue.translated_entries()) > 100


def test_the_compiled_catalogue_matches_the_text_one():
    """scripts/messages compiles the .po into the .mo that Django reads: a translation
    edited in the .po and not compiled would not show."""

    def entries(catalogue):
        return {
            (entry.msgctxt, entry.msgid, entry.msgid_plural): (
                entry.msgstr,
                tuple(sorted(entry.msgstr_plural.items())),
            )
            for entry in catalogue
            if entry.msgid
        }

    text = polib.pofile(str(CATALOGUE)).translated_entries()
    assert entries(polib.mofile(str(COMPILED))) == entries(text)


def test_the_placeholders_of_every_translation_match_the_english():
    catalogue = polib.pofile(str(CATALOGUE))
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|</?[a-z]+")

    mismatched = []
    for entry in catalogue.translated_entries():
        translations = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        # The same placeholders and tags, each as often as the Spanish sentence needs it.
        english = set(placeholder.findall(entry.msgid))
        for translation in translations:
            found = set(placeholder.findall(translation))
            # A singular may say "one" in words where the English says %(count)s.
            if found != english and not (entry.msgid_plural and found <= english):
                mismatched.append((entry.msgid, translation))
    assert mismatched == []


@pytest.mark.skipif(
    shutil.which("xgettext") is None and not os.environ.get("CI"),
    reason="GNU gettext is not installed (.ci/run installs it)",
)
def test_the_catalogue_holds_every_marked_string(tmp_path):
    """Every string marked in the code and the templates is in the committed catalogue and
    nothing else is: scripts/messages was run after the last change. Run on a copy of the
    project, which makemessages rewrites."""
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("apps", "config", "templates", "static", "locale", "scripts"):
        shutil.copytree(base / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(base / "manage.py", copy / "manage.py")

    subprocess.run(  # noqa: S603 (our own script, our own interpreter)
        ["bash", str(copy / "scripts" / "messages")],
        cwd=copy,
        env={**os.environ, "PYTHON": sys.executable},
        check=True,
        capture_output=True,
    )

    def keys(path):
        return {(e.msgctxt, e.msgid, e.msgid_plural) for e in polib.pofile(str(path)) if e.msgid}

    refreshed = keys(copy / "locale" / "es" / "LC_MESSAGES" / "django.po")
    committed = keys(CATALOGUE)
    assert sorted(refreshed - committed, key=str) == [], "marked but not in the catalogue"
    assert sorted(committed - refreshed, key=str) == [], "in the catalogue, no longer marked"


# ---- country names -------------------------------------------------------------------------


def test_country_names_read_in_the_pages_language():
    agency = AgencyFactory(country="US", region="OR")

    english = Client().get(f"/agencies/{agency.slug}/").content.decode()
    spanish = Client().get(f"/es/agencies/{agency.slug}/").content.decode()

    assert "United States" in english
    assert "Estados Unidos" in spanish
    assert "United States" not in spanish


def test_the_country_filter_lists_and_understands_spanish_names():
    agency = AgencyFactory(country="MX", region="CMX", name="Secretaría de Seguridad Ciudadana")
    AgencyFactory(country="US", region="OR", name="Fernwick Police Department")

    response = Client().get("/es/agencies/", {"country": "México"})

    html = response.content.decode()
    assert response.status_code == 200
    assert agency.name in html
    assert "Fernwick Police Department" not in html
    assert "Alemania" in html  # the filter's suggestions, named in Spanish
