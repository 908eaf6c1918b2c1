from django.contrib import admin

from apps.records.admin import RegistryAdmin

from .models import Product, Vendor, VendorAlias


class VendorAliasInline(admin.TabularInline):
    model = VendorAlias
    extra = 1


@admin.register(Vendor)
class VendorAdmin(RegistryAdmin):
    list_display = ("name", "country", "parent", "visibility")
    list_filter = ("country", "visibility")
    search_fields = ("name", "aliases__name", "description")
    autocomplete_fields = ("parent",)
    inlines = [VendorAliasInline]
    readonly_fields = ("created_at", "updated_at")


@admin.register(Product)
class ProductAdmin(RegistryAdmin):
    list_display = ("name", "vendor", "visibility")
    list_filter = ("technologies", "visibility")
    search_fields = ("name", "vendor__name", "description")
    autocomplete_fields = ("vendor", "technologies")
    readonly_fields = ("created_at", "updated_at")
