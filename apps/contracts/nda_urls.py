from django.urls import path, re_path

from . import views

app_name = "ndas"
urlpatterns = [
    path("", views.NdaListView.as_view(), name="list"),
    re_path(r"^export\.(?P<fmt>csv|json|jsonl)$", views.NdaExportView.as_view(), name="export"),
    path("<int:pk>/", views.NdaDetailView.as_view(), name="detail"),
]
