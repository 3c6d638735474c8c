"""The credit repair pages (第二十一条): the due list and one employer's repair file."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from laborcredit.accounts.views import permission_required
from laborcredit.lib.errors import Refused
from laborcredit.rating.models import EmployerGrade
from laborcredit.repair import selectors, services
from laborcredit.repair.forms import AsOfForm
from laborcredit.rules.workdays import provisional_reason
from laborcredit.web.employer_selectors import employer_by_code
from laborcredit.web.paging import pager

PAGE_SIZE = 50


def _as_of(request: HttpRequest) -> tuple[AsOfForm, datetime.date | None]:
    """The date asked for (today when none); None when it is not a date (the form says why)."""
    form = AsOfForm(request.GET or None)
    if not request.GET:
        return AsOfForm(initial={"as_of": timezone.localdate().isoformat()}), timezone.localdate()
    if not form.is_valid():
        return form, None
    return form, form.cleaned_data["as_of"] or timezone.localdate()


def _provisional(found: selectors.RepairFile | None) -> str:
    if found is None or found.deadline is None or not found.deadline.provisional:
        return ""
    return provisional_reason(found.deadline.provisional_years)


TITLES = {
    "due": "待调整（含逾期）",
    "upcoming": "即将期满（{days} 日内）",
    "awaiting": "待补充证据",
}


def _listing_page(request: HttpRequest, sections: tuple[str, ...]) -> HttpResponse:
    form, as_of = _as_of(request)
    context: dict[str, Any] = {"form": form, "listing": None, "shown": sections}
    if as_of is None:
        return render(request, "repair/due.html", context, status=400)
    asked = {key: request.GET.get(f"{key}_page") for key in sections}
    listing = selectors.repair_lists(as_of=as_of, pages=asked, size=PAGE_SIZE)
    ids = [found.employer.pk for page in listing.pages.values() for found in page]
    current = EmployerGrade.objects.in_bulk(ids)
    context["listing"] = listing
    context["sections"] = [
        {"key": key, "title": TITLES[key].format(days=listing.horizon_days),
         "count": page.paginator.count,
         "pager": pager(request, page, param=f"{key}_page", anchor=key),
         "rows": [{"file": f, "provisional": _provisional(f),
                   "current": current.get(f.employer.pk)} for f in page]}
        for key, page in listing.pages.items()
    ]  # fmt: skip
    return render(request, "repair/due.html", context)


@permission_required("repair.view_repairadjustment")
@require_GET
def due_list(request: HttpRequest) -> HttpResponse:
    """信用修复到期清单: adjustments due (overdue flagged) and cycles ending soon."""
    return _listing_page(request, ("due", "upcoming"))


@permission_required("repair.view_repairadjustment")
@require_GET
def awaiting_list(request: HttpRequest) -> HttpResponse:
    """待补充证据: C employers (penalty) whose correction or fulfilment is not yet recorded. On
    its own page: in a province it is the longest list, and the slowest to compute."""
    return _listing_page(request, ("awaiting",))


def _file_page(
    request: HttpRequest,
    uscc: str,
    *,
    problems: list[str] | None = None,
    status: int = 200,
    late_reason: str = "",
) -> HttpResponse:
    employer = employer_by_code(uscc)
    form, as_of = _as_of(request)
    found = selectors.repair_file(employer=employer, as_of=as_of) if as_of else None
    current = EmployerGrade.objects.select_related("decision").filter(employer=employer).first()
    context = {
        "employer": employer,
        "form": form,
        "as_of": as_of,
        "file": found,
        "provisional": _provisional(found),
        "current": current,
        "problems": problems or [],
        "late_reason": late_reason,
        "today": timezone.localdate(),
    }
    return render(request, "repair/file.html", context, status=400 if as_of is None else status)


@permission_required("repair.view_repairadjustment")
@require_GET
def repair_file(request: HttpRequest, uscc: str) -> HttpResponse:
    """信用修复档案: cases, evidence, what remains, cycle end, deadline, the adjustment."""
    return _file_page(request, uscc)


@permission_required("repair.add_repairadjustment")
@require_POST
def repair_adjust(request: HttpRequest, uscc: str) -> HttpResponse:
    """调整信用等级 (第二十一条), on today's date; refused with the reason, nothing changed."""
    employer = employer_by_code(uscc)
    try:
        adjustment = services.repair_adjust(
            employer=employer,
            actor=request.user.get_username(),
            late_reason=request.POST.get("late_reason", "")[:500],
        )
    except Refused as refused:
        return _file_page(
            request,
            uscc,
            problems=[p.message for p in refused.problems],
            status=400,
            late_reason=request.POST.get("late_reason", ""),
        )
    timeliness = "按期" if adjustment.on_time else "逾期"
    if adjustment.grade_before == adjustment.grade_after:
        text = (
            f"已登记信用修复调整：信用等级此前已按时间推移调整为 {adjustment.grade_after}级"
            f"（{timeliness}）。{adjustment.note}"
        )
    else:
        text = (
            f"已调整信用等级：{adjustment.grade_before}级 → {adjustment.grade_after}级"
            f"（{timeliness}）。"
        )
    messages.success(request, text)
    return redirect("repair:file", employer.uscc)
