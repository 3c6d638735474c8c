"""The audit viewer, mounted at /audit/ (AU3; only the 审计管理员 sees it)."""

from django.urls import path

from laborcredit.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_list, name="list"),
    path("verify/", views.audit_verify_view, name="verify"),
]
