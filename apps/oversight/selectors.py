from dataclasses import dataclass, field

from apps.core.selectors import filter_list
from apps.core.timeline import date_order

from .filters import OversightEventFilter
from .models import OversightEvent


def oversight_list(*, params):
    return filter_list(
        filterset_class=OversightEventFilter,
        params=params,
        queryset=OversightEvent.objects.published().with_related(),
    )


def oversight_detail(*, pk):
    event = OversightEvent.objects.published().with_related().get(pk=pk)
    deployments = list(
        event.deployments.published().select_related("agency", "technology").order_by("pk")
    )
    contracts = list(event.contracts.published().select_related("agency", "vendor").order_by("pk"))
    return {"event": event, "deployments": deployments, "contracts": contracts}


def chronological(events):
    """Oldest first by date_order (apps/core/timeline.py): "2019" before "5 March 2019",
    undated events last, ties in the order they were recorded."""
    return sorted(events, key=lambda event: (date_order(event.date), event.pk))


@dataclass
class DeploymentProcess:
    """The public process of one deployment, as its page tells it.

    - `events`: every published event that concerns it, oldest first (findings included);
    - `findings`: those that are "no public process found" findings;
    - `researched`: False when there is no event at all ("not yet researched");
    - `only_after_start`: the events other than findings all certainly came after the
      deployment started: each is dated, and its earliest possible day is after the last
      possible day of the start ("2019" is not after "March 2019"). False when the start or
      any event's date is unknown, or there is no such event, since nobody can say."""

    deployment: object
    events: list = field(default_factory=list)

    @property
    def findings(self):
        return [event for event in self.events if event.is_finding]

    @property
    def process_events(self):
        return [event for event in self.events if not event.is_finding]

    @property
    def researched(self):
        return bool(self.events)

    @property
    def only_after_start(self):
        start, events = self.deployment.start, self.process_events
        if start is None or not events:
            return False
        return all(event.date and event.date.date > start.last_day for event in events)


def deployment_process(deployment):
    """The published oversight events concerning `deployment` (a published one), in two
    queries: the events with their agencies, and their published sources."""
    events = OversightEvent.objects.published().with_related().filter(deployments=deployment)
    return DeploymentProcess(deployment=deployment, events=chronological(events))
