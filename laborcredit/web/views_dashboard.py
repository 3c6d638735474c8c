"""统计看板: grades by township and industry, movement between annual evaluations, work waiting."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from laborcredit.web import dashboard as dashboard_selectors


@login_required
@permission_required("rating.view_dashboard", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    """统计看板 (issue 4), for leadership and credit officers."""
    context = dashboard_selectors.dashboard(today=timezone.localdate())
    return render(request, "web/dashboard.html", context)
