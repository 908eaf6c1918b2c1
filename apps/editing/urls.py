from django.urls import path, register_converter

from apps.records.registry import editable_kinds, mergeable_kinds

from . import merge_views, views


def kinds_converter(kinds):
    """A path converter that matches only the keys of `kinds`, so that /agencies/<slug>/
    stays a profile and /agencies/new/ is the form."""

    class KindConverter:
        regex = "|".join(sorted((kind.key for kind in kinds), key=len, reverse=True))

        def to_python(self, value):
            return value

        def to_url(self, value):
            return value

    return KindConverter


register_converter(kinds_converter(editable_kinds()), "kind")
register_converter(kinds_converter(mergeable_kinds()), "mergeable_kind")

app_name = "editing"
urlpatterns = [
    path("<kind:kind>/new/", views.RecordFormView.as_view(), name="create"),
    path("<kind:kind>/<str:key>/edit/", views.RecordEditView.as_view(), name="edit"),
    path("<kind:kind>/<str:key>/history/", views.RecordHistoryView.as_view(), name="history"),
    path("<kind:kind>/<str:key>/revert/", views.RevertView.as_view(), name="revert"),
    path("<kind:kind>/<str:key>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("<kind:kind>/<str:key>/restore/", views.RestoreView.as_view(), name="restore"),
    path("<mergeable_kind:kind>/<slug:key>/merge/", merge_views.MergeView.as_view(), name="merge"),
    path("review/", views.ReviewQueueView.as_view(), name="review"),
    path("changes/", views.RecentChangesView.as_view(), name="recent_changes"),
    path("changes/<int:pk>/", views.ChangeDetailView.as_view(), name="change_detail"),
    path("changes/<int:pk>/approve/", views.ApproveView.as_view(), name="approve"),
    path("changes/<int:pk>/reject/", views.RejectView.as_view(), name="reject"),
    path("contributions/", views.MyContributionsView.as_view(), name="my_contributions"),
    path("autocomplete/<str:kind>/", views.AutocompleteView.as_view(), name="autocomplete"),
]
