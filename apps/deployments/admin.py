from django.contrib import admin

from apps.records.admin import RegistryAdmin

from .models import Deployment


@admin.register(Deployment)
class DeploymentAdmin(RegistryAdmin):
    list_display = ("agency", "technology", "vendor", "product", "status", "start_date")
    list_filter = ("status", "technology", "public_input", "use_policy", "visibility")
    search_fields = ("agency__name", "vendor__name", "product__name", "summary")
    autocomplete_fields = (
        "agency",
        "technology",
        "vendor",
        "product",
        "use_policy_source",
    )
    list_select_related = ("agency", "technology", "vendor", "product")
    readonly_fields = ("created_at", "updated_at")
