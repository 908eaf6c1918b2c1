from django.urls import path, re_path

from . import views

app_name = "sources"
urlpatterns = [
    path("", views.SourceListView.as_view(), name="list"),
    re_path(r"^export\.(?P<fmt>csv|json|jsonl)$", views.SourceExportView.as_view(), name="export"),
    path("<int:pk>/", views.SourceDetailView.as_view(), name="detail"),
    path("<int:pk>/document.pdf", views.SourceDocumentView.as_view(), name="document"),
]
