from django.urls import path, re_path

from . import views

app_name = "contracts"
urlpatterns = [
    path("", views.ContractListView.as_view(), name="list"),
    re_path(
        r"^export\.(?P<fmt>csv|json|jsonl)$", views.ContractExportView.as_view(), name="export"
    ),
    path("<int:pk>/", views.ContractDetailView.as_view(), name="detail"),
]
