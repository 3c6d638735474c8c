"""The holiday arrangements page, mounted at /workdays/."""

from django.urls import path

from laborcredit.workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.arrangements, name="list"),
]
