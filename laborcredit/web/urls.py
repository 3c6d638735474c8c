"""The employer pages, mounted at /employers/."""

from django.urls import path

from laborcredit.web import views_employers

app_name = "employers"

urlpatterns = [
    path("", views_employers.employer_list, name="list"),
    path("export/", views_employers.employer_export, name="export"),
    path("<str:uscc>/", views_employers.credit_file, name="credit_file"),
]
