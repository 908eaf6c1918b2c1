from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from apps.core.csp import csp_report
from apps.core.health import HealthView
from apps.core.unavailable import bad_request, server_error
from apps.feeds.sitemaps import sitemaps
from apps.feeds.views import robots_txt
from apps.opendata.views import ContractOcdsView

SITEMAPS = sitemaps()

# A 503 when the database cannot be reached, Django's 500 (and 400) page otherwise.
handler500 = server_error
handler400 = bad_request

urlpatterns = [
    # Browsers and feed readers ask for /favicon.ico whatever the page says. A temporary
    # redirect, resolved per request: the static file's hashed name changes with each deploy.
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=False),
        name="favicon",
    ),
    path("robots.txt", robots_txt, name="robots"),
    # For load balancers: 200 or 503 with what failed (apps/core/health.py).
    path("healthz", HealthView.as_view(), name="healthz"),
    # Browsers report here what the Content-Security-Policy blocked (apps/core/csp.py).
    path("csp-report/", csp_report, name="csp_report"),
    # An index of one sitemap per kind of record (and one of the lists), each paginated.
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("feeds/", include("apps.feeds.urls")),
    path("api/v1/", include("apps.api.urls")),
    path("admin/", admin.site.urls),
]
# The pages people read, in each of settings.LANGUAGES: English at these addresses, Spanish
# under /es/ (README, "Languages"). The machine-readable addresses above (API, feeds,
# sitemaps) and the admin stay in one place, in English.
urlpatterns += i18n_patterns(
    path("", include("apps.home.urls")),
    path("search/", include("apps.search.urls")),
    # Before the kinds' own URLs: /agencies/new/ must not be read as an agency called "new".
    path("", include("apps.editing.urls")),
    path("agencies/", include("apps.agencies.urls")),
    path("vendors/", include("apps.vendors.urls")),
    path("products/", include("apps.vendors.product_urls")),
    path("technologies/", include("apps.technologies.urls")),
    path("deployments/", include("apps.deployments.urls")),
    # The OCDS release of a contract sits under its page, served by the open-data app.
    path(
        "contracts/<str:pk>/ocds.json",
        ContractOcdsView.as_view(),
        name="contract_ocds",
    ),
    path("contracts/", include("apps.contracts.urls")),
    path("ndas/", include("apps.contracts.nda_urls")),
    path("records-requests/", include("apps.records_requests.urls")),
    path("response-deadlines/", include("apps.records_requests.deadline_urls")),
    path("oversight/", include("apps.oversight.urls")),
    path("sources/", include("apps.sources.urls")),
    path("map/", include("apps.maps.urls")),
    path("data/", include("apps.opendata.urls")),
    path("regions/", include("apps.regions.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("submit/", include("apps.tips.urls")),
    prefix_default_language=False,
)
# MEDIA_ROOT is not served at a public address, not even in development: uploaded documents
# go out through sources:document, which checks the source's visibility.
