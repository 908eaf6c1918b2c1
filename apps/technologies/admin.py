from django.contrib import admin

from apps.records.admin import RegistryAdmin

from .models import Technology


@admin.register(Technology)
class TechnologyAdmin(RegistryAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
