from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TechnologiesConfig(AppConfig):
    name = "apps.technologies"
    label = "technologies"

    def ready(self):
        from apps.records.registry import Kind, register

        register(
            Kind(
                key="technologies",
                search="apps.technologies.search.TECHNOLOGY_SEARCH",
                model=self.get_model("Technology"),
                a_noun=_("a technology"),
                # After products: the top menu's order (the taxonomy next to what is sold).
                position=45,
                lookup="slug",
                filterset="apps.technologies.filters.TechnologyFilter",
                list_selector="apps.technologies.selectors.technology_list",
                detail_selector="apps.technologies.selectors.technology_detail",
                export="apps.technologies.exports.TechnologyExport",
                search_fields=("name",),
            )
        )
