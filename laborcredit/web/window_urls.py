"""The licensing window's lookup, mounted at /window/."""

from django.urls import path

from laborcredit.web import views_window

app_name = "window"

urlpatterns = [path("", views_window.grade_lookup, name="lookup")]
