"""How technologies (the taxonomy) are exported: one CSV row and one JSON object each, so
that the `technology` slugs of deployments.csv and products.csv resolve in the download."""

from apps.core.exports import RecordExport

COLUMNS = ["id", "url", "name", "slug", "description", "deployment_count", "agency_count"]


class TechnologyExport(RecordExport):
    columns = COLUMNS

    def cells(self, technology):
        return {
            "id": technology.pk,
            "url": self.url(technology),
            "name": technology.name,
            "slug": technology.slug,
            "description": technology.description,
            # The list selector's counts: published deployments, and the agencies using them.
            "deployment_count": technology.deployment_count,
            "agency_count": technology.agency_count,
        }

    def json(self, technology):
        return self.cells(technology)
