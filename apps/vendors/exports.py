"""How vendors and products are exported: one CSV row and one JSON object per record."""

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
    "website",
    "country",
    "parent",
    "aliases",
    "description",
    *SOURCE_LIST_COLUMNS,
]


class _WithSources(RecordExport):
    def json(self, record):
        cells = self.cells(record)
        return {
            **{key: value for key, value in cells.items() if key not in SOURCE_LIST_COLUMNS},
            "sources": [citation_json(citation) for citation in ordered_citations(record)],
        }


class VendorExport(_WithSources):
    columns = COLUMNS

    def prepare(self, queryset):
        return queryset.prefetch_related("aliases", published_citations(queryset.model))

    def cells(self, vendor):
        return {
            "id": vendor.pk,
            "url": self.url(vendor),
            "name": vendor.name,
            "slug": vendor.slug,
            "website": vendor.website,
            "country": vendor.country,
            "parent": vendor.parent.slug if vendor.parent_id else None,
            "aliases": [alias.name for alias in vendor.aliases.all()],
            "description": vendor.description,
            **citation_list_cells(ordered_citations(vendor)),
        }


PRODUCT_COLUMNS = [
    "id",
    "url",
    "name",
    "slug",
    "vendor",
    "technologies",
    "website",
    "description",
    *SOURCE_LIST_COLUMNS,
]


class ProductExport(_WithSources):
    columns = PRODUCT_COLUMNS

    def prepare(self, queryset):
        return queryset.prefetch_related(published_citations(queryset.model))

    def cells(self, product):
        return {
            "id": product.pk,
            "url": self.url(product),
            "name": product.name,
            "slug": product.slug,
            "vendor": product.vendor.slug,
            "technologies": [technology.slug for technology in product.technologies.all()],
            "website": product.website,
            "description": product.description,
            **citation_list_cells(ordered_citations(product)),
        }
