from django.urls import path

from laborcredit.portal import views, views_staff

app_name = "portal"

urlpatterns = [
    # 第十八条–第二十一条: the employer's own pages.
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("activate/", views.activate_view, name="activate"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password"),
    path("records/", views.records, name="records"),
    path("history/", views.history, name="history"),
    path("objections/", views.objection_list, name="objections"),
    path("objections/new/", views.objection_new, name="objection_new"),
    path("objections/<int:pk>/", views.objection_detail, name="objection_detail"),
    path(
        "objections/<int:pk>/attachments/<int:attachment_pk>/",
        views.objection_attachment,
        name="objection_attachment",
    ),
    path("repair/", views.repair, name="repair"),
    path("credit-report/", views.credit_report, name="credit_report"),
    # The bureau's side: employer accounts.
    path("staff/accounts/", views_staff.staff_accounts, name="staff_accounts"),
    path("staff/accounts/new/", views_staff.staff_account_create, name="staff_account_create"),
    path(
        "staff/accounts/<int:pk>/code/", views_staff.staff_account_code, name="staff_account_code"
    ),
    path(
        "staff/accounts/<int:pk>/disable/",
        views_staff.staff_account_disable,
        name="staff_account_disable",
    ),
    path(
        "staff/accounts/<int:pk>/enable/",
        views_staff.staff_account_enable,
        name="staff_account_enable",
    ),
]
