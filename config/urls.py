from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

urlpatterns = [
    # Browsers and feed readers ask for /favicon.ico whatever the page says. A temporary
    # redirect, resolved per request: the static file's hashed name changes with each deploy.
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=False),
        name="favicon",
    ),
    path("", include("apps.home.urls")),
    path("search/", include("apps.search.urls")),
    # Before the kinds' own URLs: /agencies/new/ must not be read as an agency called "new".
    path("", include("apps.editing.urls")),
    path("agencies/", include("apps.agencies.urls")),
    path("vendors/", include("apps.vendors.urls")),
    path("products/", include("apps.vendors.product_urls")),
    path("technologies/", include("apps.technologies.urls")),
    path("deployments/", include("apps.deployments.urls")),
    path("contracts/", include("apps.contracts.urls")),
    path("ndas/", include("apps.contracts.nda_urls")),
    path("records-requests/", include("apps.records_requests.urls")),
    path("response-deadlines/", include("apps.records_requests.deadline_urls")),
    path("oversight/", include("apps.oversight.urls")),
    path("sources/", include("apps.sources.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("submit/", include("apps.tips.urls")),
    path("admin/", admin.site.urls),
]
# MEDIA_ROOT is not served at a public address, not even in development: uploaded documents
# go out through sources:document, which checks the source's visibility.
