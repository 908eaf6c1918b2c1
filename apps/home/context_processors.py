"""The site's top menu, from the registry of kinds: a kind gets its entry by registering
(apps/records/registry.py, menu_kinds). Home is a top-layer app, so it may read the registry;
core, below it, may not, which is why the menu is built here and not in core's base."""

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.records.registry import menu_kinds

# Pages that are not one kind's list, after the kinds: (label, URL name). Named, not
# imported: the apps that serve them are home's siblings in the top layer.
OTHER_PAGES = ((_("Regions"), "regions:list"), (_("Map"), "maps:map"))


def site_menu(request):
    """[(label, URL, whether the page is in that list)] for the base template. No database
    query: the registry is in memory and reversing a URL reads the URLconf only."""
    path = getattr(request, "path", "")
    menu = []
    for kind in menu_kinds():
        url = reverse(kind.list_url_name)
        menu.append((capfirst(kind.plural), url, path.startswith(url)))
    for label, url_name in OTHER_PAGES:
        url = reverse(url_name)
        menu.append((label, url, path.startswith(url)))
    return {"site_menu": menu}
