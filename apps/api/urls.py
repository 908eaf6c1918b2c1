"""/api/v1/: a list and a detail endpoint for every registered kind with a public list, the
OpenAPI schema and its browsable docs (Swagger UI from the drf-spectacular-sidecar package,
served as this site's static files: no third-party host).

Reading the documentation does not count toward the rate limit: the docs page is a static
shell, and the schema, which only changes with the code, is built once an hour at most."""

from django.urls import path, re_path
from django.views.decorators.cache import cache_page
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from apps.records.registry import all_kinds

from .views import KindViewSet, not_found

app_name = "api"
SCHEMA_CACHE_SECONDS = 60 * 60


def kind_viewset(kind):
    name = f"{kind.model.__name__}ApiViewSet"
    return type(name, (KindViewSet,), {"kind": kind, "__doc__": f"Published {kind.plural}."})


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router(trailing_slash=True)
for kind in all_kinds():
    if kind.list_selector:
        router.register(
            kind.key,
            kind_viewset(kind),
            basename=kind.key,
        )

urlpatterns = [
    path(
        "schema/",
        cache_page(SCHEMA_CACHE_SECONDS)(SpectacularAPIView.as_view(throttle_classes=[])),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api:schema", throttle_classes=[]),
        name="docs",
    ),
    *router.urls,
    # Only addresses ending in a slash: one without is still redirected to it (APPEND_SLASH).
    re_path(r"^(?P<path>.*/)$", not_found),
]
