import datetime
import logging

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext, gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, UpdateView
from django_ratelimit.core import get_usage

from apps.core import redirects

from . import services, two_factor
from .emails import send_invitation
from .forms import AcceptInvitationForm, InvitationForm, ProfileForm
from .models import Invitation
from .roles import ReviewerRequiredMixin, role_name

logger = logging.getLogger(__name__)

# The role names role_name() returns, as the profile page shows them.
ROLE_LABELS = {
    "admin": gettext_lazy("admin"),
    "reviewer": gettext_lazy("reviewer"),
    "volunteer": gettext_lazy("volunteer"),
    "": gettext_lazy("no editing role yet"),
}

# The backend `login()` records for accounts created from an invitation (several are
# configured, the first being django-axes' lockout check).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class LoginView(redirects.LoginView):
    """The password step. A session that must also pass the code step (a reviewer or an
    admin, or anyone with a device) goes on to it, or to setting up an authenticator, with
    the page it was going to as `next`; TwoFactorRequiredMiddleware holds it there."""

    template_name = "accounts/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        if two_factor.needs_code_step(self.request):
            return redirect(two_factor.code_step_url(form.get_user(), response.url))
        return response


class InvitationListView(ReviewerRequiredMixin, FormView):
    """Reviewers invite volunteers, admins invite either; both see every invitation."""

    template_name = "accounts/invitations.html"
    form_class = InvitationForm
    paginate_by = 50

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "inviter": self.request.user}

    def get_context_data(self, **kwargs):
        invitations = Invitation.objects.select_related("invited_by", "accepted_user", "revoked_by")
        page_obj = Paginator(invitations, self.paginate_by).get_page(self.request.GET.get("page"))
        for invitation in page_obj:
            invitation.user_may_revoke = invitation.is_pending and services.can_revoke(
                self.request.user, invitation
            )
        return super().get_context_data(
            title=gettext("Invitations"), page_obj=page_obj, invitations=page_obj, **kwargs
        )

    def form_valid(self, form):
        try:
            invitation, token = services.invitation_create(
                invited_by=self.request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except services.InvitationRefused as refusal:
            form.add_error("email", str(refusal))
            return self.form_invalid(form)
        try:
            send_invitation(self.request, invitation, token)
        except Exception:
            # The link exists only in the email: without it the invitation is useless.
            logger.exception("Could not send the invitation email to %s", invitation.email)
            services.invitation_revoke(invitation=invitation, revoked_by=self.request.user)
            form.add_error(
                None,
                gettext(
                    "The invitation email could not be sent, so no invitation was made. "
                    "Try again later, or tell an admin."
                ),
            )
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("Invitation sent to %(email)s. The link works once and expires on %(date)s.")
            % {"email": invitation.email, "date": f"{invitation.expires_at:%Y-%m-%d}"},
        )
        return redirect("accounts:invitations")


class InvitationRevokeView(ReviewerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        invitation = get_object_or_404(Invitation, pk=pk)
        if not services.can_revoke(request.user, invitation):
            raise PermissionDenied("Only admins can revoke invitations for reviewers.")
        try:
            services.invitation_revoke(invitation=invitation, revoked_by=request.user)
        except services.InvitationRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                gettext("The invitation for %(email)s was revoked; its link no longer works.")
                % {"email": invitation.email},
            )
        return redirect("accounts:invitations")


# Where invitation tokens wait between the emailed link and the form (see below): a dict of
# invitation id -> token, so two links opened in one browser each keep their own.
INVITATION_SESSION_KEY = "_invitation_tokens"


class InvitationLinkMissing(services.InvitationError):
    """The form was opened (or posted) without its invitation's token in the session:
    cookies refused, the session ended, or a form left from before the address named its
    invitation."""

    status = 400
    reason = "missing"


def refuse_invitation(request, error):
    return render(
        request,
        "accounts/invitation_invalid.html",
        {"title": gettext("This invitation can't be used"), "error": error},
        status=error.status,
    )


