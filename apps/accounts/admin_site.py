"""The Django admin's site: staff whose session has not passed the two-factor step are
treated as if they were not staff (django_otp.admin.OTPAdminSite's rule). The site-wide
middleware (apps/accounts/middleware.py) already sends such a session to the code step;
this keeps the admin closed should a page ever be left out of it.

INSTALLED_APPS names `TwoFactorAdminConfig` in place of "django.contrib.admin" (Django's
documented way to replace the default site). It lives here, not in apps.py, where a second
AppConfig would stop Django from picking the accounts app's own config by itself."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class TwoFactorAdminSite(AdminSite):
    def has_permission(self, request):
        # Imported here: this module is loaded with the app registry, before any model.
        from .two_factor import session_is_verified

        return super().has_permission(request) and session_is_verified(request)


class TwoFactorAdminConfig(AdminConfig):
    default_site = "apps.accounts.admin_site.TwoFactorAdminSite"
