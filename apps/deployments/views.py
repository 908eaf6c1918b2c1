from django.utils.translation import gettext_lazy as _

from apps.core.views import ExportView, FilteredListView, RecordDetailView
from apps.records.registry import get_kind

from .exports import DeploymentExport
from .selectors import deployment_detail, deployment_list, mark_agreements


class DeploymentListView(FilteredListView):
    template_name = get_kind("deployments").template("list")
    selector = deployment_list
    keyset = True
    export_url_name = "deployments:export"
    title = _("Deployments")
    noun = _("deployment")

    def prepare_rows(self, rows):
        mark_agreements(rows)


class DeploymentExportView(ExportView):
    selector = deployment_list
    filename = "deployments"
    export_class = DeploymentExport


class DeploymentDetailView(RecordDetailView):
    template_name = get_kind("deployments").template("detail")
    loader = deployment_detail
