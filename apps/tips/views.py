"""The public tip form (`/submit/`) and the reviewers' actions on tips."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from apps.accounts.roles import ReviewerRequiredMixin
from apps.core.client_ip import client_ip
from apps.core.redirects import redirect_to_next

from .forms import HONEYPOT_FIELD, TipCloseForm, TipForm
from .models import Tip
from .selectors import open_tips
from .services import tip_create, tip_dismiss, tip_mark_handled

# A tip at its longest (5,000 characters of description, every field full, every character
# percent-encoded from 4-byte UTF-8) is under 90 KB; anything bigger is not a tip.
TIP_MAX_BODY_BYTES = 128 * 1024
RATE_LIMIT_GROUP = "tips.submit"
# Where a reviewer goes after closing a tip when the form names no page of ours to go back to.
REVIEW_QUEUE = "editing:review"
# A rate per one unit of time, and per several ("5/2h"), in words; whole sentences so each
# language says them its own way.
_PER_ONE = {
    "s": _("%(count)s per second"),
    "m": _("%(count)s per minute"),
    "h": _("%(count)s per hour"),
    "d": _("%(count)s per day"),
}
_PER_SEVERAL = {
    "s": _("%(count)s per %(number)s seconds"),
    "m": _("%(count)s per %(number)s minutes"),
    "h": _("%(count)s per %(number)s hours"),
    "d": _("%(count)s per %(number)s days"),
}


def _tip_rate(group, request):
    # Read per request, so TIP_RATE can be changed (and overridden in tests) without a restart.
    return settings.TIP_RATE


def _rate_in_words(rate):
    """ "5/h" → "5 per hour"; anything unusual is shown as it is."""
    count, _slash, period = rate.partition("/")
    unit = period[-1:] if period else ""
    if unit not in _PER_ONE:
        return rate
    number = period[:-1]
    if number in ("", "1"):
        return str(_PER_ONE[unit]) % {"count": count}
    return str(_PER_SEVERAL[unit]) % {"count": count, "number": number}


def rate_limited(request, exception):
    """RATELIMIT_VIEW: the page shown with HTTP 429 when a client sends too many tips."""
    response = render(
        request,
        "tips/refused.html",
        {
            "title": gettext("Too many tips"),
            "message": gettext("Too many tips from your connection; try again later."),
            "detail": gettext(
                "To keep the queue free of spam, one connection may send %(rate)s. Nothing "
                "from your last attempt was saved: copy your text somewhere safe if you still "
                "need it."
            )
            % {"rate": _rate_in_words(settings.TIP_RATE)},
        },
        status=429,
    )
    retry_after = getattr(request, "tip_retry_after", None)
    if retry_after and retry_after > 0:
        response["Retry-After"] = str(retry_after)
    return response


def _tip_usage(request, *, increment):
    """This connection's tips in the current window (django-ratelimit's counter)."""
    return get_usage(
        request,
        group=RATE_LIMIT_GROUP,
        key="ip",
        rate=_tip_rate,
        method="POST",
        increment=increment,
    )


def _refuse_over_limit(request, usage):
    request.tip_retry_after = usage["time_left"]
    return rate_limited(request, Ratelimited())


def _too_large(request):
    return render(
        request,
        "tips/refused.html",
        {
            "title": gettext("Tip too large"),
            "message": gettext(
                "This tip is far larger than the form allows, so it was not accepted."
            ),
            "detail": gettext(
                "Go back, shorten the description, and send a link to long documents "
                "instead of pasting them."
            ),
        },
        status=413,
    )


class TipSubmitView(View):
    """Anyone may send a tip: rate-limited per connection, with a honeypot and size limits."""

    template_name = "tips/tip_form.html"
    http_method_names = ["get", "post"]

    def render_form(self, form, *, status=200, refused=False):
        context = {"form": form, "title": gettext("Send a tip"), "refused": refused}
        context["honeypot"] = form[HONEYPOT_FIELD]
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_form(TipForm())

    def post(self, request):
        # The allowance counts tips accepted, not attempts: a person whose form came back
        # with an error keeps theirs. Someone already at the limit is told before anything
        # else is read, so they do not correct a form that could not be sent anyway.
        usage = _tip_usage(request, increment=False)
        if usage and usage["count"] >= usage["limit"]:
            return _refuse_over_limit(request, usage)
        try:
            content_length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            content_length = 0
        if content_length > TIP_MAX_BODY_BYTES:
            return _too_large(request)

        form = TipForm(request.POST)
        if form.honeypot_filled():
            # A robot's submission counts: spam is what the limit is for. Refused without
            # saying why to a robot; a person keeps what they typed.
            _tip_usage(request, increment=True)
            data = request.POST.copy()
            data[HONEYPOT_FIELD] = ""
            return self.render_form(TipForm(data), status=400, refused=True)
        if not form.is_valid():
            return self.render_form(form)
        # Counted atomically in the cache: of simultaneous last tips, only one gets through.
        usage = _tip_usage(request, increment=True)
        if usage and usage["should_limit"]:
            return _refuse_over_limit(request, usage)
        tip_create(
            data=form.tip_data(),
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        return redirect("tips:thanks")


class TipThanksView(TemplateView):
    template_name = "tips/thanks.html"
    extra_context = {"title": _("Thank you for your tip")}


class TipQueueView(ReviewerRequiredMixin, TemplateView):
    """Open tips for reviewers (the review queue at /review/ includes the same section)."""

    template_name = "tips/tip_queue.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=gettext("Tips from the public"), tips=open_tips(), **kwargs
        )


class TipCloseView(ReviewerRequiredMixin, View):
    """POST only: mark a tip handled or dismiss it, with an optional note, then go back to the
    page the button was on (the review queue by default)."""

    http_method_names = ["post"]
    service = None
    done_message = ""  # a sentence with %(number)s, the tip's number

    def post(self, request, pk):
        tip = get_object_or_404(Tip, pk=pk)
        form = TipCloseForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("note", []):
                messages.error(
                    request,
                    gettext("Tip #%(number)s was not changed: %(error)s")
                    % {"number": tip.pk, "error": error},
                )
            return redirect_to_next(request, REVIEW_QUEUE)
        tip, changed = type(self).service(
            tip_id=tip.pk, reviewer=request.user, note=form.cleaned_data["note"]
        )
        if changed:
            messages.success(request, str(self.done_message) % {"number": tip.pk})
        else:
            messages.info(
                request,
                gettext("Tip #%(number)s was already %(status)s.")
                % {"number": tip.pk, "status": tip.get_status_display().lower()},
            )
        return redirect_to_next(request, REVIEW_QUEUE)


class TipHandleView(TipCloseView):
    service = staticmethod(tip_mark_handled)
    done_message = _("Tip #%(number)s marked handled.")


class TipDismissView(TipCloseView):
    service = staticmethod(tip_dismiss)
    done_message = _("Tip #%(number)s dismissed.")
