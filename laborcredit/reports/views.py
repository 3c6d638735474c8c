"""第六条: the report to superior departments (staff), credit reports (staff) and the public
verification page."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from laborcredit.accounts.views import permission_required
from laborcredit.audit.middleware import client_address
from laborcredit.lib.errors import Refused
from laborcredit.reports.forms import IssueForm, PeriodForm, VerifyForm
from laborcredit.reports.models import IssuedReport
from laborcredit.reports.selectors import superior_report
from laborcredit.reports.services import (
    VERIFY_WINDOW,
    report_issue,
    report_verify_audited,
    superior_report_export,
    verify_attempt_limited,
)
from laborcredit.web.employer_selectors import employer_by_code

TOO_MANY = f"验证过于频繁，请 {VERIFY_WINDOW // 60} 分钟后再试"


def download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@permission_required("reports.view_superiorreport")
def index(request: HttpRequest) -> HttpResponse:
    """The report to superior departments for a chosen period, shown and offered as files."""
    form = PeriodForm(request.GET or None)
    report = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            report = superior_report(
                period=data["period"], year=data["year"], number=data["number"]
            )
        except Refused as refused:
            _refusal_on(form, refused)
    recent = IssuedReport.objects.order_by("-issued_at", "-id")[:20]
    context = {
        "form": form,
        "report": report,
        "query": request.GET.urlencode(),
        "recent": recent,
        "menu_here": "reports",
    }
    return render(request, "reports/index.html", context, status=400 if form.errors else 200)


def _refusal_on(form: PeriodForm, refused: Refused) -> None:
    """A refusal of the service shown beside its field, as the form's own errors are."""
    for problem in refused.problems:
        form.add_error(problem.place if problem.place in form.fields else None, problem.message)


def _superior_file(request: HttpRequest, format: str) -> HttpResponse:
    form = PeriodForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "report": None, "recent": [], "menu_here": "reports"}
        return render(request, "reports/index.html", context, status=400)
    data = form.cleaned_data
    try:
        report, content = superior_report_export(
            period=data["period"],
            year=data["year"],
            number=data["number"],
            format=format,
            actor=request.user.get_username(),
        )
    except Refused as refused:
        _refusal_on(form, refused)
        context = {"form": form, "report": None, "recent": [], "menu_here": "reports"}
        return render(request, "reports/index.html", context, status=400)
    filename = f"劳动保障信用报表-{report.period.slug}.{format}"
    return download(content, filename, CONTENT_TYPES[format])


@permission_required("reports.view_superiorreport")
def superior_xlsx(request: HttpRequest) -> HttpResponse:
    return _superior_file(request, "xlsx")


@permission_required("reports.view_superiorreport")
def superior_pdf(request: HttpRequest) -> HttpResponse:
    return _superior_file(request, "pdf")


def _verify_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("reports:verify"))


def credit_report_response(report: IssuedReport) -> HttpResponse:
    filename = f"信用报告-{report.employer_uscc}-{timezone.localtime(report.issued_at):%Y%m%d}.pdf"
    return download(report.pdf, filename, CONTENT_TYPES["pdf"])  # type: ignore[attr-defined]


@permission_required("reports.add_issuedreport")
@require_POST
def credit_issue(request: HttpRequest, uscc: str) -> HttpResponse:
    """An officer issues an employer's credit report (PDF with a verification code)."""
    employer = employer_by_code(uscc)
    form = IssueForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "reports/refused.html",
            {"problems": [e for errors in form.errors.values() for e in errors]},
            status=400,
        )
    try:
        report = report_issue(
            employer=employer,
            actor=request.user.get_username(),
            purpose=form.cleaned_data["purpose"],
            channel="staff",
            verify_url=_verify_url(request),
        )
    except Refused as refused:
        problems = [p.message for p in refused.problems]
        return render(request, "reports/refused.html", {"problems": problems}, status=503)
    return credit_report_response(report)


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Public (no login): whether a credit report's verification code is authentic, when the
    report was issued, for whom, its grade and whether that grade is still in force."""
    form = VerifyForm(request.GET or None)
    result = None
    status = 200
    if form.is_bound:
        if verify_attempt_limited(address=client_address(request)):
            return render(
                request, "reports/verify.html", {"form": form, "limited": TOO_MANY}, status=429
            )
        if form.is_valid():
            result = report_verify_audited(code=form.cleaned_data["code"])
        else:
            status = 400
    return render(request, "reports/verify.html", {"form": form, "result": result}, status=status)
