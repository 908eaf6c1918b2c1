from django.contrib import admin

from apps.records.admin import RegistryAdmin

from .models import RecordsRequest, ResponseDeadline


@admin.register(RecordsRequest)
class RecordsRequestAdmin(RegistryAdmin):
    list_display = ("subject", "agency", "requester", "status", "filed_date", "due_date")
    list_filter = ("status", "visibility")
    search_fields = ("subject", "requester", "agency__name", "exemptions")
    autocomplete_fields = ("agency", "ndas_cited", "released_documents")
    list_select_related = ("agency",)
    readonly_fields = ("due_date", "created_at", "updated_at")


@admin.register(ResponseDeadline)
class ResponseDeadlineAdmin(RegistryAdmin):
    list_display = ("country", "region", "days", "day_kind", "statute")
    list_filter = ("country", "day_kind", "visibility")
    search_fields = ("region", "statute", "notes")
    readonly_fields = ("created_at", "updated_at")
