from django.urls import path, re_path

from . import views

app_name = "agencies"
urlpatterns = [
    path("", views.AgencyListView.as_view(), name="list"),
    re_path(r"^export\.(?P<fmt>csv|json)$", views.AgencyExportView.as_view(), name="export"),
    path("<slug:slug>/", views.AgencyDetailView.as_view(), name="detail"),
]
