from django.urls import path

from laborcredit.reports import views

app_name = "reports"

urlpatterns = [
    # 第六条: the periodic report to superior departments.
    path("", views.index, name="index"),
    path("superior.xlsx", views.superior_xlsx, name="superior_xlsx"),
    path("superior.pdf", views.superior_pdf, name="superior_pdf"),
    # Credit reports: issued by officers; verified by anyone.
    path("credit/<str:uscc>/", views.credit_issue, name="credit_issue"),
    path("verify/", views.verify, name="verify"),
]
