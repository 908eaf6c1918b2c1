from django.urls import path, re_path

from . import views

app_name = "products"
urlpatterns = [
    path("", views.ProductListView.as_view(), name="list"),
    re_path(r"^export\.(?P<fmt>csv|json|jsonl)$", views.ProductExportView.as_view(), name="export"),
    path("<slug:slug>/", views.ProductDetailView.as_view(), name="detail"),
]
