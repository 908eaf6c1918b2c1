from django.urls import path, re_path

from . import views

app_name = "agencies"
urlpatterns = [
    path("", views.AgencyListView.as_view(), name="list"),
    re_path(r"^export\.(?P<fmt>csv|json|jsonl)$", views.AgencyExportView.as_view(), name="export"),
    # Before the agencies' own pages ("transparency" is a reserved slug, apps/core/slugs.py).
    path("transparency/", views.TransparencyListView.as_view(), name="transparency"),
    path(
        "transparency/method/",
        views.TransparencyMethodView.as_view(),
        name="transparency_method",
    ),
    path("<slug:slug>/", views.AgencyDetailView.as_view(), name="detail"),
]
