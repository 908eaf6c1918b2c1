from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from apps.core import redirects

from . import two_factor_views, views

app_name = "accounts"

urlpatterns = [
    # Django's auth views default to registration/…; this site's templates live in accounts/.
    path("login/", views.LoginView.as_view(), name="login"),
    # Django 5 accepts only POST here: sign out with a form button, not a link.
    path("logout/", redirects.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change_form.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    # Two-factor sign-in (apps/accounts/two_factor.py).
    path("two-factor/", two_factor_views.ManageView.as_view(), name="two_factor"),
    path("two-factor/verify/", two_factor_views.VerifyView.as_view(), name="two_factor_verify"),
    path("two-factor/setup/", two_factor_views.SetupView.as_view(), name="two_factor_setup"),
    path(
        "two-factor/recovery-codes/",
        two_factor_views.RecoveryCodesView.as_view(),
        name="two_factor_recovery_codes",
    ),
    path(
        "two-factor/authenticators/<int:pk>/remove/",
        two_factor_views.RemoveAuthenticatorView.as_view(),
        name="two_factor_remove",
    ),
    path("invitations/", views.InvitationListView.as_view(), name="invitations"),
    path(
        "invitations/<int:pk>/revoke/",
        views.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    # Comes before the emailed link's pattern, which would also match an id.
    path(
        "invitation/<int:pk>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept_form",
    ),
    path("invitation/", views.InvitationFormOutdatedView.as_view(), name="invitation_outdated"),
    path(
        "invitation/<str:token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
