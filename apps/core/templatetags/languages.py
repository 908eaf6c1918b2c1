"""The language switcher's links: this same page (with its query, so a filtered list stays
filtered) in each of settings.LANGUAGES."""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in_languages(context):
    """[(code, name, address, whether it is the page's language)]. A page with no address
    in another language (an error page, a page outside the translated ones) links to that
    language's home page instead."""
    request = context.get("request")
    current = translation.get_language() or settings.LANGUAGE_CODE
    here = request.get_full_path() if request is not None else "/"
    links = []
    for code, name in settings.LANGUAGES:
        address = translate_url(here, code)
        if address == here and code != current:
            with translation.override(code):
                address = reverse("home:home")
        links.append((code, name, address, code == current))
    return links
