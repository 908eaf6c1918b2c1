from django.urls import path, re_path

from . import views

app_name = "technologies"
urlpatterns = [
    path("", views.TechnologyListView.as_view(), name="list"),
    re_path(
        r"^export\.(?P<fmt>csv|json|jsonl)$", views.TechnologyExportView.as_view(), name="export"
    ),
    path("<slug:slug>/", views.TechnologyDetailView.as_view(), name="detail"),
]
