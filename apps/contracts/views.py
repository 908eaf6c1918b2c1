from apps.core.views import ExportView, FilteredListView, RecordDetailView

from . import csv_format, nda_csv_format
from .exports import contract_json, nda_json
from .selectors import contract_detail, contract_list, nda_detail, nda_list


class ContractListView(FilteredListView):
    template_name = "contracts/contract_list.html"
    selector = contract_list
    export_url_name = "contracts:export"
    title = "Contracts"


class ContractExportView(ExportView):
    selector = contract_list
    filename = "contracts"
    csv_columns = csv_format.COLUMNS

    def csv_rows(self, queryset):
        return csv_format.rows(queryset)

    def json_record(self, record):
        return contract_json(record)


class ContractDetailView(RecordDetailView):
    template_name = "contracts/contract_detail.html"
    loader = contract_detail


class NdaListView(FilteredListView):
    template_name = "ndas/nda_list.html"
    selector = nda_list
    export_url_name = "ndas:export"
    title = "Non-disclosure agreements"
    noun_plural = "NDAs"


class NdaExportView(ExportView):
    selector = nda_list
    filename = "ndas"
    csv_columns = nda_csv_format.COLUMNS

    def csv_rows(self, queryset):
        return nda_csv_format.rows(queryset)

    def json_record(self, record):
        return nda_json(record)


class NdaDetailView(RecordDetailView):
    template_name = "ndas/nda_detail.html"
    loader = nda_detail
