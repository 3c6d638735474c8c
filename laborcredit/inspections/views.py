"""日常巡视检查 (双随机): the plans and their draw, a plan's list with its seed, verification,
publication and download, the result form of the two drawn inspectors, and the roster."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from laborcredit.credit.models import Employer
from laborcredit.inspections import services
from laborcredit.inspections.models import (
    ConflictDeclaration,
    InspectionPlan,
    Inspector,
    PlannedInspection,
)
from laborcredit.lib.errors import Refused
from laborcredit.lib.forms import Form
from laborcredit.rules import inspections as rules
from laborcredit.rules.parameters import IN_FORCE_FROM
from laborcredit.rules.validation import Problem
from laborcredit.web.employer_selectors import badge_class

VIEW = "inspections.view_inspectionplan"
DRAW = "inspections.add_inspectionplan"
PUBLISH = "inspections.change_inspectionplan"
RECORD = "inspections.record_inspection_result"
VIEW_ROSTER = "inspections.view_inspector"
ADD_INSPECTOR = "inspections.add_inspector"
CHANGE_INSPECTOR = "inspections.change_inspector"
DECLARE = "inspections.add_conflictdeclaration"
PAGE = 200


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _error(problem: Problem) -> forms.ValidationError:
    """A service's refusal as a form error, keeping its stable code."""
    return forms.ValidationError(problem.message, code=problem.code)


def _problems_to_form(form: forms.Form, refused: Refused, fields: tuple[str, ...]) -> None:
    for problem in refused.problems:
        place = problem.place.split(".")[0]
        form.add_error(place if place in fields else None, _error(problem))


# ---------------------------------------------------------------- plans


class DrawForm(Form):
    kind = forms.ChoiceField(
        label="计划类型",
        choices=InspectionPlan.Kind.choices,
        error_messages={"required": "请选择计划类型", "invalid_choice": "计划类型无效"},
    )
    period = forms.CharField(
        label="期间",
        max_length=10,
        error_messages={"required": "请填写期间，年度如 2027，季度如 2027Q1"},
    )
    seed = forms.CharField(label="随机种子", required=False, max_length=25)
    rate_aplus = forms.CharField(label="A+级", max_length=8)
    rate_a = forms.CharField(label="A级", max_length=8)
    rate_b = forms.CharField(label="B级", max_length=8)
    rate_c = forms.CharField(label="C级", max_length=8)

    RATE_FIELDS = {"A+": "rate_aplus", "A": "rate_a", "B": "rate_b", "C": "rate_c"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for grade, name in self.RATE_FIELDS.items():
            self.fields[name].error_messages["required"] = f"请填写{grade}级的检查频次"

    def rates(self) -> dict[str, str]:
        return {grade: self.cleaned_data[name] for grade, name in self.RATE_FIELDS.items()}


def _draw_initial() -> dict[str, Any]:
    today = timezone.localdate()
    rates = rules.rates_on(max(today, rules.IN_FORCE_FROM))
    initial: dict[str, Any] = {"kind": "year", "period": str(today.year + 1)}
    initial.update({name: rates[grade] for grade, name in DrawForm.RATE_FIELDS.items()})
    return initial


@login_required
@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest) -> HttpResponse:
    """检查计划: every plan drawn, and the form that draws one."""
    if request.method == "POST":
        return _plan_draw(request)
    return _list_page(request, DrawForm(initial=_draw_initial()))


@permission_required(DRAW, raise_exception=True)
def _plan_draw(request: HttpRequest) -> HttpResponse:
    form = DrawForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_draw(
                period_start=services.parse_period(data["period"], data["kind"]),
                kind=data["kind"], seed=data["seed"] or None, rates=form.rates(),
                actor=request.user.get_username(),
            )  # fmt: skip
        except Refused as refused:
            for problem in refused.problems:
                place = problem.place
                if place.startswith("rates."):
                    form.add_error(DrawForm.RATE_FIELDS.get(place[6:]), _error(problem))
                else:
                    form.add_error(place if place in ("period", "seed", "kind") else None,
                                   _error(problem))  # fmt: skip
        else:
            messages.success(
                request, f"已抽取第 {plan.pk} 号检查计划（草稿），随机种子 {plan.seed}"
            )
            return _see_other(reverse("inspections:detail", args=[plan.pk]))
    return _list_page(request, form, status=400)


