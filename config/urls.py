from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("apps.core.urls")),
    # Before the kinds' own URLs: /agencies/new/ must not be read as an agency called "new".
    path("", include("apps.editing.urls")),
    path("agencies/", include("apps.agencies.urls")),
    path("vendors/", include("apps.vendors.urls")),
    path("products/", include("apps.vendors.product_urls")),
    path("technologies/", include("apps.technologies.urls")),
    path("deployments/", include("apps.deployments.urls")),
    path("contracts/", include("apps.contracts.urls")),
    path("ndas/", include("apps.contracts.nda_urls")),
    path("sources/", include("apps.sources.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("submit/", include("apps.tips.urls")),
    path("admin/", admin.site.urls),
]
# MEDIA_ROOT is not served at a public address, not even in development: uploaded documents
# go out through sources:document, which checks the source's visibility.
