"""The measures pages (第十四条–第十七条): catalogue, interviews (约谈), the joint-punishment list."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from laborcredit.audit.services import audit_append
from laborcredit.credit.models import CreditRecord
from laborcredit.jobs.models import Job
from laborcredit.jobs.runner import job_state
from laborcredit.lib.errors import Refused
from laborcredit.measures import selectors, services
from laborcredit.measures.exporting import (
    BACKGROUND_FROM,
    INTERVIEWS_KIND,
    KEPT_HOURS,
    KIND,
    LISTS,
    ListKind,
    joint_punishment_check,
    list_export_file,
    list_export_start,
    recent_exports,
)
from laborcredit.measures.forms import (
    CancelForm,
    ExportForm,
    ListExportForm,
    LocalMeasureForm,
    RecordForm,
    RetireForm,
    ScheduleForm,
)
from laborcredit.measures.models import Interview, LocalMeasure
from laborcredit.rules.vocabulary import RecordType
from laborcredit.web.employer_selectors import employer_by_code
from laborcredit.web.paging import pager

PERSONAL = "credit.view_personal_info"
_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def _actor(request: HttpRequest) -> str:
    return request.user.get_username()


# ---------------------------------------------------------------- catalogue


def _catalogue(
    request: HttpRequest, form: Any = None, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {**selectors.catalogue(), "form": form or LocalMeasureForm(), **extra}
    return render(request, "measures/catalogue.html", context, status=status)


@login_required
@permission_required("rating.view_employergrade", raise_exception=True)
def catalogue(request: HttpRequest) -> HttpResponse:
    """措施目录: 第十四条–第十七条 with their words, and the local measures with their history."""
    return _catalogue(request)


@login_required
@permission_required("measures.add_localmeasure", raise_exception=True)
@require_POST
def local_add(request: HttpRequest) -> HttpResponse:
    """登记第十四条（三）、第十五条（三）所称其他激励措施."""
    form = LocalMeasureForm(request.POST)
    if form.is_valid():
        try:
            services.local_measure_add(**form.cleaned_data, actor=_actor(request))
        except Refused as refused:
            form.show_problems(refused.problems)
        else:
            messages.success(request, "其他激励措施已登记。")
            return redirect("measures:catalogue")
    return _catalogue(request, form, status=400)


@login_required
@permission_required("measures.add_localmeasure", raise_exception=True)
@require_POST
def local_retire(request: HttpRequest, measure_id: int) -> HttpResponse:
    """停止适用一项其他激励措施 from a date on; the earlier days keep it."""
    measure = get_object_or_404(LocalMeasure, pk=measure_id)
    form = RetireForm(request.POST)
    if form.is_valid():
        try:
            services.local_measure_retire(
                measure=measure, **form.cleaned_data, actor=_actor(request)
            )
        except Refused as refused:
            problems = [p.message for p in refused.problems]
        else:
            messages.success(request, f"“{measure.title}”已设定停止适用日期。")
            return redirect("measures:catalogue")
    else:
        problems = [f"{form.fields[k].label}：{e[0]}" for k, e in form.errors.items()]
    # What was typed stays in the form beside the refusal.
    typed = {name: request.POST.get(name, "") for name in ("retired_from", "reason")}
    return _catalogue(
        request, status=400, retire_problems={measure.pk: problems}, retire_id=measure.pk,
        retire_typed=typed,
    )  # fmt: skip


# ---------------------------------------------------------------- interviews (第十七条(三))


def _interviews_page(request: HttpRequest, form: Any = None, status: int = 200) -> HttpResponse:
    unmasked = request.user.has_perm(PERSONAL)
    listed = selectors.interview_list()
    due = selectors.interviews_due(page=request.GET.get("page"))
    context = {
        "due": due,
        "pager": pager(request, due, anchor="due"),
        "export_form": form or ListExportForm(),
        **_exports_of(request, LISTS[INTERVIEWS_KIND]),
        "interviews": [
            {"interview": i, "people": selectors.interview_people(i, unmasked)} for i in listed
        ],
    }
    return render(request, "measures/interviews.html", context, status=status)


@login_required
@permission_required("measures.view_interview", raise_exception=True)
def interviews(request: HttpRequest) -> HttpResponse:
    """约谈: C employers (penalty) not interviewed since they became C, and the interviews."""
    return _interviews_page(request)


@login_required
@permission_required("measures.view_interview", raise_exception=True)
@require_POST
def interviews_download(request: HttpRequest) -> HttpResponse:
    """The whole list of employers to interview as .xlsx, CSV or JSON; audited."""
    form = ListExportForm(request.POST)
    if not form.is_valid():
        return _interviews_page(request, form, status=400)
    return _export_response(
        request, LISTS[INTERVIEWS_KIND], form.cleaned_data["format"],
        total=selectors.interviews_due_count(), reason=form.cleaned_data["reason"],
    )  # fmt: skip


_JOB_URLS = {
    KIND: ("measures:joint_punishment_export_job", "measures:joint_punishment_export_file"),
    INTERVIEWS_KIND: ("measures:interviews_export_job", "measures:interviews_export_file"),
}
"""Each list's background exports live under its own address (and its menu item)."""


