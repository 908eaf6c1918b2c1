from django.contrib import admin

from apps.records.admin import RegistryAdmin

from .models import OversightEvent


@admin.register(OversightEvent)
class OversightEventAdmin(RegistryAdmin):
    list_display = ("kind", "agency", "occurred_date", "outcome", "public_comment")
    list_filter = ("kind", "outcome", "public_comment", "visibility")
    search_fields = ("agency__name", "summary", "outcome_summary")
    autocomplete_fields = ("agency", "deployments", "contracts")
    list_select_related = ("agency",)
    readonly_fields = ("created_at", "updated_at")
