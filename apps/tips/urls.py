from django.urls import path

from . import views

app_name = "tips"
urlpatterns = [
    path("", views.TipSubmitView.as_view(), name="submit"),
    path("thanks/", views.TipThanksView.as_view(), name="thanks"),
    path("review/", views.TipQueueView.as_view(), name="review"),
    path("review/<int:pk>/handle/", views.TipHandleView.as_view(), name="handle"),
    path("review/<int:pk>/dismiss/", views.TipDismissView.as_view(), name="dismiss"),
]
