from django.urls import path, re_path

from . import views

app_name = "oversight"
urlpatterns = [
    path("", views.OversightEventListView.as_view(), name="list"),
    re_path(
        r"^export\.(?P<fmt>csv|json|jsonl)$",
        views.OversightEventExportView.as_view(),
        name="export",
    ),
    path("<int:pk>/", views.OversightEventDetailView.as_view(), name="detail"),
]
