from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "apps.contracts"
    label = "contracts"

    def ready(self):
        from apps.records.registry import Kind, register

        register(
            Kind(
                key="contracts",
                search="apps.contracts.search.CONTRACT_SEARCH",
                model=self.get_model("Contract"),
                a_noun=_("a contract"),
                position=50,
                form="apps.contracts.forms.ContractForm",
                filterset="apps.contracts.filters.ContractFilter",
                list_selector="apps.contracts.selectors.contract_list",
                detail_selector="apps.contracts.selectors.contract_detail",
                export="apps.contracts.exports.ContractExport",
                importer="apps.importing.kinds.contracts.ContractImporter",
            )
        )
        register(
            Kind(
                key="ndas",
                search="apps.contracts.search.NDA_SEARCH",
                model=self.get_model("Nda"),
                a_noun=_("an NDA"),
                position=60,
                form="apps.contracts.forms.NdaForm",
                filterset="apps.contracts.filters.NdaFilter",
                list_selector="apps.contracts.selectors.nda_list",
                detail_selector="apps.contracts.selectors.nda_detail",
                export="apps.contracts.exports.NdaExport",
                importer="apps.importing.kinds.contracts.NdaImporter",
                name_relations=("agency", "counterparty_vendor", "counterparty_agency"),
            )
        )
