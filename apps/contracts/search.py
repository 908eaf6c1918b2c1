"""How contracts and NDAs are found in site-wide search (apps/records/search.py)."""

from apps.agencies.search import agency_names
from apps.records.search import Document, SearchSpec


class ContractSearch(SearchSpec):
    related = ("agency", "vendor")
    prefetch = ("agency__aliases",)
    depends_on = ("agency", "vendor")

    def document(self, contract):
        return Document(
            name=contract.title,
            url=contract.get_absolute_url(),
            names=[contract.identifier, *agency_names(contract.agency), contract.vendor.name],
            text=[contract.summary, contract.funding_source],
            country=contract.agency.country,
            region=contract.agency.region,
        )


class NdaSearch(SearchSpec):
    related = ("agency", "counterparty_vendor", "counterparty_agency")
    prefetch = ("agency__aliases",)
    depends_on = ("agency", "counterparty_vendor", "counterparty_agency")

    def document(self, nda):
        return Document(
            name=str(nda),
            url=nda.get_absolute_url(),
            names=[*agency_names(nda.agency), str(nda.counterparty or "")],
            text=[nda.signatory, nda.scope, nda.term],
            country=nda.agency.country,
            region=nda.agency.region,
        )


CONTRACT_SEARCH = ContractSearch()
NDA_SEARCH = NdaSearch()
