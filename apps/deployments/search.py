"""How deployments are found in site-wide search (apps/records/search.py): by the names of
the agency, technology, vendor and product they join, and their summary."""

from django.conf import settings
from django.utils.translation import override

from apps.agencies.search import agency_names
from apps.records.search import Document, SearchSpec


class DeploymentSearch(SearchSpec):
    related = ("agency", "technology", "vendor", "product")
    prefetch = ("agency__aliases",)
    depends_on = ("agency", "technology", "vendor", "product")

    def document(self, deployment):
        agency = deployment.agency
        # The status's label in the site's default language (English), whatever the language
        # of the request that saved the record: the index is the same for everyone.
        with override(settings.LANGUAGE_CODE):
            status = deployment.get_status_display()
        return Document(
            name=str(deployment),
            url=deployment.get_absolute_url(),
            names=[
                *agency_names(agency),
                deployment.technology.name,
                deployment.vendor.name if deployment.vendor else "",
                deployment.product.name if deployment.product else "",
            ],
            text=[deployment.summary, agency.locality, status],
            country=agency.country,
            region=agency.region,
        )


DEPLOYMENT_SEARCH = DeploymentSearch()
