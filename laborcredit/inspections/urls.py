"""The routine-inspection pages (双随机), mounted at /inspections/."""

from django.urls import path

from laborcredit.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/verify/", views.plan_verify, name="verify"),
    path("<int:plan_id>/publish/", views.plan_publish, name="publish"),
    path("<int:plan_id>/plan.xlsx", views.plan_download, name="download"),
    path("<int:plan_id>/draw.json", views.plan_inputs, name="inputs"),
    path("results/<int:inspection_id>/", views.inspection_result, name="result"),
    path("roster/", views.roster, name="roster"),
    path("roster/add/", views.roster_add, name="roster_add"),
    path("roster/<int:inspector_id>/active/", views.roster_active, name="roster_active"),
    path("roster/conflicts/", views.conflict_add, name="conflict_add"),
]
