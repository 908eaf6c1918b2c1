from django.urls import path, re_path

from . import views

app_name = "deployments"
urlpatterns = [
    path("", views.DeploymentListView.as_view(), name="list"),
    re_path(
        r"^export\.(?P<fmt>csv|json|jsonl)$", views.DeploymentExportView.as_view(), name="export"
    ),
    path("<int:pk>/", views.DeploymentDetailView.as_view(), name="detail"),
]