def _list_page(request: HttpRequest, form: DrawForm, status: int = 200) -> HttpResponse:
    plans = InspectionPlan.objects.order_by("-period_start", "-id")[:100]
    context = {
        "form": form,
        "plans": [(plan, [plan.counts.get(g, 0) for g in rules.GRADES]) for plan in plans],
        "grades": rules.GRADES,
        "rate_articles": rules.RATE_ARTICLES,
        "rate_fields": [(g, form[n]) for g, n in DrawForm.RATE_FIELDS.items()],
        "roster_size": Inspector.objects.filter(active=True, user__is_active=True).count(),
    }
    return render(request, "inspections/list.html", context, status=status)


def _plan_context(request: HttpRequest, plan: InspectionPlan) -> dict[str, Any]:
    try:
        after = max(int(request.GET.get("after") or 0), 0)
    except ValueError:
        after = 0
    user = request.user
    inspections = plan.inspections.select_related(
        "employer", "inspector_1__user", "inspector_2__user"
    )
    # An inspector's own inspections, those still without a result first of all: a plan of
    # hundreds lists each inspector's few among everyone's.
    mine = request.GET.get("mine") == "1"
    pending = request.GET.get("pending") == "1"
    if mine:
        inspections = inspections.filter(
            Q(inspector_1__user_id=user.pk) | Q(inspector_2__user_id=user.pk)
        )
    if pending:
        inspections = inspections.filter(result=PlannedInspection.Result.PENDING)
    rows = list(inspections.filter(order__gt=after).order_by("order")[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    kept = {k: "1" for k, v in (("mine", mine), ("pending", pending)) if v}
    return {
        "mine": mine,
        "pending": pending,
        "kept": urlencode(kept),
        "is_inspector": plan.inspections.filter(
            Q(inspector_1__user_id=user.pk) | Q(inspector_2__user_id=user.pk)
        ).exists(),
        "plan": plan,
        "summary": services.plan_summary(plan),
        "counts": [(g, plan.counts.get(g, 0), plan.rates.get(g)) for g in rules.GRADES],
        "total": sum(plan.counts.values()),
        "rows": [
            (row, plan.is_published and row.is_drawn(user), badge_class(row.grade)) for row in rows
        ],
        "after": after,
        "next_after": rows[-1].order if more else None,
        "can_publish": not plan.is_published and user.has_perm(PUBLISH),
        "can_record": user.has_perm(RECORD),
        "rate_articles": rules.RATE_ARTICLES,
        "inputs": {
            "employers": len(plan.inputs.get("employers", [])),
            "inspectors": len(plan.inputs.get("inspectors", [])),
            "conflicts": len(plan.inputs.get("conflicts", [])),
            "last": len(plan.inputs.get("last_inspectors", {})),
            "ungraded": plan.inputs.get("ungraded", 0),
            "rates_default": plan.inputs.get("rates_default", True),
        },
    }


@login_required
@permission_required(VIEW, raise_exception=True)
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    """One plan: the seed, the rates, the list in order with grades and inspectors."""
    plan = get_object_or_404(InspectionPlan, pk=plan_id)
    return render(request, "inspections/detail.html", _plan_context(request, plan))


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def plan_verify(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Re-run the draw from the stored seed and inputs; anyone who may read the plan may check it."""
    plan = get_object_or_404(InspectionPlan, pk=plan_id)
    check = services.plan_redraw_check(plan)
    context = {**_plan_context(request, plan), "check": check}
    return render(request, "inspections/detail.html", context)


@login_required
@permission_required(PUBLISH, raise_exception=True)
@require_POST
def plan_publish(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(InspectionPlan, pk=plan_id)
    try:
        services.plan_publish(plan=plan, actor=request.user.get_username())
    except Refused as refused:
        context = {
            **_plan_context(request, plan),
            "problems": [p.message for p in refused.problems],
        }
        return render(request, "inspections/detail.html", context, status=400)
    messages.success(request, f"第 {plan.pk} 号检查计划已公布")
    return _see_other(reverse("inspections:detail", args=[plan.pk]))


@login_required
@permission_required(VIEW, raise_exception=True)
def plan_download(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan as .xlsx (an audited export)."""
    plan = get_object_or_404(InspectionPlan, pk=plan_id)
    folder = Path(tempfile.mkdtemp(prefix="inspection-plan-"))
    target = folder / f"plan-{plan.pk}.xlsx"
    services.plan_export(plan=plan, target=target)
    name = f"{plan.period_label}日常巡视检查计划（第{plan.pk}号）.xlsx"
    handle = target.open("rb")
    target.unlink()  # the open handle keeps the data; nothing is left on disk
    folder.rmdir()
    return FileResponse(handle, as_attachment=True, filename=name)


@login_required
@permission_required(VIEW, raise_exception=True)
def plan_inputs(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The seed, rates, stored inputs and list as JSON, so that anyone can re-run the draw."""
    plan = get_object_or_404(InspectionPlan, pk=plan_id)
    document = services.plan_inputs_export(plan=plan)
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    name = quote(f"{plan.period_label}检查计划（第{plan.pk}号）抽取输入.json")
    response["Content-Disposition"] = f"attachment; filename*=utf-8''{name}"
    return response


# ---------------------------------------------------------------- results


class ResultForm(Form):
    date = forms.DateField(
        label="检查日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "请填写检查日期",
            "invalid": "检查日期格式应为 YYYY-MM-DD，例如 2026-11-24",
        },
    )
    violation = forms.TypedChoiceField(
        label="检查结果",
        choices=[("no", "未发现违法行为"), ("yes", "发现违法行为")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择检查结果", "invalid_choice": "检查结果无效"},
    )
    case = forms.CharField(label="案件编号", required=False, max_length=100)
    correction_deadline = forms.DateField(
        label="整改期限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "整改期限格式应为 YYYY-MM-DD"},
    )
    facts = forms.CharField(
        label="违法事实",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="发现违法行为时填写：记入信用记录，用人单位可以查看，并向授权部门共享",
    )
    notes = forms.CharField(
        label="检查情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="内部记录，只保存在本次检查中，不记入信用记录",
    )


@login_required
@permission_required(RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
def inspection_result(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """录入检查结果: only the two inspectors drawn for this inspection."""
    inspection = get_object_or_404(
        PlannedInspection.objects.select_related(
            "plan", "employer", "inspector_1__user", "inspector_2__user", "record"
        ),
        pk=inspection_id,
    )
    if not inspection.is_drawn(request.user):
        raise PermissionDenied("只有抽取到的两名监察员可以录入该检查的结果")
    status = 200
    problems: list[str] = []
    plan = inspection.plan
    today = timezone.localdate()
    if request.method == "POST":
        form = ResultForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.inspection_result_record(
                    inspection=inspection, date=data["date"], violation=data["violation"],
                    case=data["case"], notes=data["notes"], facts=data["facts"],
                    correction_deadline=data["correction_deadline"],
                    actor=request.user.get_username(),
                )  # fmt: skip
            except Refused as refused:
                _problems_to_form(
                    form, refused, ("date", "case", "correction_deadline", "facts", "notes")
                )
            else:
                messages.success(request, f"已录入 {inspection.employer.name} 的检查结果")
                return _see_other(reverse("inspections:detail", args=[inspection.plan_id]))
        status = 400
    else:
        # A result entered after the period is dated within it: offer its last day, not today.
        form = ResultForm(initial={"date": min(today, plan.period_end), "violation": "no"})
    # The date picker offers the days the service accepts: in the plan's period, not after today.
    form.fields["date"].widget.attrs.update(
        min=max(plan.period_start, IN_FORCE_FROM).isoformat(),
        max=min(today, plan.period_end).isoformat(),
    )
    if not plan.is_published:
        problems.append("检查计划尚未公布，公布后才能录入检查结果")
    if today < plan.period_start:
        problems.append(f"计划期间自 {plan.period_start:%Y-%m-%d} 开始，届时才能录入检查结果")
    context = {
        "inspection": inspection,
        "plan": plan,
        "form": form,
        "problems": problems,
    }
    return render(request, "inspections/result.html", context, status=status)


# ---------------------------------------------------------------- roster


class InspectorAddForm(Form):
    user = forms.ModelChoiceField(
        label="账号",
        queryset=get_user_model().objects.none(),
        error_messages={"required": "请选择账号", "invalid_choice": "所选账号不能登记为监察员"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = services.inspector_candidates()  # type: ignore[attr-defined]
        field.label_from_instance = lambda u: (  # type: ignore[attr-defined]
            f"{u.get_full_name()}（{u.get_username()}）" if u.get_full_name() else u.get_username()
        )


class ConflictForm(Form):
    inspector = forms.ModelChoiceField(
        label="监察员",
        queryset=Inspector.objects.select_related("user"),
        error_messages={"required": "请选择监察员", "invalid_choice": "所选监察员不在名册中"},
    )
    uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=18,
        error_messages={"required": "请填写统一社会信用代码"},
    )
    reason = forms.CharField(
        label="利害关系说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_uscc(self) -> Employer:
        code = self.cleaned_data["uscc"].strip().upper()
        employer = Employer.objects.filter(uscc=code).first()
        if employer is None:
            raise forms.ValidationError(
                f"没有统一社会信用代码为 {code} 的单位", code="employer-unknown"
            )
        return employer


def _roster_page(
    request: HttpRequest,
    add_form: InspectorAddForm | None = None,
    conflict_form: ConflictForm | None = None,
    status: int = 200,
) -> HttpResponse:
    conflicts = ConflictDeclaration.objects.select_related("inspector__user", "employer")
    context = {
        "inspectors": Inspector.objects.select_related("user").order_by("user__username"),
        "conflicts": conflicts[:500],
        "add_form": add_form or InspectorAddForm(),
        "conflict_form": conflict_form or ConflictForm(),
        "can_add": request.user.has_perm(ADD_INSPECTOR),
        "can_change": request.user.has_perm(CHANGE_INSPECTOR),
        "can_declare": request.user.has_perm(DECLARE),
    }
    return render(request, "inspections/roster.html", context, status=status)


@login_required
@permission_required(VIEW_ROSTER, raise_exception=True)
def roster(request: HttpRequest) -> HttpResponse:
    """监察员名册 and 回避申报."""
    return _roster_page(request)


@login_required
@permission_required(VIEW_ROSTER, raise_exception=True)
@permission_required(ADD_INSPECTOR, raise_exception=True)
@require_POST
def roster_add(request: HttpRequest) -> HttpResponse:
    form = InspectorAddForm(request.POST)
    if form.is_valid():
        try:
            inspector = services.inspector_add(
                user=form.cleaned_data["user"], actor=request.user.get_username()
            )
        except Refused as refused:
            _problems_to_form(form, refused, ("user",))
        else:
            messages.success(request, f"已将 {inspector.label} 登记入监察员名册")
            return _see_other(reverse("inspections:roster"))
    return _roster_page(request, add_form=form, status=400)


@login_required
@permission_required(VIEW_ROSTER, raise_exception=True)
@permission_required(CHANGE_INSPECTOR, raise_exception=True)
@require_POST
def roster_active(request: HttpRequest, inspector_id: int) -> HttpResponse:
    inspector = get_object_or_404(Inspector.objects.select_related("user"), pk=inspector_id)
    active = request.POST.get("active") == "1"
    try:
        services.inspector_set_active(
            inspector=inspector, active=active, actor=request.user.get_username()
        )
    except Refused as refused:
        messages.error(request, "；".join(p.message for p in refused.problems))
    else:
        state = "恢复参加抽取" if active else "停止参加抽取"
        messages.success(request, f"监察员 {inspector.label} 已{state}")
    return _see_other(reverse("inspections:roster"))


@login_required
@permission_required(VIEW_ROSTER, raise_exception=True)
@permission_required(DECLARE, raise_exception=True)
@require_POST
def conflict_add(request: HttpRequest) -> HttpResponse:
    form = ConflictForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.conflict_declare(
                inspector=data["inspector"], employer=data["uscc"], reason=data["reason"],
                actor=request.user.get_username(),
            )  # fmt: skip
        except Refused as refused:
            _problems_to_form(form, refused, ("reason",))
        else:
            messages.success(
                request, f"已登记监察员 {data['inspector'].label} 对 {data['uscc'].name} 的回避"
            )
            return _see_other(reverse("inspections:roster"))
    return _roster_page(request, conflict_form=form, status=400)
