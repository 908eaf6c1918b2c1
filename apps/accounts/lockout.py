"""Login lockout: django-axes, plus a limit per account across all addresses.

Axes locks a username at one address (an IPv6 /64, see `client_network`) after
AXES_FAILURE_LIMIT failures. That alone lets an attacker who rotates addresses guess without
end, so an account is also locked from everywhere after LOGIN_ACCOUNT_FAILURE_LIMIT failures
from all addresses together within the cool-off period. Axes compares a single failure limit
with the largest count over its lockout parameters, so it cannot give the combination
`["username", "ip_address"]` and `"username"` different limits by configuration; this
handler adds the second limit. The way back for the owner is the emailed password reset,
which clears the account's failures (`accounts.views.PasswordResetConfirmView`).
"""

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.db.models import Sum


def account_failures(request, credentials=None):
    """Failed logins for the username in `request` / `credentials` from every address, within
    the cool-off period."""
    username = get_client_username(request, credentials)
    if not username:
        return 0
    attempts = AccessAttempt.objects.filter(username=username)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        # Axes locks when this reaches the failure limit, both before checking a password
        # and after recording a failure: an account over its own limit counts as locked
        # from every address.
        failures = super().get_failures(request, credentials)
        if account_failures(request, credentials) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def client_str(username, ip_address, user_agent, path_info, request):
    """Who tried, as django-axes's log lines say it (AXES_CLIENT_STR_CALLABLE): nobody in
    particular. Its default names the username and the address, on every sign-in; the
    attempts themselves are kept in the database (AccessAttempt), where lockouts read them."""
    return "a client"
