from django.urls import path

from . import views

app_name = "technologies"
urlpatterns = [
    path("", views.TechnologyListView.as_view(), name="list"),
    path("<slug:slug>/", views.TechnologyDetailView.as_view(), name="detail"),
]
