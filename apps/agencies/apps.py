from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "apps.agencies"
    label = "agencies"

    def ready(self):
        from apps.records.registry import Kind, register

        register(
            Kind(
                key="agencies",
                search="apps.agencies.search.AGENCY_SEARCH",
                model=self.get_model("Agency"),
                a_noun=_("an agency"),
                position=20,
                lookup="slug",
                form="apps.agencies.forms.AgencyForm",
                filterset="apps.agencies.filters.AgencyFilter",
                list_selector="apps.agencies.selectors.agency_list",
                detail_selector="apps.agencies.selectors.agency_profile",
                export="apps.agencies.exports.AgencyExport",
                merge_rules="apps.agencies.merging.AGENCY_MERGE_RULES",
                search_fields=("name", "aliases__name"),
            )
        )
