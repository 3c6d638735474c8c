"""The employer pages, mounted at /employers/."""

from django.urls import path

from laborcredit.web import views_employers, views_records

app_name = "employers"

urlpatterns = [
    path("", views_employers.employer_list, name="list"),
    path("export/", views_employers.employer_export, name="export"),
    path("<str:uscc>/", views_employers.credit_file, name="credit_file"),
    path("<str:uscc>/records/new/", views_records.record_new, name="record_new"),
    path(
        "<str:uscc>/records/<int:record_id>/correct/",
        views_records.record_correction,
        name="record_correct",
    ),
    path(
        "<str:uscc>/records/<int:record_id>/void/", views_records.record_voiding, name="record_void"
    ),
]
