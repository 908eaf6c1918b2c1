from django.contrib import admin

from apps.records.admin import RegistryAdmin

from .models import Source


@admin.register(Source)
class SourceAdmin(RegistryAdmin):
    list_display = ("title", "publisher", "publication_date", "kind", "visibility")
    list_filter = ("kind", "visibility", "document_text_status", "publication_date_precision")
    search_fields = ("title", "url", "publisher", "notes")
    date_hierarchy = "publication_date"
