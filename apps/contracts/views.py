from django.utils.translation import gettext_lazy as _

from apps.core.views import ExportView, FilteredListView, RecordDetailView
from apps.records.registry import get_kind

from .exports import ContractExport, NdaExport
from .selectors import contract_detail, contract_list, nda_detail, nda_list


class ContractListView(FilteredListView):
    template_name = get_kind("contracts").template("list")
    selector = contract_list
    keyset = True
    export_url_name = "contracts:export"
    title = _("Contracts")
    noun = _("contract")


class ContractExportView(ExportView):
    selector = contract_list
    filename = "contracts"
    export_class = ContractExport


class ContractDetailView(RecordDetailView):
    template_name = get_kind("contracts").template("detail")
    loader = contract_detail


class NdaListView(FilteredListView):
    template_name = get_kind("ndas").template("list")
    selector = nda_list
    export_url_name = "ndas:export"
    title = _("Non-disclosure agreements")
    noun = _("NDA")
    noun_plural = _("NDAs")


class NdaExportView(ExportView):
    selector = nda_list
    filename = "ndas"
    export_class = NdaExport


class NdaDetailView(RecordDetailView):
    template_name = get_kind("ndas").template("detail")
    loader = nda_detail
