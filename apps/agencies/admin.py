from django.contrib import admin

from apps.records.admin import RegistryAdmin

from .models import Agency, AgencyAlias


class AgencyAliasInline(admin.TabularInline):
    model = AgencyAlias
    extra = 1


@admin.register(Agency)
class AgencyAdmin(RegistryAdmin):
    list_display = ("name", "kind", "region", "locality", "ori", "visibility")
    list_filter = ("kind", "jurisdiction_level", "country", "region", "visibility")
    search_fields = ("name", "aliases__name", "locality", "ori", "ocd_division_id")
    autocomplete_fields = ("parent",)
    inlines = [AgencyAliasInline]
    readonly_fields = ("created_at", "updated_at")
