"""A reviewer turns a tip into a new deployment: /deployments/new/?tip=<id> opens the form
filled in with what the tip says, and saving it marks the tip handled with a link to the
record. The deployment form and its views stay the editing app's: they only ask this module
for initial values and tell it when a record was saved.

The form posts back to its own address, query string included, so the tip's number travels
with it without a field of its own."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from apps.accounts.roles import is_reviewer
from apps.agencies.models import Agency
from apps.core.partial_dates import PartialDate
from apps.editing.fields import record_number
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
            request, "Only reviewers can start a record from a tip: the form starts empty."
        )
        return None
    number = record_number(raw)
    tip = Tip.objects.select_related("technology").filter(pk=number).first() if number else None
    if tip is None:
        messages.error(request, f"No tip has the number “{raw[:20]}”: the form starts empty.")
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
        "edit_summary": f"Added from tip #{tip.pk} from the public",
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


def initial_from_tip(kind_slug, request):
    """Initial values for a new record's form: the tip's, when a reviewer opened the
    deployment form from one; else none."""
    tip = _tip_for(kind_slug, request)
    if tip is None:
        return {}
    messages.info(
        request,
        f"Started from tip #{tip.pk}. Check every fact against a source before saving; "
        f"saving marks the tip handled.",
    )
    return deployment_initial(tip)


def record_saved(kind_slug, request, record):
    """After the form opened from a tip saved its record: mark the tip handled, noting the
    record, so the queue no longer shows it."""
    tip = _tip_for(kind_slug, request)
    if tip is None or record is None or record.pk is None:
        return
    tip, changed = tip_mark_handled(
        tip_id=tip.pk,
        reviewer=request.user,
        note=f"Recorded as deployment #{record.pk}: {record.get_absolute_url()}",
    )
    if changed:
        messages.success(request, f"Tip #{tip.pk} marked handled.")
