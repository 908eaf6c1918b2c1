from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "apps.oversight"
    label = "oversight"
    verbose_name = "Oversight events"

    def ready(self):
        from apps.records.registry import Kind, register

        register(
            Kind(
                key="oversight",
                search="apps.oversight.search.OVERSIGHT_EVENT_SEARCH",
                model=self.get_model("OversightEvent"),
                a_noun=_("an oversight event"),
                position=67,
                form="apps.oversight.forms.OversightEventForm",
                filterset="apps.oversight.filters.OversightEventFilter",
                list_selector="apps.oversight.selectors.oversight_list",
                detail_selector="apps.oversight.selectors.oversight_detail",
                export="apps.oversight.exports.OversightEventExport",
                importer="apps.importing.kinds.oversight.OversightEventImporter",
                name_relations=("agency",),
            )
        )
