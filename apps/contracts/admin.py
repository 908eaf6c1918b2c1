from django.contrib import admin

from apps.records.admin import RegistryAdmin

from .models import Contract, Nda


@admin.register(Contract)
class ContractAdmin(RegistryAdmin):
    list_display = ("title", "agency", "vendor", "amount", "currency", "signed_date")
    list_filter = ("procurement_method", "currency", "visibility")
    search_fields = ("title", "identifier", "agency__name", "vendor__name", "summary")
    autocomplete_fields = ("agency", "vendor", "products", "deployments")
    list_select_related = ("agency", "vendor")
    readonly_fields = ("created_at", "updated_at")


@admin.register(Nda)
class NdaAdmin(RegistryAdmin):
    list_display = ("agency", "counterparty_vendor", "counterparty_agency", "signed_date")
    list_filter = ("cited_to_withhold", "visibility")
    search_fields = ("agency__name", "counterparty_vendor__name", "counterparty_agency__name")
    autocomplete_fields = ("agency", "counterparty_vendor", "counterparty_agency")
    list_select_related = ("agency", "counterparty_vendor", "counterparty_agency")
    readonly_fields = ("created_at", "updated_at")
