"""How deployments are found in site-wide search (apps/records/search.py): by the names of
the agency, technology, vendor and product they join, and their summary."""

from apps.agencies.search import agency_names
from apps.records.search import Document, SearchSpec


class DeploymentSearch(SearchSpec):
    related = ("agency", "technology", "vendor", "product")
    prefetch = ("agency__aliases",)
    depends_on = ("agency", "technology", "vendor", "product")

    def document(self, deployment):
        agency = deployment.agency
        return Document(
            name=str(deployment),
            url=deployment.get_absolute_url(),
            names=[
                *agency_names(agency),
                deployment.technology.name,
                deployment.vendor.name if deployment.vendor else "",
                deployment.product.name if deployment.product else "",
            ],
            text=[deployment.summary, agency.locality, deployment.get_status_display()],
            country=agency.country,
            region=agency.region,
        )


DEPLOYMENT_SEARCH = DeploymentSearch()
