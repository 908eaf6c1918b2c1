from apps.core.views import ExportView, FilteredListView, RecordDetailView

from .exports import DeploymentExport
from .selectors import deployment_detail, deployment_list


class DeploymentListView(FilteredListView):
    template_name = "deployments/deployment_list.html"
    selector = deployment_list
    export_url_name = "deployments:export"
    title = "Deployments"
    noun = "deployment"


class DeploymentExportView(ExportView):
    selector = deployment_list
    filename = "deployments"
    export_class = DeploymentExport


class DeploymentDetailView(RecordDetailView):
    template_name = "deployments/deployment_detail.html"
    loader = deployment_detail