@method_decorator(never_cache, name="dispatch")
@method_decorator(sensitive_post_parameters("password1", "password2"), name="dispatch")
class InvitationAcceptView(View):
    """The emailed link (`invitation/<token>/`) parks its token in the session under the
    invitation's id and redirects to the token-less form of that invitation
    (`invitation/<id>/`), as Django's password reset does: the token then never sits in the
    address bar or a Referer, and the pages need no `no-referrer` policy (which made
    Chromium send `Origin: null` and fail the CSRF check). The form posts back to the
    address naming its invitation, so a second link opened in another tab cannot change
    which invitation a form accepts."""

    template_name = "accounts/invitation_accept.html"

    def dispatch(self, request, token=None, pk=None):
        if token is not None and request.method == "GET":
            return self.park(token)
        if token is not None:
            # A POST to the emailed link itself (a script) still works.
            self.token = token
        else:
            self.token = request.session.get(INVITATION_SESSION_KEY, {}).get(str(pk))
        if not self.token:
            return self.refuse(
                InvitationLinkMissing(
                    gettext(
                        "Open the link from your invitation email again. This page needs it, "
                        "and your browser must accept cookies from this site."
                    )
                )
            )
        return super().dispatch(request)

    def park(self, token):
        try:
            invitation = services.invitation_for_token(token)
        except services.InvitationError as error:
            if error.invitation is None:
                return self.refuse(error)
            # The form's address explains why the invitation can no longer be used.
            invitation = error.invitation
        tokens = self.request.session.get(INVITATION_SESSION_KEY, {})
        self.request.session[INVITATION_SESSION_KEY] = {**tokens, str(invitation.pk): token}
        return redirect("accounts:invitation_accept_form", pk=invitation.pk)

    def forget_token(self, invitation):
        tokens = self.request.session.get(INVITATION_SESSION_KEY, {})
        self.request.session[INVITATION_SESSION_KEY] = {
            pk: token for pk, token in tokens.items() if pk != str(invitation.pk)
        }

    def refuse(self, error):
        return refuse_invitation(self.request, error)

    def render_form(self, invitation, form):
        return render(
            self.request,
            self.template_name,
            {
                "title": gettext("Accept your invitation"),
                "invitation": invitation,
                "form": form,
            },
        )

    def get(self, request):
        try:
            invitation = services.invitation_for_token(self.token)
        except services.InvitationError as error:
            return self.refuse(error)
        User = get_user_model()
        return self.render_form(invitation, AcceptInvitationForm(instance=User()))

    def post(self, request):
        try:
            invitation = services.invitation_for_token(self.token)
        except services.InvitationError as error:
            return self.refuse(error)
        User = get_user_model()
        form = AcceptInvitationForm(request.POST, instance=User(email=invitation.email))
        if not form.is_valid():
            return self.render_form(invitation, form)
        try:
            user = services.invitation_accept(
                token=self.token,
                username=form.cleaned_data["username"],
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationError as error:
            return self.refuse(error)
        except IntegrityError:
            # Someone took the username between the form's check and the insert.
            form.add_error("username", gettext("A user with that username already exists."))
            return self.render_form(invitation, form)
        self.forget_token(invitation)
        login(request, user, backend=MODEL_BACKEND)
        messages.success(request, gettext("Welcome! Your account is ready and you are signed in."))
        return redirect(resolve_url(settings.LOGIN_REDIRECT_URL))


class InvitationFormOutdatedView(View):
    """The token-less address before forms named their invitation. A form still open there
    cannot say which invitation it was for, so it is refused rather than guessed."""

    def dispatch(self, request):
        return refuse_invitation(
            request,
            InvitationLinkMissing(
                gettext(
                    "This form is out of date and no account was created. Open the link from "
                    "your invitation email again."
                )
            ),
        )


class ProfileView(LoginRequiredMixin, UpdateView):
    template_name = "accounts/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("accounts:profile")

    def get_object(self, queryset=None):
        return self.request.user

    def get_context_data(self, **kwargs):
        user = self.request.user
        role = role_name(user)
        return super().get_context_data(
            title=gettext("Your account"),
            role=role or "no editing role yet",
            role_label=ROLE_LABELS[role],
            two_factor_on=two_factor.has_authenticator(user),
            two_factor_required=two_factor.two_factor_required(user),
            **kwargs,
        )

    def form_valid(self, form):
        messages.success(self.request, gettext("Your display name was saved."))
        return super().form_valid(form)


def _reset_rate_per_address(group, request):
    # Read per request, so the setting can change (and tests override it) without a restart.
    return settings.PASSWORD_RESET_RATE_PER_ADDRESS


def _reset_rate_per_email(group, request):
    return settings.PASSWORD_RESET_RATE_PER_EMAIL


def _reset_email_key(group, request):
    return request.POST.get("email", "").strip().lower()


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, rate-limited per connection (an IPv6 /64 counts as one) and per email
    address: the form cannot flood someone's inbox, nor send links at the pace of a script.
    Every request counts, whether or not an account has the address, so the limit reveals
    nothing about who has an account."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = {"site_name": settings.SITE_NAME}
    limited_template_name = "accounts/password_reset_limited.html"
    rate_limit_group = "accounts.password_reset"

    def post(self, request, *args, **kwargs):
        limits = [("address", "ip", _reset_rate_per_address)]
        if _reset_email_key(None, request):
            limits.append(("email", _reset_email_key, _reset_rate_per_email))
        # Each counter counts this request, even when another one already refuses it.
        usages = [
            get_usage(
                request,
                group=f"{self.rate_limit_group}.{name}",
                key=key,
                rate=rate,
                method="POST",
                increment=True,
            )
            for name, key, rate in limits
        ]
        waits = [usage["time_left"] for usage in usages if usage and usage["should_limit"]]
        if waits:
            return self.refuse(max(waits))
        return super().post(request, *args, **kwargs)

    def refuse(self, retry_after):
        response = render(
            self.request,
            self.limited_template_name,
            {
                "title": gettext("Too many reset requests"),
                "retry_after": datetime.timedelta(seconds=retry_after),
            },
            status=429,
        )
        response["Retry-After"] = str(retry_after)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view, which signs the person in with their new password (the emailed link
    proved they own the account); it also lifts a login lockout for that username, as the
    lockout page promises."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = True
    # Named, because several backends are configured (django-axes' check comes first).
    post_reset_login_backend = MODEL_BACKEND

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=self.user.get_username())
        return response
