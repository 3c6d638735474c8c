from django.contrib import admin
from django.urls import include, path

from laborcredit.web import views, views_dashboard

admin.site.site_header = "舞钢市用人单位劳动保障信用分级分类监管系统"
admin.site.site_title = "劳动保障信用监管"
admin.site.index_title = "系统管理"

urlpatterns = [
    # First: other departments' systems call the API many times a second, and the resolver
    # tries the patterns in order. The window's own JSON comes before the API's catch-all.
    path("api/v1/", include("laborcredit.measures.api_urls")),
    # 第六条: the REST API (laborcredit/api) is mounted here by its own module.
    path("", include("laborcredit.api.urls")),  # /api/v1/ and /apikeys/
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("laborcredit.accounts.urls")),
    path("employers/", include("laborcredit.web.urls")),
    path("audit/", include("laborcredit.audit.urls")),
    path("imports/", include("laborcredit.web.imports_urls")),
    path("runs/", include("laborcredit.web.runs_urls")),
    path("inspections/", include("laborcredit.inspections.urls")),
    path("window/", include("laborcredit.web.window_urls")),
    path("measures/", include("laborcredit.measures.urls")),
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("workdays/", include("laborcredit.workdays.urls")),
    path("objections/", include("laborcredit.objections.urls")),
    path("repair/", include("laborcredit.repair.urls")),
    # 第十八条: the employer portal, a separate site with its own login.
    path("portal/", include("laborcredit.portal.urls")),
    path("exchange/", include("laborcredit.exchange.urls")),
    path("reports/", include("laborcredit.reports.urls")),
]
