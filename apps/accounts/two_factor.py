"""Two-factor sign-in with django-otp: an authenticator app (a TOTP device) and ten
single-use recovery codes (a static device with its tokens).

The rule: reviewers and admins (`roles.is_reviewer`) must pass the code step; a volunteer who
has set up an authenticator must too. Until then a signed-in session is half signed in:
`middleware.TwoFactorRequiredMiddleware` sends it to the code step (or, for a reviewer
without an authenticator, to set one up) from every page but those steps and sign-out.
Passing the step is `django_otp.login()`, which keeps the device's id in the session; the
OTPMiddleware reads it back as `request.user.is_verified()`.

Wrong codes are throttled by the devices themselves (django-otp's ThrottlingMixin: after n
successive failures the device refuses every code for 2^(n-1) seconds times
OTP_TOTP_THROTTLE_FACTOR / OTP_STATIC_THROTTLE_FACTOR)."""

import math
import re
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import user_has_device, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import is_reviewer

RECOVERY_CODE_COUNT = 10
# Set at sign-in (accounts.signals): the account had a confirmed device then, so the session
# must pass the code step whatever the account's role.
DEVICE_AT_SIGN_IN_SESSION_KEY = "two_factor_device_at_sign_in"
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"

_AUTHENTICATOR_CODE = re.compile(r"\d{6}")


def two_factor_required(user):
    """Whether the account's role requires two-factor sign-in: reviewers and admins."""
    return is_reviewer(user)


def authenticators(user, confirmed=True):
    return TOTPDevice.objects.devices_for_user(user, confirmed=confirmed).order_by("pk")


def has_authenticator(user):
    return authenticators(user).exists()


def has_confirmed_device(user):
    return user_has_device(user, confirmed=True)


def session_is_verified(request):
    """Whether this session passed the code step (OTPMiddleware's `is_verified()`; a user
    that `auth.login()` has just put on the request has no such method and has not)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def needs_code_step(request):
    """A signed-in session that has not passed the code step but must: its account's role
    requires it, or the account had a device when the session signed in."""
    user = request.user
    if not user.is_authenticated or session_is_verified(request):
        return False
    return bool(request.session.get(DEVICE_AT_SIGN_IN_SESSION_KEY)) or two_factor_required(user)


def note_devices_at_sign_in(sender, request, user, **kwargs):
    """user_logged_in: whether the account has a device decides, for this session, whether a
    volunteer must pass the code step (every way of signing in: the form, a password reset,
    an accepted invitation)."""
    if request is not None and hasattr(request, "session"):
        request.session[DEVICE_AT_SIGN_IN_SESSION_KEY] = has_confirmed_device(user)


def url_with_next(url_name, next_url):
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url}, safe='/')}" if next_url else url


def code_step_url(user, next_url=""):
    """Where a half signed-in session goes: the code step, or setting up an authenticator
    when the account has no device yet."""
    if has_confirmed_device(user):
        return url_with_next("accounts:two_factor_verify", next_url)
    return url_with_next("accounts:two_factor_setup", next_url)


# ---------------------------------------------------------------- checking a code


class CodeRefused(Exception):
    """The code was not accepted; the message says why, for the form."""


def normalize_code(code):
    """What the person typed, without the spaces or hyphens an app or a printout adds."""
    return re.sub(r"[\s-]", "", code or "").lower()


def _wait_message(locked_until):
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    if seconds < 120:
        wait = ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    else:
        minutes = math.ceil(seconds / 60)
        wait = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return _("Too many wrong codes. For your safety, wait %(wait)s before trying again.") % {
        "wait": wait
    }


def check_code(user, code, devices):
    """The device among `devices` (the user's) that accepts `code`, which it then no longer
    accepts (a recovery code is used up; an authenticator code cannot be replayed). Raises
    CodeRefused with the reason: a wrong code, or every device throttled after wrong codes."""
    code = normalize_code(code)
    if not code:
        raise CodeRefused(_("Enter the code."))
    devices = list(devices)
    allowed = []
    waits = []
    for device in devices:
        ok, details = device.verify_is_allowed()
        if ok:
            allowed.append(device)
        elif details and details.get("locked_until"):
            waits.append(details["locked_until"])
    if devices and not allowed:
        raise CodeRefused(_wait_message(min(waits)) if waits else _("This code can't be used now."))
    for device in allowed:
        # verify_token: the device row locked while it checks, so a code counts once.
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    raise CodeRefused(
        _("That code is not right. Check the code in your authenticator app and try again.")
    )


def sign_in_devices(user, code):
    """The devices that may accept `code` at the code step: the authenticators for six
    digits, the recovery codes for anything else."""
    if _AUTHENTICATOR_CODE.fullmatch(normalize_code(code)):
        return authenticators(user)
    return StaticDevice.objects.devices_for_user(user, confirmed=True)


# ---------------------------------------------------------------- setting up


def pending_authenticator(user):
    """The authenticator being set up (unconfirmed), made if there is none: the same secret
    however often the set-up page is shown, until it is confirmed with a code."""
    device = authenticators(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm_authenticator(device):
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # Abandoned set-ups (another browser, an earlier secret) are dropped.
    authenticators(device.user, confirmed=False).exclude(pk=device.pk).delete()


def secret_text(device):
    """The secret as an authenticator app asks for it when typed in: base32, in groups of
    four characters."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device):
    """The otpauth:// address as an inline SVG QR code: no image address, no style
    attribute (the Content-Security-Policy allows neither data: images from a script nor
    inline style)."""
    qr = segno.make_qr(device.config_url, error="m")
    return qr.svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title=_("QR code for your authenticator app")
    )


# ---------------------------------------------------------------- recovery codes


def recovery_device(user):
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_codes_left(user):
    device = recovery_device(user)
    return device.token_set.count() if device else 0


@transaction.atomic
def make_recovery_codes(user):
    """Ten new single-use recovery codes; those made before no longer work."""
    device = recovery_device(user)
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    device.throttle_reset()
    return codes


# ---------------------------------------------------------------- removing


class RemovalRefused(Exception):
    pass


@transaction.atomic
def remove_authenticator(device):
    """Removes an authenticator. The last one of an account whose role requires two factors
    stays (RemovalRefused); a volunteer's last one takes the recovery codes with it, which
    turns two-factor sign-in off."""
    user = device.user
    # One removal at a time per account: two at once could each leave the other device last.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    others = authenticators(user).exclude(pk=device.pk)
    if device.confirmed and not others.exists():
        if two_factor_required(user):
            raise RemovalRefused(
                _(
                    "Reviewers and admins must keep an authenticator app. Add another one "
                    "before you remove this one."
                )
            )
        StaticDevice.objects.filter(user=user).delete()
    device.delete()
