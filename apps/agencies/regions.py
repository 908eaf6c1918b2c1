"""The regions that have agencies, suggested wherever a region is typed (list filters, the
home page's search box). Apart from filters.py, which imports other apps' filters, so that
those apps can import it back."""

from apps.core.places import region_options

from .models import Agency


def agency_region_options():
    """[(full code, label)] of the regions of published agencies."""
    pairs = (
        Agency.objects.published()
        .exclude(region="")
        .values_list("country", "region")
        .order_by()
        .distinct()
    )
    return region_options(set(pairs))
