from django.urls import path, re_path

from . import views

app_name = "response-deadlines"
urlpatterns = [
    path("", views.ResponseDeadlineListView.as_view(), name="list"),
    re_path(
        r"^export\.(?P<fmt>csv|json|jsonl)$",
        views.ResponseDeadlineExportView.as_view(),
        name="export",
    ),
    path("<int:pk>/", views.ResponseDeadlineDetailView.as_view(), name="detail"),
]
