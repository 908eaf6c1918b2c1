from apps.core.views import ExportView, FilteredListView, RecordDetailView

from . import csv_format
from .exports import deployment_json
from .selectors import deployment_detail, deployment_list


class DeploymentListView(FilteredListView):
    template_name = "deployments/deployment_list.html"
    selector = deployment_list
    export_url_name = "deployments:export"
    title = "Deployments"


class DeploymentExportView(ExportView):
    selector = deployment_list
    filename = "deployments"
    csv_columns = csv_format.COLUMNS

    def csv_rows(self, queryset):
        return csv_format.rows(queryset)

    def json_record(self, record):
        return deployment_json(record)


class DeploymentDetailView(RecordDetailView):
    template_name = "deployments/deployment_detail.html"
    loader = deployment_detail
