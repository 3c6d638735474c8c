"""The push page (第六条、第二十条), mounted at /exchange/."""

from django.urls import path

from laborcredit.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:pk>/retry/", views.item_retry, name="retry"),
]
