"""Showing people without exposing them.

    {% load accounts_tags %}
    {{ version.history_user|public_name|default:"an unknown editor" }}
    {% can_see_email request.user author as show_email %}
    {% if show_email %}{{ author.email }}{% endif %}

`public_name` is the only thing to print for a person on a public page: their display name or
username, never an email address (a name that looks like one is skipped). Only the person
themself, reviewers and admins may see an email address: ask `can_see_email`.
"""

import datetime

from django import template
from django.utils.translation import gettext, ngettext

from apps.accounts.roles import is_reviewer

register = template.Library()


@register.filter
def public_name(user):
    """Display name, else username, else "user #<id>"; never anything containing "@".
    Empty for no user, so `|default:"…"` supplies the wording."""
    if user is None or not getattr(user, "is_authenticated", True):
        return ""
    return user.public_name


@register.simple_tag
def can_see_email(viewer, user):
    """True when `viewer` may see `user`'s email address: themself, reviewers and admins."""
    if user is None or viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    if not viewer.is_active:
        return False
    return viewer.pk == getattr(user, "pk", None) or is_reviewer(viewer)


@register.filter
def duration_words(value):
    """A timedelta in words, rounded to the largest unit: "1 hour", "30 minutes"."""
    if not isinstance(value, datetime.timedelta):
        return ""
    seconds = int(value.total_seconds())
    units = (
        (86400, lambda n: ngettext("%(count)d day", "%(count)d days", n)),
        (3600, lambda n: ngettext("%(count)d hour", "%(count)d hours", n)),
        (60, lambda n: ngettext("%(count)d minute", "%(count)d minutes", n)),
    )
    for size, words in units:
        if seconds >= size:
            count = round(seconds / size)
            return words(count) % {"count": count}
    return gettext("a minute")
