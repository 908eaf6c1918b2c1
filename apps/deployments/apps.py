from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeploymentsConfig(AppConfig):
    name = "apps.deployments"
    label = "deployments"

    def ready(self):
        from apps.records.registry import Kind, register

        register(
            Kind(
                key="deployments",
                search="apps.deployments.search.DEPLOYMENT_SEARCH",
                model=self.get_model("Deployment"),
                a_noun=_("a deployment"),
                position=10,
                form="apps.deployments.forms.DeploymentForm",
                filterset="apps.deployments.filters.DeploymentFilter",
                list_selector="apps.deployments.selectors.deployment_list",
                detail_selector="apps.deployments.selectors.deployment_detail",
                export="apps.deployments.exports.DeploymentExport",
                importer="apps.importing.kinds.deployments.DeploymentImporter",
                name_relations=("agency", "technology", "product", "vendor"),
            )
        )
