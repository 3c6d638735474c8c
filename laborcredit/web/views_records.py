"""Record entry, correction and void (第五条–第七条): preview the grade change, then confirm.

The preview runs the service's own checks (`record_problems`, `record_correction_problems`,
`record_void_problems`) and grades the result without writing; confirm calls the service, which checks again, audits and regrades (第十三条).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from laborcredit.credit.models import CreditRecord, Employer
from laborcredit.credit.services import (
    record_correct,
    record_correction_problems,
    record_create,
    record_problems,
    record_version_problem,
    record_void,
    record_void_problems,
)
from laborcredit.lib.errors import Refused
from laborcredit.rating.models import EmployerGrade
from laborcredit.rating.services import grade_records
from laborcredit.rules.validation import Problem
from laborcredit.rules.vocabulary import Grade, Record
from laborcredit.web.employer_selectors import badge_class, employer_by_code
from laborcredit.web.forms import (
    CorrectionForm,
    RecordForm,
    VoidForm,
    correction_initial,
)
from laborcredit.web.runs import approval_in_progress

PERMISSION = "credit.add_creditrecord"


def _effective(employer: Employer) -> list[Record]:
    return [r.as_rule_record() for r in CreditRecord.objects.effective().filter(employer=employer)]


def _grade_view(code: str, basis: Any) -> dict[str, Any]:
    return {"code": code, "label": Grade(code).label, "badge": badge_class(code), "basis": basis}


def _grade_change(employer: Employer, records: list[Record]) -> dict[str, Any]:
    """Current grade → the grade these records would give today (pure, nothing written)."""
    current = EmployerGrade.objects.filter(employer=employer).first()
    result = grade_records(records, timezone.localdate())
    return {
        "before": _grade_view(current.grade, current.basis) if current else None,
        "after": _grade_view(result.grade.value, [b.as_dict() for b in result.basis]),
    }


def _notices() -> dict[str, Any]:
    """An approval in progress: said before the officer fills in the form (lib/locks.py)."""
    return {"approval_job": approval_in_progress()}


def _credit_file(employer: Employer) -> HttpResponse:
    return redirect(reverse("employers:credit_file", args=[employer.uscc]))


def _preview_or_confirm(
    request: HttpRequest,
    form: Any,
    context: dict[str, Any],
    employer: Employer,
    *,
    confirm: Callable[[], object],
    preview: Callable[[], tuple[list[Record], list[Problem]]],
    done: str,
) -> HttpResponse | None:
    """Confirm: call the service, then back to the credit file. Preview: the service's own checks
    and the grade the records would give, nothing written. Refusals go beside their fields."""
    if request.POST.get("action") == "confirm":
        try:
            confirm()
        except Refused as refused:
            form.show_problems(refused.problems)
            return None
        messages.success(request, done)
        return _credit_file(employer)
    after, problems = preview()
    if problems:
        form.show_problems(problems)
    else:
        context["change"] = _grade_change(employer, after)
    return None


@login_required
@permission_required(PERMISSION, raise_exception=True)
def record_new(request: HttpRequest, uscc: str) -> HttpResponse:
    """登记信用记录."""
    employer = employer_by_code(uscc)
    form = RecordForm(request.POST or None)
    context: dict[str, Any] = {"employer": employer, "form": form, **_notices()}
    if request.method == "POST" and form.is_valid():
        values = form.record_values()

        def create() -> object:
            fields = dict(values)
            return record_create(
                employer=employer,
                type=fields.pop("type"),
                date=fields.pop("date"),
                actor=request.user.get_username(),
                **fields,
            )

        def with_new_record() -> tuple[list[Record], list[Problem]]:
            existing = _effective(employer)
            parsed, problems = record_problems(
                existing, [("record", values)], today=timezone.localdate()
            )
            return [*existing, *(r for r in parsed if r is not None)], problems

        answer = _preview_or_confirm(
            request, form, context, employer, confirm=create, preview=with_new_record,
            done="信用记录已登记，信用等级已重新评价。",
        )  # fmt: skip
        if answer is not None:
            return answer
    return render(request, "web/records/new.html", context)


def _record_of(employer: Employer, record_id: int) -> CreditRecord:
    return get_object_or_404(CreditRecord, pk=record_id, employer=employer)


@login_required
@permission_required(PERMISSION, raise_exception=True)
def record_correction(request: HttpRequest, uscc: str, record_id: int) -> HttpResponse:
    """更正信用记录: a new version with its reason (第七条)."""
    employer = employer_by_code(uscc)
    record = _record_of(employer, record_id)
    form = CorrectionForm(request.POST or None, initial=correction_initial(record))
    context: dict[str, Any] = {"employer": employer, "record": record, "form": form, **_notices()}
    refusal = record_version_problem(record)
    if refusal is not None:
        context["refusal"] = refusal.message
    elif request.method == "POST" and form.is_valid():
        changes = form.changed_values(record)
        if not changes and request.POST.get("action") != "confirm":
            form.add_error(None, "更正内容与原记录相同")
        else:
            answer = _preview_or_confirm(
                request, form, context, employer,
                confirm=lambda: record_correct(
                    record=record, reason=form.cleaned_data["reason"],
                    actor=request.user.get_username(), **changes,
                ),
                # The same checks as the correction itself, so that what the preview shows is allowed.
                preview=lambda: record_correction_problems(record, changes),
                done="信用记录已更正，信用等级已重新评价。",
            )  # fmt: skip
            if answer is not None:
                return answer
    return render(request, "web/records/change.html", {**context, "verb": "更正"})


@login_required
@permission_required(PERMISSION, raise_exception=True)
def record_voiding(request: HttpRequest, uscc: str, record_id: int) -> HttpResponse:
    """作废信用记录: a void version with its reason; the old version stays readable (第七条)."""
    employer = employer_by_code(uscc)
    record = _record_of(employer, record_id)
    form = VoidForm(request.POST or None)
    context: dict[str, Any] = {"employer": employer, "record": record, "form": form, **_notices()}
    refusal = record_version_problem(record)
    if refusal is not None:
        context["refusal"] = refusal.message
    elif request.method == "POST" and form.is_valid():
        answer = _preview_or_confirm(
            request, form, context, employer,
            confirm=lambda: record_void(
                record=record, reason=form.cleaned_data["reason"],
                actor=request.user.get_username(),
            ),
            preview=lambda: record_void_problems(record),
            done="信用记录已作废，信用等级已重新评价。",
        )  # fmt: skip
        if answer is not None:
            return answer
    return render(request, "web/records/change.html", {**context, "verb": "作废"})
