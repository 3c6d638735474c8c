"""The measures pages (第十四条–第十七条), mounted at /measures/."""

from django.urls import path

from laborcredit.measures import views
from laborcredit.measures.exporting import INTERVIEWS_KIND, KIND

app_name = "measures"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("local/", views.local_add, name="local_add"),
    path("local/<int:measure_id>/retire/", views.local_retire, name="local_retire"),
    path("interviews/", views.interviews, name="interviews"),
    path("interviews/export/", views.interviews_download, name="interviews_export"),
    path("interviews/new/<str:uscc>/", views.interview_new, name="interview_new"),
    path("interviews/<int:interview_id>/", views.interview_detail, name="interview_detail"),
    path("interviews/<int:interview_id>/record/", views.interview_record, name="interview_record"),
    path("interviews/<int:interview_id>/cancel/", views.interview_cancel, name="interview_cancel"),
    path("joint-punishment/", views.joint_punishment, name="joint_punishment"),
    path(
        "joint-punishment/export/",
        views.joint_punishment_download,
        name="joint_punishment_export",
    ),
    # A long list's background export (measures.exporting.BACKGROUND_FROM), under its list.
    path(
        "interviews/exports/<int:job_id>/",
        views.export_job,
        {"code": INTERVIEWS_KIND},
        name="interviews_export_job",
    ),
    path(
        "interviews/exports/<int:job_id>/file/",
        views.export_job_file,
        {"code": INTERVIEWS_KIND},
        name="interviews_export_file",
    ),
    path(
        "joint-punishment/exports/<int:job_id>/",
        views.export_job,
        {"code": KIND},
        name="joint_punishment_export_job",
    ),
    path(
        "joint-punishment/exports/<int:job_id>/file/",
        views.export_job_file,
        {"code": KIND},
        name="joint_punishment_export_file",
    ),
]
