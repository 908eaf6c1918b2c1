"""The site header: links by role, the favicon."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from tests.factories import sign_in

pytestmark = pytest.mark.django_db
INVITATIONS = reverse("accounts:invitations")


def account_nav(html):
    start = html.index('<nav aria-label="Account"')
    return html[start : html.index("</nav>", start)]


@pytest.mark.parametrize("who", ["reviewer", "site_admin"])
def test_reviewers_and_admins_have_a_header_link_to_invitations(client, request, who):
    sign_in(client, request.getfixturevalue(who))
    nav = account_nav(client.get(reverse("home:home")).content.decode())
    assert f'<a href="{INVITATIONS}">Invitations</a>' in nav
    assert reverse("editing:my_contributions") in nav
    assert reverse("accounts:profile") in nav
    assert reverse("accounts:password_change") in nav


def test_the_invitations_link_is_marked_current_on_its_page(client, reviewer):
    sign_in(client, reviewer)
    html = client.get(INVITATIONS).content.decode()
    assert f'<a href="{INVITATIONS}" aria-current="page">Invitations</a>' in account_nav(html)


def test_volunteers_and_the_public_have_no_invitations_link(client, volunteer):
    assert INVITATIONS not in account_nav(client.get(reverse("home:home")).content.decode())
    client.force_login(volunteer)
    nav = account_nav(client.get(reverse("home:home")).content.decode())
    assert INVITATIONS not in nav
    assert "My contributions" in nav
    assert 'title="Signed in as Vera Volunteer"' in nav


def test_every_page_names_an_svg_favicon_that_exists(client):
    html = client.get(reverse("home:home")).content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in html
    path = finders.find("favicon.svg")
    assert path
    with open(path, encoding="utf-8") as svg:
        assert svg.read().lstrip().startswith("<svg")


def test_favicon_ico_redirects_to_the_svg(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.url == static("favicon.svg")
