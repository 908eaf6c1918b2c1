from django.urls import path, re_path, register_converter

from . import merge_views, views
from .kinds import KINDS


class KindConverter:
    """Only the kinds edited on the site, so that /agencies/<slug>/ stays a profile."""

    regex = "|".join(sorted(KINDS, key=len, reverse=True))

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(KindConverter, "kind")

app_name = "editing"
urlpatterns = [
    path("<kind:kind>/new/", views.RecordFormView.as_view(), name="create"),
    path("<kind:kind>/<str:key>/edit/", views.RecordEditView.as_view(), name="edit"),
    path("<kind:kind>/<str:key>/history/", views.RecordHistoryView.as_view(), name="history"),
    path("<kind:kind>/<str:key>/revert/", views.RevertView.as_view(), name="revert"),
    path("<kind:kind>/<str:key>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("<kind:kind>/<str:key>/restore/", views.RestoreView.as_view(), name="restore"),
    # Only agencies and vendors merge; spelled out so it does not depend on the kinds above.
    re_path(
        r"^(?P<kind>agencies|vendors)/(?P<key>[-\w]+)/merge/$",
        merge_views.MergeView.as_view(),
        name="merge",
    ),
    path("review/", views.ReviewQueueView.as_view(), name="review"),
    path("changes/", views.RecentChangesView.as_view(), name="recent_changes"),
    path("changes/<int:pk>/", views.ChangeDetailView.as_view(), name="change_detail"),
    path("changes/<int:pk>/approve/", views.ApproveView.as_view(), name="approve"),
    path("changes/<int:pk>/reject/", views.RejectView.as_view(), name="reject"),
    path("contributions/", views.MyContributionsView.as_view(), name="my_contributions"),
    path("autocomplete/<str:kind>/", views.AutocompleteView.as_view(), name="autocomplete"),
]
