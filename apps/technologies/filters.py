from apps.core.filters import RegistryFilterSet, SearchFilter

from .models import Technology


class TechnologyFilter(RegistryFilterSet):
    """?q=<words>&sort=-deployments"""

    q = SearchFilter(
        fields=("name", "description"), help_text="Words in the name or the description."
    )

    sort_options = {
        "name": ("Name A–Z", "name"),
        "-deployments": ("Most deployments", "deployment_count", "-name"),
        "-agencies": ("Most agencies", "agency_count", "-name"),
    }
    default_sort = "name"

    class Meta:
        model = Technology
        fields = []
