from django.utils.translation import gettext_lazy as _

from apps.core.filters import RegistryFilterSet, SearchFilter

from .models import Technology


class TechnologyFilter(RegistryFilterSet):
    """?q=<words>&sort=-deployments"""

    q = SearchFilter(
        fields=("name", "description"), help_text=_("Words in the name or the description.")
    )

    sort_options = {
        "name": (_("Name A–Z"), "name"),
        "-deployments": (_("Most deployments"), "deployment_count", "-name"),
        "-agencies": (_("Most agencies"), "agency_count", "-name"),
    }
    default_sort = "name"

    class Meta:
        model = Technology
        fields = []
