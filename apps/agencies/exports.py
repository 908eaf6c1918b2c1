"""How agencies are exported: one CSV row and one JSON object per agency."""

from apps.core.exports import (
    SOURCE_LIST_COLUMNS,
    RecordExport,
    citation_json,
    citation_list_cells,
    ordered_citations,
)
from apps.sources.models import published_citations

COLUMNS = [
    "id",
    "url",
    "name",
    "slug",
    "kind",
    "jurisdiction_level",
    "country",
    "region",
    "locality",
    "latitude",
    "longitude",
    "website",
    "ori",
    "ocd_division_id",
    "parent",
    "aliases",
    *SOURCE_LIST_COLUMNS,
]


class AgencyExport(RecordExport):
    columns = COLUMNS

    def prepare(self, queryset):
        return queryset.prefetch_related("aliases", published_citations(queryset.model))

    def cells(self, agency):
        return {
            "id": agency.pk,
            "url": self.url(agency),
            "name": agency.name,
            "slug": agency.slug,
            "kind": agency.kind,
            "jurisdiction_level": agency.jurisdiction_level,
            "country": agency.country,
            "region": agency.region,
            "locality": agency.locality,
            "latitude": agency.latitude,
            "longitude": agency.longitude,
            "website": agency.website,
            "ori": agency.ori,
            "ocd_division_id": agency.ocd_division_id,
            "parent": agency.parent.slug if agency.parent_id else None,
            "aliases": [alias.name for alias in agency.aliases.all()],
            **citation_list_cells(ordered_citations(agency)),
        }

    def json(self, agency):
        cells = self.cells(agency)
        return {
            **{key: value for key, value in cells.items() if key not in SOURCE_LIST_COLUMNS},
            "sources": [citation_json(citation) for citation in ordered_citations(agency)],
        }
