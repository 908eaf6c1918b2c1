from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "apps.sources"
    label = "sources"

    def ready(self):
        from apps.records.registry import Kind, register

        register(
            Kind(
                key="sources",
                search="apps.sources.search.SOURCE_SEARCH",
                model=self.get_model("Source"),
                a_noun=_("a source"),
                position=70,
                form="apps.sources.forms.SourceForm",
                filterset="apps.sources.filters.SourceFilter",
                list_selector="apps.sources.selectors.source_list",
                detail_selector="apps.sources.selectors.source_detail",
                export="apps.sources.exports.SourceExport",
                evidence=True,
                search_fields=("title", "url"),
                suggestion="apps.sources.selectors.source_suggestion",
            )
        )
