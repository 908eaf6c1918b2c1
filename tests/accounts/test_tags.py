"""`public_name` and `can_see_email`: who sees a person's email address."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from apps.accounts.templatetags.accounts_tags import can_see_email, public_name
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_public_name_is_the_display_name():
    assert public_name(UserFactory(username="jd", display_name="Jane D.")) == "Jane D."


def test_public_name_falls_back_to_the_username():
    assert public_name(UserFactory(username="jd", display_name="")) == "jd"
    assert public_name(UserFactory(username="jd2", display_name="   ")) == "jd2"


@pytest.mark.parametrize(
    ("username", "display_name", "expected"),
    [
        ("jd", "jane@example.org", "jd"),
        ("jane@example.org", "", None),
        ("jane@example.org", "jane@example.org", None),
        ("jane@example.org", "Jane", "Jane"),
    ],
)
def test_public_name_never_returns_an_email(username, display_name, expected):
    user = UserFactory(username=username, display_name=display_name, email="jane@example.org")
    name = public_name(user)
    assert "@" not in name
    assert "jane@example.org" not in name
    assert name == (expected or f"user #{user.pk}")


def test_public_name_of_nobody_is_empty_for_default():
    assert public_name(None) == ""
    assert public_name(AnonymousUser()) == ""
    rendered = Template(
        '{% load accounts_tags %}{{ nobody|public_name|default:"an unknown editor" }}'
    ).render(Context({"nobody": None}))
    assert rendered == "an unknown editor"


def test_public_name_in_a_template_is_escaped():
    user = UserFactory(display_name="<b>Bold</b>")
    rendered = Template("{% load accounts_tags %}{{ user|public_name }}").render(
        Context({"user": user})
    )
    assert rendered == "&lt;b&gt;Bold&lt;/b&gt;"


def test_can_see_email(volunteer, reviewer, site_admin):
    other = UserFactory(username="other")
    assert can_see_email(other, other) is True  # themself
    assert can_see_email(reviewer, other) is True
    assert can_see_email(site_admin, other) is True
    assert can_see_email(volunteer, other) is False
    assert can_see_email(AnonymousUser(), other) is False
    assert can_see_email(None, other) is False
    assert can_see_email(reviewer, None) is False


def test_can_see_email_refuses_a_deactivated_reviewer(reviewer):
    reviewer.is_active = False
    assert can_see_email(reviewer, UserFactory()) is False


@pytest.mark.parametrize(("viewer_fixture", "shown"), [("volunteer", False), ("reviewer", True)])
def test_can_see_email_tag_in_a_template(request, viewer_fixture, shown):
    viewer = request.getfixturevalue(viewer_fixture)
    author = UserFactory(username="author", email="author@example.org")
    rendered = Template(
        "{% load accounts_tags %}{% can_see_email viewer author as show %}"
        "{{ author|public_name }}{% if show %} ({{ author.email }}){% endif %}"
    ).render(Context({"viewer": viewer, "author": author}))
    assert ("author@example.org" in rendered) is shown
