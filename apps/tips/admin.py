from django.contrib import admin

from .models import Tip


@admin.register(Tip)
class TipAdmin(admin.ModelAdmin):
    # The IP hash and user agent stay off the list and out of search; the change page shows
    # them read-only for spotting floods.
    list_display = (
        "id",
        "created_at",
        "technology_text",
        "technology",
        "agency_name",
        "region",
        "status",
        "handled_by",
    )
    list_display_links = ("id", "technology_text")
    list_filter = ("status", "technology", "created_at")
    search_fields = (
        "technology_text",
        "agency_name",
        "locality",
        "region",
        "description",
        "source_url",
        "contact_email",
    )
    list_select_related = ("technology", "handled_by")
    date_hierarchy = "created_at"
    raw_id_fields = ("handled_by",)
    readonly_fields = ("created_at", "updated_at", "handled_at", "ip_hash", "user_agent")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "technology_text",
                    "technology",
                    "agency_name",
                    "locality",
                    "region",
                    "when",
                    "description",
                    "source_url",
                    "contact_email",
                )
            },
        ),
        ("Review", {"fields": ("status", "handled_by", "handled_at", "reviewer_note")}),
        (
            "Anti-abuse (private)",
            {
                "classes": ("collapse",),
                "fields": ("ip_hash", "user_agent", "created_at", "updated_at"),
            },
        ),
    )
