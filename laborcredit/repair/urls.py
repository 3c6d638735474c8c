"""The credit repair pages (第二十一条), mounted at /repair/."""

from django.urls import path

from laborcredit.repair import views

app_name = "repair"

urlpatterns = [
    path("", views.due_list, name="due"),
    path("awaiting/", views.awaiting_list, name="awaiting"),
    path("<str:uscc>/", views.repair_file, name="file"),
    path("<str:uscc>/adjust/", views.repair_adjust, name="adjust"),
]