def _exports_of(request: HttpRequest, kind: ListKind) -> dict[str, Any]:
    return {
        "recent_exports": recent_exports(kind, _actor(request)),
        "kept_hours": KEPT_HOURS,
        "background_from": BACKGROUND_FROM,
        "export_job_url": _JOB_URLS[kind.code][0],
    }


def _export_response(
    request: HttpRequest, kind: ListKind, fmt: str, *, total: int, **options: Any
) -> HttpResponse:
    """The list as an attachment; a list longer than `BACKGROUND_FROM` is written by a
    background job, and the answer is its page. A refusal (`Refused`) passes through."""
    if total > BACKGROUND_FROM:
        job = list_export_start(kind, fmt=fmt, total=total, actor=_actor(request), **options)
        return redirect(_JOB_URLS[kind.code][0], job.pk)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"export.{fmt}"
        kind.export(target, fmt=fmt, **options)
        content = target.read_bytes()
    return _attachment(content, kind, fmt, timezone.localdate())


def _attachment(content: Any, kind: ListKind, fmt: str, day: datetime.date) -> HttpResponse:
    """Sent as a file named for its list and `day`."""
    filename = f"{kind.title}-{day:%Y-%m-%d}.{fmt}"
    if isinstance(content, bytes):
        response: HttpResponse = HttpResponse(content, content_type=_CONTENT_TYPES[fmt])
    else:
        response = FileResponse(content, content_type=_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f"attachment; filename=\"{kind.ascii_name}.{fmt}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def _export_job(request: HttpRequest, job_id: int, code: str) -> tuple[Job, ListKind]:
    """A background export of list `code`, for the officer who started it (it may hold
    personal information exported with that officer's reason) while they may still read the
    list."""
    kind = LISTS[code]
    job = get_object_or_404(Job, pk=job_id, kind=kind.job_kind)
    if not request.user.has_perm(kind.permission) or job.created_by != _actor(request):
        raise PermissionDenied("只有发起导出的人员可以查看和下载该导出文件")
    if job.params.get("unmasked") and not request.user.has_perm(PERSONAL):
        raise PermissionDenied("无权查看未脱敏的个人信息")
    return job, kind


@require_GET
@login_required
def export_job(request: HttpRequest, job_id: int, code: str) -> HttpResponse:
    """A background export's progress, then its file to download while it is kept."""
    job, kind = _export_job(request, job_id, code)
    context = {
        "job": job,
        "kind": kind,
        "state": job_state(job),
        "file": list_export_file(job),
        "kept_hours": KEPT_HOURS,
        "file_url": _JOB_URLS[code][1],
        "background_from": BACKGROUND_FROM,
    }
    return render(request, "measures/export_job.html", context)


@require_GET
@login_required
def export_job_file(request: HttpRequest, job_id: int, code: str) -> HttpResponse:
    """The file of a finished background export (its writing was audited)."""
    job, kind = _export_job(request, job_id, code)
    path = list_export_file(job)
    if path is None:
        raise Http404("导出文件不存在或已超过保留期限，请重新导出")
    day = timezone.localdate(job.created_at)
    return _attachment(path.open("rb"), kind, job.result["format"], day)


def _penalty_cases(employer: Any) -> list[str]:
    return list(
        CreditRecord.objects.effective()
        .filter(employer=employer, type=RecordType.PENALTY_IMPOSED)
        .order_by("-date", "-id")
        .values_list("case", flat=True)
    )


@login_required
@permission_required("measures.add_interview", raise_exception=True)
def interview_new(request: HttpRequest, uscc: str) -> HttpResponse:
    """安排约谈 of one employer's principal and directly responsible persons."""
    employer = employer_by_code(uscc)
    cases = _penalty_cases(employer)
    initial = {"principal": employer.legal_rep_name} if request.user.has_perm(PERSONAL) else {}
    form = ScheduleForm(request.POST or None, cases=cases, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                interview = services.interview_schedule(
                    employer=employer, **form.cleaned_data, actor=_actor(request)
                )
            except Refused as refused:
                form.show_problems(refused.problems)
            else:
                messages.success(request, "约谈已安排。")
                return redirect("measures:interview_detail", interview.pk)
        status = 400
    context = {"employer": employer, "form": form, "cases": cases}
    return render(request, "measures/interview_new.html", context, status=status)


def _detail(request: HttpRequest, interview: Interview, **forms: Any) -> dict[str, Any]:
    unmasked = request.user.has_perm(PERSONAL)
    return {
        "interview": interview,
        "people": selectors.interview_people(interview, unmasked),
        "record_form": forms.get("record_form")
        or RecordForm(initial={"held_on": timezone.localdate()}),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
    }


@login_required
@permission_required("measures.view_interview", raise_exception=True)
def interview_detail(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = get_object_or_404(Interview.objects.select_related("employer"), pk=interview_id)
    return render(request, "measures/interview_detail.html", _detail(request, interview))


@login_required
@permission_required("measures.change_interview", raise_exception=True)
@require_POST
def interview_record(request: HttpRequest, interview_id: int) -> HttpResponse:
    """记录约谈情况: entered in the credit record (第十七条(三)); the grade does not change."""
    interview = get_object_or_404(Interview.objects.select_related("employer"), pk=interview_id)
    form = RecordForm(request.POST)
    if form.is_valid():
        try:
            services.interview_record(
                interview=interview, **form.cleaned_data, actor=_actor(request)
            )
        except Refused as refused:
            form.show_problems(refused.problems)
        else:
            messages.success(request, "约谈情况已记录，并已记入该单位信用记录。")
            return redirect("measures:interview_detail", interview.pk)
    context = _detail(request, interview, record_form=form)
    return render(request, "measures/interview_detail.html", context, status=400)


@login_required
@permission_required("measures.change_interview", raise_exception=True)
@require_POST
def interview_cancel(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = get_object_or_404(Interview.objects.select_related("employer"), pk=interview_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.interview_cancel(
                interview=interview, reason=form.cleaned_data["reason"], actor=_actor(request)
            )
        except Refused as refused:
            form.show_problems(refused.problems)
        else:
            messages.success(request, "约谈已取消。")
            return redirect("measures:interview_detail", interview.pk)
    context = _detail(request, interview, cancel_form=form)
    return render(request, "measures/interview_detail.html", context, status=400)


# ---------------------------------------------------------------- joint punishment (第十七条)


def _joint_page(request: HttpRequest, form: Any = None, status: int = 200) -> HttpResponse:
    unmasked = request.user.has_perm(PERSONAL)
    page = selectors.joint_punishment_page(unmasked=unmasked, page=request.GET.get("page"))
    rows = page.object_list
    if unmasked and any(row["legal_rep"] for row in rows):
        # AU1, DT4: an unmasked view of personal information is audited, as on the credit file.
        with transaction.atomic():
            audit_append(
                event="personal_info_view",
                object_type="joint_punishment_list",
                object_id="第十七条",
                data={"reason": "查阅联合惩戒名单", "fields": ["法定代表人"],
                      "usccs": [row["uscc"] for row in rows][:50]},
            )  # fmt: skip
    context = {
        "rows": rows,
        "pager": pager(request, page),
        "unmasked": unmasked,
        "form": form or ExportForm(),
        **_exports_of(request, LISTS[KIND]),
    }
    return render(request, "measures/joint_punishment.html", context, status=status)


@login_required
@permission_required("measures.view_joint_punishment", raise_exception=True)
def joint_punishment(request: HttpRequest) -> HttpResponse:
    """联合惩戒名单: C because of the wage-arrears blacklist (第十七条, last paragraph)."""
    return _joint_page(request)


@login_required
@permission_required("measures.view_joint_punishment", raise_exception=True)
@require_POST
def joint_punishment_download(request: HttpRequest) -> HttpResponse:
    """The list as .xlsx, CSV or JSON, masked unless allowed and reasoned; audited."""
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _joint_page(request, form, status=400)
    fmt = form.cleaned_data["format"]
    unmasked = form.cleaned_data["unmasked"]
    if unmasked and not request.user.has_perm(PERSONAL):
        form.add_error("unmasked", "无权导出未脱敏的个人信息")
        return _joint_page(request, form, status=403)
    reason = form.cleaned_data["reason"]
    try:
        joint_punishment_check(fmt=fmt, unmasked=unmasked, reason=reason)
        return _export_response(
            request, LISTS[KIND], fmt, total=selectors.joint_punishment_count(),
            unmasked=unmasked, reason=reason,
        )  # fmt: skip
    except Refused as refused:
        for problem in refused.problems:
            form.add_error(problem.place if problem.place in form.fields else None,
                           problem.message)  # fmt: skip
        return _joint_page(request, form, status=400)
