"""The objection pages (第十九条、第二十条), mounted at /objections/."""

from django.urls import path

from laborcredit.objections import views

app_name = "objections"

urlpatterns = [
    path("", views.objection_list, name="list"),
    path("overdue/", views.objection_overdue, name="overdue"),
    path("new/", views.objection_new, name="new"),
    path("report/", views.objection_report, name="report"),
    path("report/xlsx/", views.objection_report_download, name="report_xlsx"),
    path("<int:pk>/", views.objection_detail, name="detail"),
    path("<int:pk>/accept/", views.objection_accept, name="accept"),
    path("<int:pk>/decide/", views.objection_decide, name="decide"),
    path("<int:pk>/notify/", views.objection_notify, name="notify"),
    path("<int:pk>/push/", views.objection_push, name="push"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
]
