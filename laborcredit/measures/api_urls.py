"""The measures' API, mounted at /api/v1/."""

from django.urls import path

from laborcredit.measures import api

app_name = "api"

urlpatterns = [path("window/<str:uscc>", api.window, name="window")]
