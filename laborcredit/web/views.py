"""The staff site's shell."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from laborcredit.web.selectors import grading_rules_in_force


def home(request: HttpRequest) -> HttpResponse:
    """The 办法's grading rules and the parameters in force today."""
    today = timezone.localdate()
    return render(request, "web/home.html", grading_rules_in_force(today))


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the start script and load balancers: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "message": "数据库不可用"}, status=503)
    return JsonResponse({"status": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent from a page that is no longer valid (opened before
    logging out and in again, or after the session expired) is refused in plain words."""
    return render(request, "403_csrf.html", status=403)
