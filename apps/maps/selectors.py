"""Reads for the map. The selection is the deployments list's own (its selector and
FilterSet, found through the registry of kinds), so a query string means on the map exactly
what it means on /deployments/; here it is only grouped by agency, in the database."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from apps.agencies.models import Agency
from apps.records.registry import get_kind

# Marker colours (static/css/site.css, .map-colour-0 … 15): one per technology, by its id,
# so that a technology keeps its colour whatever the filters. The taxonomy has 15.
PALETTE_SIZE = 16
SEVERAL = "several"

# What the map and its list show of an agency, read in the grouped queries.
AGENCY_COLUMNS = ("name", "slug", "country", "region", "locality", "latitude", "longitude")
AGENCY_FIELDS = ("agency_id", *(f"agency__{name}" for name in AGENCY_COLUMNS))
TECHNOLOGY_FIELDS = ("technology_id", "technology__name", "technology__slug")


def map_selection(*, params):
    """The published deployments matching `params`, as the deployments list selects them:
    a FilteredList, whose `errors` name any invalid filter."""
    return get_kind("deployments").list_selector_function(params=params)


def _grouped(deployments, *fields):
    """`deployments` counted per distinct `fields`. The list's ordering, joins and prefetches
    for its rows are dropped: an ordering would join the GROUP BY, and there are no rows to
    fetch related records for."""
    return (
        deployments.order_by()
        .select_related(None)
        .prefetch_related(None)
        .values(*fields)
        .annotate(deployments=Count("pk", distinct=True))
    )


@dataclass
class LegendEntry:
    slug: str
    name: str
    colour: str
    deployments: int

    @classmethod
    def from_row(cls, row):
        """From a row of counts grouped by TECHNOLOGY_FIELDS."""
        return cls(
            row["technology__slug"],
            row["technology__name"],
            colour_of(row["technology_id"]),
            row["deployments"],
        )


def colour_of(technology_id):
    return str(technology_id % PALETTE_SIZE)


def legend(deployments):
    """The technologies in the selection, with their marker colour and deployment count."""
    rows = _grouped(deployments, *TECHNOLOGY_FIELDS).order_by("technology__name")
    return [LegendEntry.from_row(row) for row in rows]


@dataclass
class AgencyOnMap:
    """One agency of the selection: its published deployments there, by technology."""

    agency: Agency
    """Built from the grouped row's columns (AGENCY_COLUMNS), not fetched: for its name,
    place and URL."""
    deployments: int = 0
    technologies: list = field(default_factory=list)  # [LegendEntry], by name

    @property
    def on_map(self):
        return self.agency.latitude is not None and self.agency.longitude is not None

    @property
    def colour_key(self):
        """The technology its marker is coloured by, or "several"."""
        return self.technologies[0].slug if len(self.technologies) == 1 else SEVERAL

    @property
    def colour(self):
        return self.technologies[0].colour if len(self.technologies) == 1 else SEVERAL

    @classmethod
    def from_row(cls, row):
        columns = {name: row[f"agency__{name}"] for name in AGENCY_COLUMNS}
        return cls(Agency(pk=row["agency_id"], **columns))


def _add_technologies(agencies, rows):
    """Fills each agency's technologies and total from (agency, technology) count rows."""
    by_pk = {entry.agency.pk: entry for entry in agencies}
    for row in rows:
        entry = by_pk[row["agency_id"]]
        entry.technologies.append(LegendEntry.from_row(row))
        entry.deployments += row["deployments"]
    return agencies


def agencies_on_map(deployments):
    """Every agency of the selection that has coordinates, with its deployments by
    technology: one grouped query, whatever the number of agencies."""
    rows = _grouped(
        deployments.filter(agency__latitude__isnull=False, agency__longitude__isnull=False),
        *AGENCY_FIELDS,
        *TECHNOLOGY_FIELDS,
    ).order_by("agency__name", "agency_id", "technology__name")
    agencies = {}
    for row in rows:
        if row["agency_id"] not in agencies:
            agencies[row["agency_id"]] = AgencyOnMap.from_row(row)
    return _add_technologies(list(agencies.values()), rows)


def agency_rows(deployments):
    """The selection's agencies, one row each with its deployment count, by name: the
    queryset the list under the map pages through."""
    return _grouped(deployments, *AGENCY_FIELDS).order_by("agency__name", "agency_id")


def agencies_of_page(deployments, rows):
    """AgencyOnMap for a page of `agency_rows`, with their technologies: one query."""
    agencies = [AgencyOnMap.from_row(row) for row in rows]
    pairs = _grouped(
        deployments.filter(agency_id__in=[entry.agency.pk for entry in agencies]),
        "agency_id",
        *TECHNOLOGY_FIELDS,
    ).order_by("technology__name")
    return _add_technologies(agencies, pairs)


def unplaced_count(deployments):
    """How many agencies of the selection have no coordinates (and so no marker)."""
    unplaced = Q(agency__latitude__isnull=True) | Q(agency__longitude__isnull=True)
    counts = deployments.order_by().aggregate(
        unplaced=Count("agency", distinct=True, filter=unplaced)
    )
    return counts["unplaced"]
