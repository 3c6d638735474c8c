"""The measures pages (第十四条–第十七条), mounted at /measures/."""

from django.urls import path

from laborcredit.measures import views

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
    path("exports/<int:job_id>/", views.export_job, name="export_job"),
    path("exports/<int:job_id>/file/", views.export_job_file, name="export_job_file"),
]
