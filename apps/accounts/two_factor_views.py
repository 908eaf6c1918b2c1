"""The two-factor pages: the code step after the password, setting up an authenticator app,
the recovery codes (shown once), and the account's two-factor page (apps/accounts/two_factor.py
has the rules). Every page is never cached: the secret and the codes must not outlive it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.redirects import checked_next_url

from . import two_factor
from .forms import TwoFactorCodeForm
from .two_factor import code_step_url, url_with_next

# The recovery codes just made, kept in the session only until the page that shows them once.
NEW_RECOVERY_CODES_SESSION_KEY = "two_factor_new_recovery_codes"


def done_url(request):
    return checked_next_url(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


def mark_verified(request, device):
    """The session passed the code step with `device`: django_otp.login(), in a session
    under a new key (the one the password step made is dropped)."""
    otp_login(request, device)
    request.session.cycle_key()
    request.session[two_factor.DEVICE_AT_SIGN_IN_SESSION_KEY] = True


class TwoFactorPage(LoginRequiredMixin, View):
    """Signed-in pages only, never cached, codes hidden from error reports."""

    @method_decorator(never_cache)
    @method_decorator(sensitive_post_parameters("code"))
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def next_url(self):
        return checked_next_url(self.request)


class EnrolledPage(TwoFactorPage):
    """Pages that change an account's devices: an account that has one must have passed the
    code step in this session (a session signed in before the device was added included)."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            user.is_authenticated
            and not two_factor.session_is_verified(request)
            and two_factor.has_confirmed_device(user)
        ):
            return redirect(code_step_url(user, request.get_full_path()))
        return super().dispatch(request, *args, **kwargs)


class VerifyView(TwoFactorPage):
    """The code step: a code from the authenticator app, or one recovery code."""

    template_name = "accounts/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated:
            if two_factor.session_is_verified(request):
                return HttpResponseRedirect(done_url(request))
            if not two_factor.has_confirmed_device(user):
                if two_factor.two_factor_required(user):
                    return redirect(code_step_url(user, checked_next_url(request)))
                # A volunteer who removed their device in another session.
                request.session.pop(two_factor.DEVICE_AT_SIGN_IN_SESSION_KEY, None)
                return HttpResponseRedirect(done_url(request))
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        user = self.request.user
        return TwoFactorCodeForm(
            data, user=user, devices=lambda code: two_factor.sign_in_devices(user, code)
        )

    def render_form(self, form):
        return render(
            self.request,
            self.template_name,
            {"title": _("Enter your code"), "form": form, "next": self.next_url()},
        )

    def get(self, request):
        return self.render_form(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        mark_verified(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = form.device.token_set.count()
            messages.warning(
                request,
                ngettext(
                    "You signed in with a recovery code, which can't be used again. "
                    "%(count)d code is left; you can make new ones on your account's "
                    "two-factor page.",
                    "You signed in with a recovery code, which can't be used again. "
                    "%(count)d codes are left; you can make new ones on your account's "
                    "two-factor page.",
                    left,
                )
                % {"count": left},
            )
            if two_factor.two_factor_required(request.user) and not (
                two_factor.has_authenticator(request.user)
            ):
                # An admin removed a lost phone: a new authenticator comes first.
                return redirect(url_with_next("accounts:two_factor_setup", done_url(request)))
        return HttpResponseRedirect(done_url(request))


class SetupView(EnrolledPage):
    """Set up an authenticator app: its secret as a QR code and as text, confirmed with a
    code from the app. The first one also makes the recovery codes."""

    template_name = "accounts/two_factor_setup.html"

    def render_form(self, device, form):
        return render(
            self.request,
            self.template_name,
            {
                "title": _("Set up two-factor sign-in"),
                "form": form,
                "next": self.next_url(),
                # segno's SVG: shapes, and our own title (escaped by segno); no user's text.
                "qr_code": mark_safe(two_factor.qr_code_svg(device)),  # nosec B308 B703
                "secret": two_factor.secret_text(device),
                "required": two_factor.two_factor_required(self.request.user),
                "first": not two_factor.has_authenticator(self.request.user),
            },
        )

    def get(self, request):
        device = two_factor.pending_authenticator(request.user)
        return self.render_form(device, TwoFactorCodeForm(user=request.user, devices=[device]))

    def post(self, request):
        device = two_factor.pending_authenticator(request.user)
        form = TwoFactorCodeForm(request.POST, user=request.user, devices=[device])
        if not form.is_valid():
            return self.render_form(device, form)
        two_factor.confirm_authenticator(device)
        mark_verified(request, device)
        if two_factor.recovery_codes_left(request.user) == 0:
            request.session[NEW_RECOVERY_CODES_SESSION_KEY] = two_factor.make_recovery_codes(
                request.user
            )
            return redirect(url_with_next("accounts:two_factor_recovery_codes", self.next_url()))
        messages.success(request, _("Your authenticator app is set up."))
        return HttpResponseRedirect(self.next_url() or reverse("accounts:two_factor"))


class RecoveryCodesView(EnrolledPage):
    """The recovery codes just made, shown once; afterwards how many are left, and a button
    that makes new ones (those before stop working)."""

    template_name = "accounts/two_factor_recovery_codes.html"

    def get(self, request):
        if not two_factor.has_authenticator(request.user):
            return redirect("accounts:two_factor")
        codes = request.session.pop(NEW_RECOVERY_CODES_SESSION_KEY, None)
        return render(
            request,
            self.template_name,
            {
                "title": _("Recovery codes"),
                "codes": codes,
                "codes_left": two_factor.recovery_codes_left(request.user),
                "next": self.next_url(),
                "continue_url": self.next_url() or reverse("accounts:two_factor"),
            },
        )

    def post(self, request):
        if not two_factor.has_authenticator(request.user):
            return redirect("accounts:two_factor")
        request.session[NEW_RECOVERY_CODES_SESSION_KEY] = two_factor.make_recovery_codes(
            request.user
        )
        return redirect(url_with_next("accounts:two_factor_recovery_codes", self.next_url()))


class ManageView(EnrolledPage):
    """The account's two-factor page: its authenticators, the recovery codes left."""

    template_name = "accounts/two_factor.html"

    def get(self, request):
        user = request.user
        return render(
            request,
            self.template_name,
            {
                "title": _("Two-factor sign-in"),
                "authenticators": list(two_factor.authenticators(user)),
                "codes_left": two_factor.recovery_codes_left(user),
                "required": two_factor.two_factor_required(user),
            },
        )


class RemoveAuthenticatorView(EnrolledPage):
    http_method_names = ["post"]

    def post(self, request, pk):
        device = get_object_or_404(TOTPDevice, pk=pk, user=request.user)
        try:
            two_factor.remove_authenticator(device)
        except two_factor.RemovalRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("accounts:two_factor")
        if two_factor.has_confirmed_device(request.user):
            messages.success(request, _("The authenticator app was removed."))
        else:
            request.session.pop(two_factor.DEVICE_AT_SIGN_IN_SESSION_KEY, None)
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            messages.success(
                request,
                _(
                    "Two-factor sign-in is off: the authenticator app and the recovery codes "
                    "were removed."
                ),
            )
        return redirect("accounts:two_factor")
