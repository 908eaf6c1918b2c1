"""{% region_feed form as feed %}: the Atom feed of the one region a list is filtered by
as {"url": "/feeds/regions/US/OR/", "name": "Oregon"}, for the list's head and its status
line; None otherwise."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def region_feed(form):
    if form is None or not form.is_bound or form.errors:
        return None
    regions = form.cleaned_data.get("region") or []
    if len(regions) != 1:
        return None
    region = regions[0]
    return {
        "url": reverse("feeds:region", args=[region.country, region.code]),
        "name": region.name,
    }
