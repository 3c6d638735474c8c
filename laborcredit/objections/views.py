"""The objection pages of the staff site (第十九条、第二十条), mounted at /objections/."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from laborcredit.accounts.views import permission_required
from laborcredit.audit.services import audit_append
from laborcredit.credit.models import CreditRecord, Employer
from laborcredit.lib.errors import Refused
from laborcredit.lib.spreadsheets import write_xlsx
from laborcredit.objections import selectors, services
from laborcredit.objections.forms import (
    AcceptForm,
    DecideForm,
    ListFilterForm,
    MonthForm,
    NotifyForm,
    PaperForm,
    PushForm,
    record_forms,
)
from laborcredit.objections.models import Channel, Objection, State, Subject
from laborcredit.rules.validation import check_uscc

VIEW = "objections.view_objection"
ADD = "objections.add_objection"
CHANGE = "objections.change_objection"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: HttpRequest) -> str:
    return request.user.get_username()


@permission_required(VIEW)
def objection_list(request: HttpRequest, overdue: bool = False) -> HttpResponse:
    """异议列表 with state, deadline and days left; /overdue/ lists those past a deadline."""
    form = ListFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "views": [], "overdue": overdue}
        return render(request, "objections/list.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    overdue = overdue or data.get("overdue", False)
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        number = 1
    page = selectors.objection_page(
        page=number, state=data.get("state") or None, overdue=overdue,
        search=data.get("q") or None,
    )  # fmt: skip
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}

    def url(n: int | None) -> str:
        return f"?{urlencode({**kept, 'page': n})}" if n else ""

    return render(
        request,
        "objections/list.html",
        {"form": form, "views": page.views, "overdue": overdue, "page": page,
         "previous_url": url(page.previous), "next_url": url(page.next)},
    )  # fmt: skip


@permission_required(VIEW)
def objection_overdue(request: HttpRequest) -> HttpResponse:
    return objection_list(request, overdue=True)


def _employer(code: str) -> Employer | None:
    normalised, message = check_uscc(code)
    if message:
        return None
    return Employer.objects.filter(uscc=normalised).first()


@permission_required(ADD)
def objection_new(request: HttpRequest) -> HttpResponse:
    """登记书面异议: by credit code, with the day the bureau received it (第十九条)."""
    code = (request.POST.get("uscc") or request.GET.get("uscc") or "").strip().upper()
    employer = _employer(code) if code else None
    records = (
        CreditRecord.objects.effective().filter(employer=employer).order_by("-date", "-id")
        if employer
        else CreditRecord.objects.none()
    )
    if request.method == "POST":
        form = PaperForm(request.POST, request.FILES, records=records)
        if form.is_valid():
            if employer is None:
                form.add_error("uscc", "未找到该统一社会信用代码的用人单位")
            else:
                data = form.cleaned_data
                try:
                    objection = services.objection_file(
                        employer=employer,
                        subject=data["subject"],
                        records=[int(pk) for pk in data["records"]],
                        reasons=data["reasons"],
                        attachments=data["attachments"],
                        actor=_actor(request),
                        channel=Channel.PAPER,
                        received_on=data["received_on"],
                    )
                except Refused as refused:
                    form.show_problems(refused.problems)
                else:
                    messages.success(request, f"书面异议已登记，编号 {objection.number}。")
                    return redirect("objections:detail", objection.pk)
        status = 400
    else:
        form = PaperForm(initial={"uscc": code}, records=records)
        status = 200
    context = {"form": form, "employer": employer, "code": code}
    return render(request, "objections/new.html", context, status=status)


def _decision_records(objection: Objection) -> list[CreditRecord]:
    """What an upheld decision may change: the disputed records; for a grade objection, any
    of the employer's effective records."""
    if objection.subject == Subject.GRADE:
        return list(
            CreditRecord.objects.effective()
            .filter(employer=objection.employer)
            .order_by("-date", "-id")
        )
    return [
        link.record for link in objection.disputed.filter(disputed=True).select_related("record")
    ]


def _detail(
    request: HttpRequest, objection: Objection, status: int = 200, **forms: Any
) -> HttpResponse:
    view = selectors.objection_view(objection)
    initial = {"version": objection.version}
    context: dict[str, Any] = {"view": view, "o": objection}
    if request.user.has_perm(CHANGE):
        if objection.state == State.RECEIVED:
            context["accept_form"] = forms.get("accept_form") or AcceptForm(initial=initial)
        elif objection.state == State.ACCEPTED:
            context["decide_form"] = forms.get("decide_form") or DecideForm(initial=initial)
            context["record_forms"] = forms.get("record_forms") or record_forms(
                _decision_records(objection)
            )
        elif objection.state == State.DECIDED:
            context["notify_form"] = forms.get("notify_form") or NotifyForm(initial=initial)
            context["default_notice"] = services.default_notice(objection)
        elif objection.state == State.NOTIFIED:
            context["push_form"] = forms.get("push_form") or PushForm(initial=initial)
    return render(request, "objections/detail.html", context, status=status)


def _objection(pk: int) -> Objection:
    return get_object_or_404(Objection.objects.select_related("employer"), pk=pk)


@permission_required(VIEW)
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _objection(pk))


def _as_seen(objection: Objection, form: Any) -> Objection:
    """The objection as the officer's page showed it: the version posted with the form."""
    objection.version = form.cleaned_data["version"]
    return objection


