from django.urls import path, re_path

from . import views

app_name = "records-requests"
urlpatterns = [
    path("", views.RecordsRequestListView.as_view(), name="list"),
    re_path(
        r"^export\.(?P<fmt>csv|json|jsonl)$",
        views.RecordsRequestExportView.as_view(),
        name="export",
    ),
    path("<int:pk>/", views.RecordsRequestDetailView.as_view(), name="detail"),
]
