"""A reviewer turns a tip into a new deployment: /deployments/new/?tip=<id> opens the form
filled in with what the tip says, and saving it marks the tip handled with a link to the
record. A tip already handled or dismissed fills nothing in and refuses the save, saying
what became of it. The deployment form and its views stay the editing app's: they only ask
this module for initial values and let it wrap the save.

The form posts back to its own address, query string included, so the tip's number travels
with it without a field of its own."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from apps.accounts.roles import is_reviewer
from apps.agencies.models import Agency
from apps.core.partial_dates import PartialDate
from apps.records.models import ChangeStatus
from apps.records.numbers import record_number
from apps.sources.models import Source
from apps.technologies.models import Technology

from .models import Tip
from .services import tip_mark_handled

TIP_PARAMETER = "tip"
KIND = "deployments"


def _tip_for(kind_slug, request):
    """The tip named in the query string, for a reviewer creating a deployment; otherwise
    None, with a message saying why when a tip was named."""
    raw = request.GET.get(TIP_PARAMETER)
    if raw is None or kind_slug != KIND:
        return None
    if not is_reviewer(request.user):
        messages.warning(
            request,
            gettext("Only reviewers can start a record from a tip: the form starts empty."),
        )
        return None
    number = record_number(raw)
    tip = Tip.objects.select_related("technology").filter(pk=number).first() if number else None
    if tip is None:
        messages.error(
            request,
            gettext("No tip has the number “%(number)s”: the form starts empty.")
            % {"number": raw[:20]},
        )
    return tip


def _agency(tip):
    """The agency the tip names, when exactly one matches (in its region first); else the
    tip's words, which the form matches or explains when it is sent."""
    agencies = Agency.objects.not_withdrawn()
    for region in (tip.region, ""):
        found = list(agencies.matching_name(tip.agency_name, region)[:2])
        if len(found) == 1:
            return found[0]
    return tip.agency_name


def _technology(tip):
    if tip.technology_id:
        return tip.technology
    return Technology.objects.filter(name__iexact=tip.technology_text.strip()).first()


def _start(tip):
    try:
        return PartialDate.parse(tip.when) if tip.when else None
    except ValidationError:
        return None  # "since last spring": the reviewer reads it in the tip


def deployment_initial(tip):
    """What the tip says, as the deployment form's initial values. The sender's words are a
    starting point: the reviewer checks each fact against a source before saving."""
    initial = {
        "agency": _agency(tip),
        "summary": tip.description,
        "edit_summary": gettext("Added from tip #%(number)s from the public") % {"number": tip.pk},
    }
    technology = _technology(tip)
    if technology:
        initial["technology"] = technology.pk
    start = _start(tip)
    if start:
        initial["start"] = start
    if tip.source_url:
        cited = Source.objects.not_withdrawn().filter(url=tip.source_url)
        existing = cited.first()
        if existing:
            initial["sources"] = [existing]
        else:
            initial["new_source_url"] = tip.source_url
    return initial


class TipClosed(Exception):
    """The form names a tip a reviewer already handled or dismissed."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def closed_message(tip):
    """What became of a closed tip, with its note (its links clickable), for the form."""
    # urlize(autoescape=True) escapes the reviewer's words and returns a plain str.
    note = mark_safe(urlize(tip.reviewer_note, autoescape=True))  # noqa: S308 # nosec B308 B703 # urlize escaped it
    handler = tip.handled_by.public_name if tip.handled_by else gettext("a reviewer")
    when = f"{timezone.localtime(tip.handled_at):%Y-%m-%d}" if tip.handled_at else ""
    # Whole sentences, one for each of what is known, so that each reads well translated.
    if when and tip.reviewer_note:
        sentence = gettext("Tip #{number} was already {status} by {handler} on {date}: “{note}”.")
    elif when:
        sentence = gettext("Tip #{number} was already {status} by {handler} on {date}.")
    elif tip.reviewer_note:
        sentence = gettext("Tip #{number} was already {status} by {handler}: “{note}”.")
    else:
        sentence = gettext("Tip #{number} was already {status} by {handler}.")
    return format_html(
        sentence,
        number=tip.pk,
        status=tip.get_status_display().lower(),
        handler=handler,
        date=when,
        note=note,
    )


def initial_from_tip(kind_slug, request):
    """Initial values for a new record's form: the tip's, when a reviewer opened the
    deployment form from an open tip; else none (a closed tip says what became of it)."""
    tip = _tip_for(kind_slug, request)
    if tip is None:
        return {}
    if not tip.is_open:
        messages.warning(
            request,
            format_html(
                gettext(
                    "{closed} The form starts empty: to record another deployment anyway, "
                    "fill it in yourself."
                ),
                closed=closed_message(tip),
            ),
        )
        return {}
    messages.info(
        request,
        gettext(
            "Started from tip #%(number)s. Check every fact against a source before saving; "
            "saving marks the tip handled."
        )
        % {"number": tip.pk},
    )
    return deployment_initial(tip)


def save_record(kind_slug, request, save):
    """Run `save()`, which saves the new record's form and returns its change, and mark the
    tip the form came from handled, noting the record. The tip stays locked from the check
    to the mark, and a closed tip refuses the save (TipClosed), so sending the form twice
    (a double click, the back button) cannot record the tip twice."""
    tip = _tip_for(kind_slug, request)
    if tip is None:
        return save()
    with transaction.atomic():
        # Only the tip's row: PostgreSQL cannot lock the nullable side of the handler's join.
        tip = (
            Tip.objects.select_for_update(of=("self",)).select_related("handled_by").get(pk=tip.pk)
        )
        if not tip.is_open:
            raise TipClosed(
                format_html(
                    gettext(
                        "{closed} Nothing was saved, so it is not recorded twice. To record "
                        'another deployment anyway, start from <a href="{url}">an empty form</a>.'
                    ),
                    closed=closed_message(tip),
                    url=request.path,
                )
            )
        change = save()
        record = change.record
        if change.status != ChangeStatus.APPROVED or record is None or record.pk is None:
            return change
        tip_mark_handled(
            tip_id=tip.pk,
            reviewer=request.user,
            note=(
                f"Recorded as deployment #{record.pk}: "
                f"{request.build_absolute_uri(record.get_absolute_url())}"
            ),
        )
    messages.success(request, gettext("Tip #%(number)s marked handled.") % {"number": tip.pk})
    return change
