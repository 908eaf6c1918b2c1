from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("", views.RegionListView.as_view(), name="list"),
    path("<str:country>/<str:region>/", views.RegionDetailView.as_view(), name="detail"),
]
