"""The import pages (批量导入), mounted at /imports/."""

from django.urls import path

from laborcredit.web import views_imports

app_name = "imports"

urlpatterns = [
    path("", views_imports.import_index, name="index"),
    path("templates/<slug:kind>.<slug:fmt>", views_imports.import_template, name="template"),
    path("<int:job_id>/", views_imports.import_detail, name="detail"),
    path("<int:job_id>/report/", views_imports.import_report, name="report"),
]
