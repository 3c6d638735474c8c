"""Writes of 第二十一条 信用修复: the grade adjustment after a penalty's evaluation cycle ended.

Audited in the same transaction; a refusal (`Refused`) changes nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from laborcredit.audit.services import audit_append
from laborcredit.credit.models import Employer
from laborcredit.lib.errors import Refused
from laborcredit.rating.models import Cause, EmployerGrade, GradeChange
from laborcredit.rating.services import effective_records, employer_regrade
from laborcredit.repair.models import RepairAdjustment
from laborcredit.rules.repair import PENALTY_RULES, adjustment_deadline, last_repair
from laborcredit.rules.validation import Problem
from laborcredit.rules.vocabulary import Grade
from laborcredit.workdays.selectors import calendar


def _holds_penalty_c(current: EmployerGrade | None) -> bool:
    return current is not None and any(
        entry.get("rule") in PENALTY_RULES for entry in current.basis or ()
    )


@transaction.atomic
def repair_adjust(
    *, employer: Employer, actor: str, as_of: datetime.date | None = None, late_reason: str = ""
) -> RepairAdjustment:
    """第二十一条 对已纠正违法行为且履行行政处罚决定的，应当在评价周期满后5个工作日内调整其信用等级.

    Regrades the employer on `as_of` (today) and records the adjustment: grade before
    and after, who, when, whether within the deadline. Refused before the cycle has
    ended, while evidence is missing, or when this cycle's adjustment is recorded.
    When the grade had already left the penalty's C (a late record regrades at once,
    as does the daily `regrade --due`), that change is the adjustment and this records it.
    """
    today = timezone.localdate()
    as_of = as_of or today
    late_reason = late_reason.strip()
    if as_of > today:
        raise Refused.one("as_of", f"调整日期 {as_of} 晚于今天", "date-in-future")
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    current = EmployerGrade.objects.select_related("decision").filter(employer=employer).first()
    if current is not None and as_of < current.as_of:
        raise Refused.one(
            "as_of",
            f"调整日期 {as_of} 早于当前信用等级的评价日期 {current.as_of}",
            "date-before-current",
        )
    records = effective_records([employer.pk]).get(employer.pk, [])
    status = last_repair(records, as_of)
    if status is None:
        raise Refused.one(
            "employer",
            "该单位未因行政处罚被评为C级，无需依第二十一条调整信用等级",
            "repair-none",
        )
    problems = []
    if not status.repaired:
        problems.append(
            Problem(
                "employer",
                "尚未提交全部修复证据，不能调整信用等级（第二十一条）：尚需"
                + "、".join(status.remaining),
                "evidence-missing",
            )
        )
    if not status.cycle_ended:
        problems.append(
            Problem(
                "employer",
                f"评价周期尚未期满（{status.cycle_end} 期满），不能调整信用等级（第二十一条）",
                "cycle-not-ended",
            )
        )
    if problems:
        raise Refused(problems)
    done = RepairAdjustment.objects.filter(employer=employer, cycle_end=status.cycle_end).first()
    if done is not None:
        raise Refused.one(
            "employer",
            f"该评价周期（{status.cycle_end} 期满）的信用修复调整已由 {done.adjusted_by} "
            f"于 {timezone.localtime(done.adjusted_at):%Y-%m-%d %H:%M} 登记，不能重复调整",
            "already-adjusted",
        )
    deadline = adjustment_deadline(status, calendar())
    held = _holds_penalty_c(current)
    grade_before = current.official_grade if current is not None else ""
    employer_regrade(employer=employer, cause=Cause.TIME, actor=actor, as_of=as_of)
    after = EmployerGrade.objects.select_related("decision").get(employer=employer)
    notes = []
    adjusted_on = as_of
    if not held:
        lifted = (
            GradeChange.objects.filter(
                employer=employer, from_grade=Grade.C.value, as_of__gte=status.penalty_lifted_on
            )
            .order_by("-id")
            .first()
        )
        if lifted is not None:
            adjusted_on, grade_before = lifted.as_of, lifted.from_grade
            notes.append(
                f"信用等级已于 {lifted.as_of} 因“{lifted.get_cause_display()}”由系统重新评价为"
                f"{lifted.to_grade}级，本次登记确认该调整"
            )
    on_time = adjusted_on <= deadline.date
    if not on_time:
        if not late_reason:
            # Refused inside the transaction: the regrade above is undone with it.
            raise Refused.one(
                "late_reason",
                f"已超过调整期限 {deadline.date}（第二十一条：评价周期满后5个工作日内），"
                "请填写逾期原因",
                "late-reason-missing",
            )
        notes.append(f"超过调整期限 {deadline.date}，逾期原因：{late_reason}")
    if deadline.provisional:
        notes.append(f"调整期限为暂定：{deadline.describe()}")
    if after.official_grade == Grade.C.value:
        notes.append(
            status.other_causes_note
            or "行政处罚部分已修复，但重新评价后仍为C级："
            + "；".join(entry["reason"] for entry in after.basis)
        )
    adjustment = RepairAdjustment.objects.create(
        employer=employer,
        cases=[c.case for c in status.cases],
        cycle_end=status.cycle_end,
        deadline=deadline.date,
        deadline_provisional=deadline.provisional,
        adjusted_on=adjusted_on,
        grade_before=grade_before or Grade.C.value,
        grade_after=after.official_grade,
        adjusted_by=actor,
        on_time=on_time,
        note="；".join(notes),
    )
    audit_append(
        event="repair_adjust",
        object_type="employer",
        object_id=employer.uscc,
        data={
            "adjustment": adjustment.pk,
            "cases": adjustment.cases,
            "cycle_end": status.cycle_end.isoformat(),
            "deadline": deadline.date.isoformat(),
            "adjusted_on": adjusted_on.isoformat(),
            "grade_before": adjustment.grade_before,
            "grade_after": adjustment.grade_after,
            "on_time": on_time,
            "timeliness": "按期" if on_time else "逾期",
        },
    )
    return adjustment
