from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from . import services
from .models import Invitation, InvitationStatus, User
from .roles import REVIEWERS, VOLUNTEERS


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Public profile", {"fields": ("display_name",)}))
    list_display = ("username", "display_name", "email", "role", "is_staff", "is_active")
    search_fields = ("username", "display_name", "email")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="role")
    def role(self, obj):
        # From the prefetched groups: roles.role_name() would query once per row.
        groups = {group.name for group in obj.groups.all()}
        if obj.is_staff or obj.is_superuser:
            return "admin"
        if REVIEWERS in groups:
            return "reviewer"
        if VOLUNTEERS in groups:
            return "volunteer"
        return "—"


class InvitationStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return InvitationStatus.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case InvitationStatus.PENDING:
                return queryset.pending(now)
            case InvitationStatus.ACCEPTED:
                return queryset.filter(accepted_at__isnull=False)
            case InvitationStatus.REVOKED:
                return queryset.filter(revoked_at__isnull=False)
            case InvitationStatus.EXPIRED:
                return queryset.filter(
                    accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now
                )
        return queryset


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent from the site's invitations page (it emails the one-time link);
    here they can be read, searched and revoked."""

    list_display = (
        "email",
        "role",
        "status_display",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_user",
    )
    list_filter = (InvitationStatusFilter, "role", "created_at")
    search_fields = ("email", "invited_by__username", "accepted_user__username")
    list_select_related = ("invited_by", "accepted_user")
    date_hierarchy = "created_at"
    readonly_fields = (
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_user",
        "revoked_at",
        "revoked_by",
    )
    exclude = ("token_hash",)
    actions = ["revoke"]

    @admin.display(description="status")
    def status_display(self, obj):
        return obj.get_status_display()

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "title": "Invitations",
            "subtitle": format_html(
                'Send new invitations from the <a href="{}">invitations page</a>.',
                reverse("accounts:invitations"),
            ),
        }
        return super().changelist_view(request, extra_context)

    @admin.action(description="Revoke the selected pending invitations")
    def revoke(self, request, queryset):
        revoked = 0
        for invitation in queryset:
            if invitation.is_pending and services.can_revoke(request.user, invitation):
                services.invitation_revoke(invitation=invitation, revoked_by=request.user)
                revoked += 1
        self.message_user(
            request,
            f"{revoked} invitation(s) revoked; others were not pending.",
            messages.SUCCESS if revoked else messages.WARNING,
        )
