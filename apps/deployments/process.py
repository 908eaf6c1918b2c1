"""A deployment's public process as conditions on a deployment query (Q objects, usable in a
filter or in a conditional aggregate): the deployment list's `vote` and `public_process`
filters and the agencies' transparency record (apps/agencies/transparency.py) count with
these, so that a figure and the list it links to always agree."""

from django.db.models import Exists, OuterRef, Q

from apps.core.models import YesNoUnknown
from apps.oversight.models import VOTE_KINDS, OversightEvent


def _events():
    return OversightEvent.objects.published().filter(deployments=OuterRef("pk"))


def voted_q():
    """A published council / board vote (or consent-agenda approval, adopted by one vote of
    the body) concerns the deployment."""
    return Q(Exists(_events().filter(kind__in=sorted(VOTE_KINDS))))


def researched_q():
    """Any published oversight event concerns the deployment, a "no public process found"
    finding included; without one its process is "not yet researched", so whether there was
    a vote is unknown."""
    return Q(Exists(_events()))


def vote_condition(answer):
    """The deployments whose answer to "was there a vote?" is `answer` (yes, no, unknown)."""
    if answer == YesNoUnknown.YES:
        return voted_q()
    if answer == YesNoUnknown.NO:
        return researched_q() & ~voted_q()
    return ~researched_q()


def public_process_q():
    """At least one of the three things the public can be told of a deployment: public input
    before acquisition, a written use policy, a council vote."""
    return Q(public_input=YesNoUnknown.YES) | Q(use_policy=YesNoUnknown.YES) | voted_q()
