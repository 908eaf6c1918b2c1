from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsRequestsConfig(AppConfig):
    name = "apps.records_requests"
    label = "records_requests"
    verbose_name = "Records requests"

    def ready(self):
        from apps.records.registry import Kind, register

        from . import signals

        signals.connect()
        register(
            Kind(
                key="records-requests",
                search="apps.records_requests.search.RECORDS_REQUEST_SEARCH",
                model=self.get_model("RecordsRequest"),
                a_noun=_("a records request"),
                position=64,
                form="apps.records_requests.forms.RecordsRequestForm",
                filterset="apps.records_requests.filters.RecordsRequestFilter",
                list_selector="apps.records_requests.selectors.records_request_list",
                detail_selector="apps.records_requests.selectors.records_request_detail",
                export="apps.records_requests.exports.RecordsRequestExport",
                importer="apps.importing.kinds.records_requests.RecordsRequestImporter",
                name_relations=("agency",),
            )
        )
        register(
            Kind(
                key="response-deadlines",
                model=self.get_model("ResponseDeadline"),
                a_noun=_("a response deadline"),
                position=66,
                form="apps.records_requests.forms.ResponseDeadlineForm",
                filterset="apps.records_requests.filters.ResponseDeadlineFilter",
                list_selector="apps.records_requests.selectors.response_deadline_list",
                detail_selector="apps.records_requests.selectors.response_deadline_detail",
                export="apps.records_requests.exports.ResponseDeadlineExport",
                importer="apps.importing.kinds.records_requests.ResponseDeadlineImporter",
                # The top menu stays one row; the records requests list links the deadlines.
                in_menu=False,
            )
        )
