from django.urls import path, re_path

from . import views

app_name = "vendors"
urlpatterns = [
    path("", views.VendorListView.as_view(), name="list"),
    re_path(r"^export\.(?P<fmt>csv|json|jsonl)$", views.VendorExportView.as_view(), name="export"),
    path("<slug:slug>/", views.VendorDetailView.as_view(), name="detail"),
]
