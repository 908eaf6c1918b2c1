"""{% source_refs sources %}: compact citation links for a table cell or a timeline item,
[1] [2] …, each to the source's page, or "none".

A tag rather than an included template: a list page writes it on each of its 50 rows, and
an include's own context and template lookups made it some tenth of the page's time."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

CITATION = (
    '<a href="{}" class="cite" title="{}">[{}]<span class="visually-hidden"> source: {}</span></a>'
)


@register.simple_tag
def source_refs(sources):
    if not sources:
        return mark_safe('<span class="muted">none</span>')  # noqa: S308 # nosec B308 # a constant
    return format_html_join(
        "",
        CITATION,
        (
            (source.get_absolute_url(), source.title, number, source.title)
            for number, source in enumerate(sources, start=1)
        ),
    )