def _step(
    request: HttpRequest, pk: int, form_class: Any, key: str, call: Any, done: str
) -> HttpResponse:
    objection = _objection(pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(_as_seen(objection, form), form.cleaned_data)
        except Refused as refused:
            if {"objection-conflict", "objection-state"} & set(refused.codes):
                for problem in refused.problems:
                    messages.error(request, problem.message)
                return redirect("objections:detail", pk)
            form.show_problems(refused.problems)
        else:
            messages.success(request, done)
            return redirect("objections:detail", pk)
    return _detail(request, _objection(pk), status=400, **{key: form})


@permission_required(CHANGE)
@require_POST
def objection_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """受理: 本局自行处理 (3 working days) or 需向有关部门核实 (10, with the reason) — 第二十条."""
    return _step(
        request,
        pk,
        AcceptForm,
        "accept_form",
        lambda o, d: services.objection_accept(
            objection=o,
            handling=d["handling"],
            verify_reason=d["verify_reason"],
            actor=_actor(request),
        ),
        "异议已受理。",
    )


@permission_required(CHANGE)
@require_POST
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """作出处理决定: upheld (records voided or corrected, grade recomputed) or rejected."""
    objection = _objection(pk)
    form = DecideForm(request.POST)
    rows = record_forms(_decision_records(objection), request.POST)
    corrections: list[services.Correction] = []
    valid = form.is_valid()
    for row in rows:
        if not row["action"].is_valid():
            valid = False
            continue
        action = row["action"].cleaned_data["action"]
        if action == "void":
            corrections.append(services.Correction(row["record"], "void"))
        elif action == "correct":
            if row["change"].is_valid():
                changes = row["change"].changed_values(row["record"])
                corrections.append(services.Correction(row["record"], "correct", changes))
            else:
                valid = False
    if valid:
        try:
            services.objection_decide(
                objection=_as_seen(objection, form),
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                corrections=corrections,
                actor=_actor(request),
            )
        except Refused as refused:
            if {"objection-conflict", "objection-state"} & set(refused.codes):
                for problem in refused.problems:
                    messages.error(request, problem.message)
                return redirect("objections:detail", pk)
            form.show_problems(refused.problems)
        else:
            messages.success(request, "处理决定已作出。")
            return redirect("objections:detail", pk)
    return _detail(request, _objection(pk), status=400, decide_form=form, record_forms=rows)


@permission_required(CHANGE)
@require_POST
def objection_notify(request: HttpRequest, pk: int) -> HttpResponse:
    """告知申请人: the notice the employer reads in the portal."""
    return _step(
        request,
        pk,
        NotifyForm,
        "notify_form",
        lambda o, d: services.objection_notify(objection=o, text=d["text"], actor=_actor(request)),
        "已告知申请人。",
    )


@permission_required(CHANGE)
@require_POST
def objection_push(request: HttpRequest, pk: int) -> HttpResponse:
    """登记推送: the result pushed to the city credit information sharing platform."""
    return _step(
        request,
        pk,
        PushForm,
        "push_form",
        lambda o, d: services.objection_push_record(
            objection=o, reference=d["reference"], actor=_actor(request)
        ),
        "推送情况已登记。",
    )


@permission_required(VIEW)
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """An attachment, always as a download with its sniffed type; the reading is audited."""
    objection = _objection(pk)
    attachment = selectors.attachment_of(objection=objection, pk=attachment_pk)
    if attachment is None:
        raise Http404
    try:
        path = services.objection_attachment_open(attachment=attachment, actor=_actor(request))
    except Refused as refused:
        messages.error(request, refused.problems[0].message)
        return redirect("objections:detail", pk)
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=attachment.download_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _month(request: HttpRequest) -> tuple[MonthForm, tuple[int, int]]:
    today = timezone.localdate()
    form = MonthForm({"month": request.GET.get("month") or f"{today:%Y-%m}"})
    if form.is_valid():
        year, month = form.cleaned_data["month"].split("-")
        return form, (int(year), int(month))
    return form, (today.year, today.month)


@permission_required(VIEW)
def objection_report(request: HttpRequest) -> HttpResponse:
    """月度报告: counts, outcomes and deadlines met (第二十条)."""
    form, (year, month) = _month(request)
    report = selectors.objection_month_report(year=year, month=month)
    status = 200 if form.is_valid() else 400
    context = {"form": form, "report": report, "month": f"{year:04d}-{month:02d}"}
    return render(request, "objections/report.html", context, status=status)


@permission_required(VIEW)
def objection_report_download(request: HttpRequest) -> HttpResponse:
    """The monthly report as .xlsx (figures, then one row per objection); the export is audited."""
    form, (year, month) = _month(request)
    if not form.is_valid():
        return objection_report(request)
    report = selectors.objection_month_report(year=year, month=month)
    rows: list[list[Any]] = [[label, count, "", "", "", ""] for label, count in report.lines()]
    rows.append(["", "", "", "", "", ""])
    rows.append(["异议编号", "单位名称", "收到日期", "状态", "处理期限", "是否按期告知"])
    for v in report.rows:
        met = {True: "按期", False: "逾期", None: "逾期未告知" if v.overdue else "处理中"}[v.met]
        rows.append([v.objection.number, v.objection.employer.name,
                     v.objection.received_on.isoformat(), v.state_label,
                     v.due.describe() if v.due else "", met])  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "report.xlsx"
        with transaction.atomic():
            write_xlsx(target, report.title[:31], ["项目", "数量", "", "", "", ""], rows)
            audit_append(
                event="export",
                object_type="export",
                object_id=f"objection_report:{year:04d}-{month:02d}",
                data={"reason": f"{report.title}（月度报告）", "rows": len(report.rows)},
            )
        content = target.read_bytes()
    response = HttpResponse(content, content_type=XLSX)
    filename = quote(f"{report.title}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response
