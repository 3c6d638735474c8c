"""Writes of the routine-inspection plans: the roster, 回避, the draw, its re-check, publication,
export and results. Every write is audited in its own transaction."""

from __future__ import annotations

import calendar
import datetime
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from laborcredit.audit.services import audit_append
from laborcredit.credit.models import Disclosure, Employer
from laborcredit.inspections.models import (
    ConflictDeclaration,
    InspectionPlan,
    Inspector,
    PlannedInspection,
)
from laborcredit.lib.errors import Refused
from laborcredit.measures.services import BUREAU
from laborcredit.rating.models import EmployerGrade
from laborcredit.rules import inspections as rules
from laborcredit.rules.parameters import IN_FORCE_FROM
from laborcredit.rules.validation import Problem

RESULT_PERMISSION = ("inspections", "record_inspection_result")
SEED_MAX = 2**63 - 1
Kind = InspectionPlan.Kind


# ---------------------------------------------------------------- periods

FUTURE_YEARS = 1
"""How far ahead a plan may be drawn: up to the next calendar year (as the draw form suggests), so
that the coming year's annual plan and its four quarterly plans can be drawn in good time. A
plan further ahead would be drawn on grades that will have been evaluated again by then."""


def period_bounds(kind: str, period_start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of a year or a quarter; refused unless `period_start` starts one."""
    if kind == Kind.YEAR and (period_start.month, period_start.day) == (1, 1):
        return period_start, datetime.date(period_start.year, 12, 31)
    if kind == Kind.QUARTER and period_start.day == 1 and period_start.month in (1, 4, 7, 10):
        last_month = period_start.month + 2
        last_day = calendar.monthrange(period_start.year, last_month)[1]
        return period_start, datetime.date(period_start.year, last_month, last_day)
    if kind not in Kind.values:
        raise Refused.one(
            "kind", f"计划类型应为年度（year）或季度（quarter），收到“{kind}”", "kind-invalid"
        )
    what = "1月1日" if kind == Kind.YEAR else "1月、4月、7月或10月的1日"
    raise Refused.one("period", f"计划的起始日期应为{what}", "period-invalid")


def _label(kind: str, period_start: datetime.date) -> str:
    return InspectionPlan(kind=kind, period_start=period_start).period_label


def _first_period(kind: str) -> datetime.date:
    """The first period the 办法 applies to: the year or quarter it took effect in (第二十二条)."""
    if kind == Kind.YEAR:
        return datetime.date(IN_FORCE_FROM.year, 1, 1)
    return datetime.date(IN_FORCE_FROM.year, (IN_FORCE_FROM.month - 1) // 3 * 3 + 1, 1)


def _too_early(kind: str) -> Refused:
    return Refused.one(
        "period",
        f"《办法》自{IN_FORCE_FROM.year}年{IN_FORCE_FROM.month}月{IN_FORCE_FROM.day}日起施行"
        f"（第二十二条），计划期间不能早于{_label(kind, _first_period(kind))}",
        "period-before-in-force",
    )


def period_check(kind: str, period_start: datetime.date) -> None:
    """Refused unless the period lies between the one the 办法 took effect in and next year."""
    if period_start < _first_period(kind):
        raise _too_early(kind)
    last_year = timezone.localdate().year + FUTURE_YEARS
    if period_start.year > last_year:
        raise Refused.one(
            "period",
            f"计划期间最晚为明年（{last_year}年）；{_label(kind, period_start)}的计划"
            f"请到{period_start.year - FUTURE_YEARS}年再抽取",
            "period-too-far-ahead",
        )


def parse_period(text: str, kind: str) -> datetime.date:
    """The first day of a period written 2027 (a year) or 2027Q2 / 2027-Q2 (a quarter)."""
    value = (text or "").strip().upper().replace("-", "")
    if kind == Kind.YEAR and value.isdigit() and len(value) == 4:
        year, month = int(value), 1
    elif (
        kind == Kind.QUARTER
        and len(value) == 6
        and value[:4].isdigit()
        and value[4] == "Q"
        and value[5] in "1234"
    ):
        year, month = int(value[:4]), 3 * int(value[5]) - 2
    else:
        example = "2027" if kind == Kind.YEAR else "2027Q1 至 2027Q4"
        raise Refused.one("period", f"计划期间应写作 {example}，收到“{text}”", "period-invalid")
    if year < datetime.MINYEAR:  # 0000: no such year, and long before the 办法 in any case
        raise _too_early(kind)
    return datetime.date(year, month, 1)


# ---------------------------------------------------------------- roster


def inspector_candidates() -> Any:
    """Active users in the inspector role (holding the result permission), not yet on the roster."""
    app_label, codename = RESULT_PERMISSION
    held = Q(
        groups__permissions__content_type__app_label=app_label,
        groups__permissions__codename=codename,
    ) | Q(
        user_permissions__content_type__app_label=app_label,
        user_permissions__codename=codename,
    )
    return (
        get_user_model()
        .objects.filter(held, is_active=True, inspector__isnull=True)
        .distinct()
        .order_by("username")
    )


@transaction.atomic
def inspector_add(*, user: Any, actor: str) -> Inspector:
    """Put a user in the inspector role on the roster the draw takes inspectors from."""
    if Inspector.objects.filter(user=user).exists():
        raise Refused.one("user", f"{user.get_username()} 已在监察员名册中", "inspector-exists")
    if not inspector_candidates().filter(pk=user.pk).exists():
        raise Refused.one(
            "user",
            f"{user.get_username()} 不是有效的监察员账号（须为启用状态并具有监察员角色）",
            "not-inspector",
        )
    inspector = Inspector.objects.create(user=user, added_by=actor)
    audit_append(
        event="inspector_add",
        object_type="inspector",
        object_id=inspector.pk,
        data={"inspector": inspector.label},
    )
    return inspector


@transaction.atomic
def inspector_set_active(*, inspector: Inspector, active: bool, actor: str) -> Inspector:
    """Take an inspector out of future draws (leave, transfer) or back in; plans drawn stay."""
    changed = Inspector.objects.filter(pk=inspector.pk, active=not active).update(active=active)
    if not changed:
        state = "已参加抽取" if active else "已停止参加抽取"
        raise Refused.one("inspector", f"监察员 {inspector.label} {state}", "inspector-unchanged")
    inspector.refresh_from_db()
    audit_append(
        event="inspector_status_change",
        object_type="inspector",
        object_id=inspector.pk,
        data={"inspector": inspector.label, "status": "参加抽取" if active else "停止参加抽取"},
    )
    return inspector


@transaction.atomic
def conflict_declare(
    *, inspector: Inspector, employer: Employer, reason: str, actor: str
) -> ConflictDeclaration:
    """回避: record that an inspector has an interest in an employer; it is never drawn for it."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused.one("reason", "请说明利害关系（回避事由）", "reason-missing")
    if ConflictDeclaration.objects.filter(inspector=inspector, employer=employer).exists():
        raise Refused.one(
            "employer",
            f"监察员 {inspector.label} 对 {employer.name} 的回避已登记",
            "conflict-exists",
        )
    declaration = ConflictDeclaration.objects.create(
        inspector=inspector, employer=employer, reason=reason, declared_by=actor
    )
    audit_append(
        event="conflict_declare",
        object_type="conflict_declaration",
        object_id=declaration.pk,
        data={"inspector": inspector.label, "employer": employer.uscc, "reason": reason},
    )
    return declaration


# ---------------------------------------------------------------- the draw


def _rates(
    rates: dict[str, Any] | None, period_start: datetime.date
) -> tuple[dict[str, str], bool]:
    if rates is None:
        return rules.rates_on(max(period_start, IN_FORCE_FROM)), True
    problems = rules.rate_problems(rates)
    if problems:
        raise Refused(
            [Problem(f"rates.{grade}", message, "rate-invalid") for grade, message in problems]
        )
    cleaned = {grade: str(rates[grade]).strip() for grade in rules.GRADES}
    return cleaned, cleaned == rules.rates_on(max(period_start, IN_FORCE_FROM))


def _last_inspectors(period_start: datetime.date) -> dict[str, list[str]]:
    """For each employer, the inspectors of its last inspection: in the latest earlier published
    plan that lists it, the one with the latest result date, else the last one listed."""
    last: dict[str, list[str]] = {}
    rows = (
        PlannedInspection.objects.filter(
            plan__status=InspectionPlan.Status.PUBLISHED,
            plan__period_start__lt=period_start,
            inspector_1__isnull=False,
        )
        .order_by("plan__period_start", "plan_id", F("result_date").asc(nulls_first=True), "order")
        .values_list("employer__uscc", "inspector_1__user__username", "inspector_2__user__username")
    )
    for uscc, first, second in rows.iterator(chunk_size=2000):
        last[uscc] = sorted(name for name in (first, second) if name)
    return last


def draw_inputs(period_start: datetime.date, kind: str) -> dict[str, Any]:
    """Everything the draw depends on, as stored with the plan so that it can be re-run later."""
    grades = EmployerGrade.objects.values_list("employer__uscc", "grade", "decision__decided_grade")
    employers = sorted(
        [uscc, decided or grade] for uscc, grade, decided in grades.iterator(chunk_size=5000)
    )
    roster = Inspector.objects.filter(active=True, user__is_active=True)
    inspectors = sorted(roster.values_list("user__username", flat=True))
    conflicts = sorted(
        [name, uscc]
        for name, uscc in ConflictDeclaration.objects.filter(inspector__in=roster).values_list(
            "inspector__user__username", "employer__uscc"
        )
    )
    return {
        "period_years": str(rules.PERIOD_YEARS[kind]),
        "employers": employers,
        "inspectors": inspectors,
        "conflicts": conflicts,
        "last_inspectors": _last_inspectors(period_start),
        "ungraded": Employer.objects.filter(current_grade__isnull=True).count(),
    }


def run_draw(*, seed: int, rates: dict[str, Any], inputs: dict[str, Any]) -> list[rules.Inspection]:
    """The pure draw (rules.inspections.draw) on a plan's stored inputs."""
    return rules.draw(
        seed=seed,
        period_years=inputs["period_years"],
        employers=[tuple(pair) for pair in inputs["employers"]],
        inspectors=inputs["inspectors"],
        conflicts={tuple(pair) for pair in inputs["conflicts"]},
        last_inspectors=inputs["last_inspectors"],
        rates=rates,
    )


def _seed(seed: Any) -> int:
    if seed is None or seed == "":
        return secrets.randbelow(SEED_MAX) + 1
    try:
        value = int(str(seed).strip())
    except ValueError:
        value = -1
    if not 0 <= value <= SEED_MAX:
        raise Refused.one(
            "seed", f"随机种子应为 0 至 {SEED_MAX} 之间的整数，收到“{seed}”", "seed-invalid"
        )
    return value


@transaction.atomic
def plan_draw(
    *,
    period_start: datetime.date,
    kind: str,
    seed: Any = None,
    rates: dict[str, Any] | None = None,
    actor: str,
) -> InspectionPlan:
    """双随机: draw a period's routine inspections (employers by grade, two inspectors each)."""
    period_start, period_end = period_bounds(kind, period_start)
    period_check(kind, period_start)
    seed = _seed(seed)
    rates, default = _rates(rates, period_start)
    published = InspectionPlan.objects.filter(
        kind=kind, period_start=period_start, status=InspectionPlan.Status.PUBLISHED
    ).first()
    if published is not None:
        raise Refused.one(
            "period",
            f"{published.period_label}的检查计划已公布（第 {published.pk} 号），不能重新抽取",
            "plan-published",
        )
    inputs = draw_inputs(period_start, kind)
    if not inputs["employers"]:
        raise Refused.one("period", "没有已评定信用等级的用人单位，无法抽取", "pool-empty")
    if len(inputs["inspectors"]) < rules.INSPECTORS_PER_INSPECTION:
        raise Refused.one(
            "roster",
            f"监察员名册中参加抽取的监察员不足{rules.INSPECTORS_PER_INSPECTION}名"
            f"（现有{len(inputs['inspectors'])}名），请先在名册中登记监察员",
            "roster-too-small",
        )
    inputs["rates_default"] = default
    drawn = run_draw(seed=seed, rates=rates, inputs=inputs)
    counts = rules.inspections_per_grade(drawn)
    plan = InspectionPlan.objects.create(
        kind=kind, period_start=period_start, period_end=period_end, seed=seed, rates=rates,
        inputs=inputs, counts=counts, created_by=actor,
        unassigned_count=sum(1 for i in drawn if not i.inspectors),
    )  # fmt: skip
    employers = dict(
        Employer.objects.filter(uscc__in={i.employer for i in drawn}).values_list("uscc", "pk")
    )
    roster = {i.key: i for i in Inspector.objects.select_related("user")}
    PlannedInspection.objects.bulk_create(
        [
            PlannedInspection(
                plan=plan,
                order=i.order,
                employer_id=employers[i.employer],
                grade=i.grade,
                inspector_1=roster[i.inspectors[0]] if i.inspectors else None,
                inspector_2=roster[i.inspectors[1]] if i.inspectors else None,
                unassigned_reason=i.unassigned_reason,
            )
            for i in drawn
        ],
        batch_size=2000,
    )
    audit_append(
        event="inspection_plan_draw",
        object_type="inspection_plan",
        object_id=plan.pk,
        data={
            "seed": str(seed),
            "period": plan.period_label,
            "kind": kind,
            "rates": rates,
            "rates_default": default,
            "total": len(drawn),
            "counts": counts,
            "unassigned": plan.unassigned_count,
            "pool": len(inputs["employers"]),
            "inspectors": len(inputs["inspectors"]),
        },
    )
    return plan


def stored_list(plan: InspectionPlan) -> list[rules.Inspection]:
    """The plan's list as stored, in the form the draw gives it."""
    rows = plan.inspections.order_by("order").values_list(
        "employer__uscc", "grade", "order", "inspector_1__user__username",
        "inspector_2__user__username", "unassigned_reason",
    )  # fmt: skip
    return [
        rules.Inspection(uscc, grade, order, tuple(n for n in (a, b) if n), reason)
        for uscc, grade, order, a, b, reason in rows
    ]


@dataclass
class RedrawCheck:
    identical: bool
    total: int
    differences: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if self.identical:
            return f"重新抽取结果与计划完全一致（共 {self.total} 次检查）"
        return f"重新抽取结果与计划不一致（{len(self.differences)} 处不同）"


@transaction.atomic
def plan_redraw_check(plan: InspectionPlan) -> RedrawCheck:
    """Re-run the draw from the plan's seed, rates and stored inputs; compare with its list."""
    again = run_draw(seed=plan.seed, rates=plan.rates, inputs=plan.inputs)
    stored = stored_list(plan)
    differences = []
    for order in range(1, max(len(again), len(stored)) + 1):
        a = again[order - 1] if order <= len(again) else None
        s = stored[order - 1] if order <= len(stored) else None
        if a != s:
            differences.append(f"第 {order} 项：计划中为{_describe(s)}，重新抽取为{_describe(a)}")
    check = RedrawCheck(identical=not differences, total=len(stored), differences=differences)
    audit_append(
        event="inspection_plan_verify",
        object_type="inspection_plan",
        object_id=plan.pk,
        data={"verdict": check.verdict, "identical": check.identical, "seed": str(plan.seed)},
    )
    return check


def _describe(inspection: rules.Inspection | None) -> str:
    if inspection is None:
        return "（无）"
    who = "、".join(inspection.inspectors) or "未指派"
    return f"“{inspection.employer}（{inspection.grade}级），{who}”"


@transaction.atomic
def plan_publish(*, plan: InspectionPlan, actor: str) -> InspectionPlan:
    """公布: the draft becomes the period's plan; the list is fixed and results can be entered."""
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_published:
        raise Refused.one("plan", f"检查计划第 {plan.pk} 号已公布", "plan-published")
    period_check(plan.kind, plan.period_start)  # a draft drawn before the bounds were checked
    if plan.unassigned_count:
        raise Refused.one(
            "plan",
            f"有 {plan.unassigned_count} 次检查未能指派两名监察员，不能公布；"
            "请补充监察员名册后重新抽取",
            "plan-unassigned",
        )
    other = InspectionPlan.objects.filter(
        kind=plan.kind, period_start=plan.period_start, status=InspectionPlan.Status.PUBLISHED
    ).first()
    if other is not None:
        raise Refused.one(
            "plan",
            f"{plan.period_label}已有公布的检查计划（第 {other.pk} 号）",
            "plan-published",
        )
    plan.status = InspectionPlan.Status.PUBLISHED
    plan.published_by = actor
    plan.published_at = timezone.now()
    try:
        with transaction.atomic():
            plan.save(update_fields=["status", "published_by", "published_at"])
    except IntegrityError:
        raise Refused.one(
            "plan", f"{plan.period_label}已有公布的检查计划", "plan-published"
        ) from None
    audit_append(event="inspection_plan_publish", object_type="inspection_plan", object_id=plan.pk)
    return plan


# ---------------------------------------------------------------- export


PLAN_HEADER = ["序号", "统一社会信用代码", "单位名称", "乡镇（街道）", "地址", "抽取时信用等级",
               "监察员一", "监察员二", "未指派原因", "检查结果", "检查日期"]  # fmt: skip


def plan_rows(plan: InspectionPlan) -> Any:
    inspections = plan.inspections.select_related(
        "employer", "inspector_1__user", "inspector_2__user"
    ).order_by("order")
    for i in inspections.iterator(chunk_size=2000):
        yield [i.order, i.employer.uscc, i.employer.name, i.employer.township, i.employer.address,
               i.grade, i.inspector_1.label if i.inspector_1 else "",
               i.inspector_2.label if i.inspector_2 else "", i.unassigned_reason,
               i.get_result_display(), i.result_date]  # fmt: skip


def plan_summary(plan: InspectionPlan) -> list[tuple[str, Any]]:
    """The plan's header, as the export and the plan page show it."""
    rates = "；".join(f"{g}级 {plan.rates[g]} 次/年" for g in rules.GRADES)
    return [
        ("计划", f"{plan.period_label}日常巡视检查计划（第 {plan.pk} 号）"),
        ("期间", f"{plan.period_start:%Y-%m-%d} 至 {plan.period_end:%Y-%m-%d}"),
        ("状态", plan.get_status_display()),
        ("随机种子", str(plan.seed)),
        ("检查频次", rates),
        ("依据", "第十四条(一)、第十五条(二)、第十六条、第十七条(二)；检查频次由市人社局确定"),
        ("抽取人", f"{plan.created_by}，{timezone.localtime(plan.created_at):%Y-%m-%d %H:%M}"),
        ("公布人", f"{plan.published_by}，{timezone.localtime(plan.published_at):%Y-%m-%d %H:%M}"
         if plan.published_at else "—"),
        ("复核方法", "用上述随机种子和本计划保存的抽取输入重新抽取，结果应与本名单完全一致"),
    ]  # fmt: skip


def plan_export(*, plan: InspectionPlan, target: str | Path) -> int:
    """The plan as an .xlsx (a sheet with the seed and rates, a sheet with the list); audited."""
    import openpyxl
    from openpyxl.styles import Font

    from laborcredit.lib.spreadsheets import text_cell, xlsx_rows

    target = Path(target)
    try:
        with transaction.atomic():
            workbook = openpyxl.Workbook(write_only=True)
            about = workbook.create_sheet("计划说明")
            for label, value in plan_summary(plan):
                about.append(
                    [text_cell(about, label, font=Font(bold=True)), text_cell(about, value)]
                )
            sheet = workbook.create_sheet("检查名单")
            sheet.freeze_panes = "A2"
            sheet.append([text_cell(sheet, h, font=Font(bold=True)) for h in PLAN_HEADER])
            count = 0
            for cells in xlsx_rows(sheet, plan_rows(plan)):
                sheet.append(cells)
                count += 1
            workbook.save(target)
            audit_append(
                event="export",
                object_type="inspection_plan",
                object_id=plan.pk,
                data={"reason": f"{plan.period_label}日常巡视检查计划", "rows": count,
                      "format": "xlsx", "file": target.name},
            )  # fmt: skip
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return count


@transaction.atomic
def plan_inputs_export(*, plan: InspectionPlan) -> dict[str, Any]:
    """Everything needed to re-run the draw outside this system, as JSON; audited."""
    document = {
        "plan": plan.pk,
        "period": plan.period_label,
        "algorithm": "laborcredit.rules.inspections.draw",
        "seed": plan.seed,
        "rates": plan.rates,
        **{k: v for k, v in plan.inputs.items() if k != "rates_default"},
        "list": [i.as_row() for i in stored_list(plan)],
    }
    audit_append(
        event="export",
        object_type="inspection_plan",
        object_id=plan.pk,
        data={"reason": f"{plan.period_label}检查计划的抽取输入（供复核）", "format": "json"},
    )
    return document


# ---------------------------------------------------------------- results


@transaction.atomic
def inspection_result_record(
    *,
    inspection: PlannedInspection,
    date: datetime.date,
    violation: bool,
    case: str = "",
    notes: str = "",
    facts: str = "",
    correction_deadline: datetime.date | None = None,
    actor: str,
) -> PlannedInspection:
    """One inspection's result; a violation found becomes a violation_found record (第十条、
    第十一条), which regrades the employer at once (第十三条).

    `notes` (检查情况) are the inspectors' own and stay with the inspection: they may name
    a complainant or colleagues. The record carries `facts` (违法事实), written for the
    employer to read, is shared with authorised departments rather than published (第七条),
    and names the bureau as the body that found the violation."""
    from laborcredit.credit.services import record_create

    inspection = (
        PlannedInspection.objects.select_for_update(of=("self",))
        .select_related("plan", "employer", "inspector_1__user", "inspector_2__user")
        .get(pk=inspection.pk)
    )
    plan = inspection.plan
    if not plan.is_published:
        raise Refused.one("plan", "检查计划尚未公布，不能录入检查结果", "plan-not-published")
    if inspection.result != PlannedInspection.Result.PENDING:
        raise Refused.one(
            "inspection",
            f"该检查已于 {inspection.result_date:%Y-%m-%d} 录入结果（{inspection.get_result_display()}）",
            "result-recorded",
        )
    if actor not in {i.key for i in inspection.inspectors}:
        raise Refused.one("inspection", "只有抽取到的两名监察员可以录入该检查的结果", "not-drawn")
    problems = []
    today = timezone.localdate()
    # The inspection is one of the period's: its date lies in the plan's period (a result may be
    # entered after the period, but dated when the inspection was made) and not after today.
    within = f"检查日期应在计划期间内（{plan.period_start:%Y-%m-%d} 至 {plan.period_end:%Y-%m-%d}）"
    if date > today:
        problems.append(
            Problem("date", f"检查日期不能晚于今天（{today:%Y-%m-%d}）", "date-in-future")
        )
    elif date < plan.period_start:
        problems.append(Problem("date", f"{within}，不能早于计划起始日期", "date-before-period"))
    elif date > plan.period_end:
        problems.append(Problem("date", f"{within}，不能晚于计划截止日期", "date-after-period"))
    elif date < IN_FORCE_FROM:  # the first periods (2022年, 2022年第4季度) began before it
        problems.append(
            Problem("date", f"检查日期不能早于《办法》施行日期 {IN_FORCE_FROM:%Y-%m-%d}（第二十二条）",
                    "date-before-in-force")
        )  # fmt: skip
    case = (case or "").strip()
    notes = (notes or "").strip()
    facts = (facts or "").strip()
    if violation and not case:
        problems.append(Problem("case", "发现违法行为的，请填写案件编号", "case-missing"))
    if not violation:
        # Nothing found, nothing to file: a case or deadline typed anyway would be lost.
        for name, value, label in (("case", case, "案件编号"),
                                   ("correction_deadline", correction_deadline, "整改期限"),
                                   ("facts", facts, "违法事实")):  # fmt: skip
            if value:
                problems.append(
                    Problem(name, f"未发现违法行为的，不填写{label}", "field-not-applicable")
                )
    if problems:
        raise Refused(problems)
    record = None
    if violation:
        record = record_create(
            employer=inspection.employer, type="violation_found", date=date, case=case,
            correction_deadline=correction_deadline,
            description=facts or "日常巡视检查发现违反人社法律法规的行为",
            disclosure=Disclosure.SHARED, issuing_body=BUREAU, source="inspection",
            source_ref=f"日常巡视检查计划第{plan.pk}号第{inspection.order}项", actor=actor,
        )  # fmt: skip
    inspection.result = (
        PlannedInspection.Result.VIOLATION if violation else PlannedInspection.Result.NO_VIOLATION
    )
    inspection.result_date = date
    inspection.notes = notes
    inspection.record = record
    inspection.result_by = actor
    inspection.result_at = timezone.now()
    inspection.save(
        update_fields=["result", "result_date", "notes", "record", "result_by", "result_at"]
    )
    audit_append(
        event="inspection_result_record",
        object_type="planned_inspection",
        object_id=inspection.pk,
        data={
            "employer": inspection.employer.uscc,
            "plan": plan.pk,
            "order": inspection.order,
            "result": inspection.get_result_display(),
            "date": date.isoformat(),
            "case": case,
            "record": record.pk if record else "",
        },
    )
    return inspection
