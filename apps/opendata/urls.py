from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.DataPageView.as_view(), name="page"),
    path("ocds.json", views.OcdsPackageView.as_view(), name="ocds"),
    path("archive.zip", views.ArchiveView.as_view(), name="archive"),
    path("build/", views.DataBuildView.as_view(), name="build"),
]
