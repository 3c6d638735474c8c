"""Writes of 第十四条–第十七条: local incentives added and retired, interviews scheduled, held, cancelled.

Every write is audited in its own transaction; a refusal (`Refused`) changes nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from laborcredit.audit.services import audit_append
from laborcredit.credit.models import CreditRecord, Disclosure, Employer
from laborcredit.credit.services import EARLIEST_RECORD_DATE, record_create
from laborcredit.lib.errors import Refused
from laborcredit.lib.masking import mask_name
from laborcredit.measures.models import LOCAL_ITEMS, Interview, LocalMeasure
from laborcredit.rules.validation import Problem
from laborcredit.rules.vocabulary import RecordType

BUREAU = "舞钢市人力资源和社会保障局"


def _text(value: str | None) -> str:
    return (value or "").strip()


def _missing(place: str, label: str) -> Problem:
    return Problem(place, f"{label}不能为空", "field-missing")


# ---------------------------------------------------------------- local measures


@transaction.atomic
def local_measure_add(
    *,
    item: str,
    title: str,
    legal_basis: str,
    in_force_from: datetime.date,
    actor: str,
    description: str = "",
) -> LocalMeasure:
    """第十四条(三)、第十五条(三): register an incentive set by the state, province or city."""
    title, legal_basis, description = _text(title), _text(legal_basis), _text(description)
    problems = []
    if item not in LOCAL_ITEMS:
        names = "、".join(LOCAL_ITEMS)
        problems.append(Problem("item", f"所属条款应为 {names} 之一", "item-invalid"))
    if not title:
        problems.append(_missing("title", "措施名称"))
    if not legal_basis:
        problems.append(_missing("legal_basis", "依据（文件名称及文号）"))
    if not isinstance(in_force_from, datetime.date):
        problems.append(_missing("in_force_from", "施行日期"))
    elif in_force_from < EARLIEST_RECORD_DATE:
        problems.append(
            Problem(
                "in_force_from",
                f"施行日期 {in_force_from} 早于 {EARLIEST_RECORD_DATE}（《中华人民共和国劳动法》"
                "施行之日），请核对是否录错",
                "date-too-early",
            )
        )
    if problems:
        raise Refused(problems)
    measure = LocalMeasure.objects.create(
        item=item,
        title=title,
        description=description,
        legal_basis=legal_basis,
        in_force_from=in_force_from,
        created_by=actor,
    )
    audit_append(
        event="local_measure_add",
        object_type="local_measure",
        object_id=measure.pk,
        data={
            "item": item,
            "title": title,
            "legal_basis": legal_basis,
            "in_force_from": in_force_from.isoformat(),
        },
    )
    return measure


@transaction.atomic
def local_measure_retire(
    *, measure: LocalMeasure, retired_from: datetime.date, reason: str, actor: str
) -> LocalMeasure:
    """Stop applying a local measure from a date on; once, and the earlier days keep it."""
    reason = _text(reason)
    if not reason:
        raise Refused([_missing("reason", "停止适用原因")])
    current = LocalMeasure.objects.select_for_update().get(pk=measure.pk)
    if current.retired_from is not None:
        raise Refused.one(
            "measure",
            f"该措施已自 {current.retired_from} 起停止适用，不能再次停止",
            "measure-retired",
        )
    if retired_from <= current.in_force_from:
        raise Refused.one(
            "retired_from",
            f"停止适用日期应晚于施行日期 {current.in_force_from}",
            "retired-before-in-force",
        )
    # The one change a measure allows: a conditional update, so that two retirements cannot both win.
    updated = LocalMeasure.objects.filter(pk=current.pk, retired_from__isnull=True).update(
        retired_from=retired_from,
        retire_reason=reason,
        retired_by=actor,
        retired_at=timezone.now(),
    )
    if updated != 1:  # pragma: no cover - the row lock above makes this unreachable
        raise Refused.one("measure", "该措施已停止适用", "measure-retired")
    current.refresh_from_db()
    audit_append(
        event="local_measure_retire",
        object_type="local_measure",
        object_id=current.pk,
        data={
            "item": current.item,
            "title": current.title,
            "retired_from": retired_from.isoformat(),
            "reason": reason,
        },
    )
    return current


# ---------------------------------------------------------------- interviews (第十七条(三))


def _penalty_cases(employer: Employer) -> dict[str, datetime.date]:
    """The employer's penalised cases, each with the date of its (first) penalty."""
    dates: dict[str, datetime.date] = {}
    for case, day in (
        CreditRecord.objects.effective()
        .filter(employer=employer, type=RecordType.PENALTY_IMPOSED)
        .order_by("date")
        .values_list("case", "date")
    ):
        dates.setdefault(case, day)
    return dates


def _before_penalty(
    field: str, label: str, day: datetime.date, case: str, penalised: datetime.date
) -> Problem:
    return Problem(
        field,
        f"{label} {day} 早于案件 {case} 的行政处罚日期 {penalised}；约谈在行政处罚之后进行（第十七条（三））",
        "date-before-penalty",
    )


@transaction.atomic
def interview_schedule(
    *,
    employer: Employer,
    case: str,
    scheduled_on: datetime.date,
    place: str,
    principal: str,
    actor: str,
    responsible_persons: str = "",
    document_number: str = "",
) -> Interview:
    """第十七条(三): arrange an interview of the principal and the directly responsible persons."""
    case, place, principal = _text(case), _text(place), _text(principal)
    problems = []
    penalised = _penalty_cases(employer)
    if not case:
        problems.append(_missing("case", "关联案件编号"))
    elif case not in penalised:
        problems.append(
            Problem(
                "case",
                f"案件 {case} 没有对该单位的“行政处罚”记录；约谈针对受到行政处罚的单位（第十七条）",
                "case-unknown",
            )
        )
    if not place:
        problems.append(_missing("place", "约谈地点"))
    if not principal:
        problems.append(_missing("principal", "主要负责人"))
    if not isinstance(scheduled_on, datetime.date):
        problems.append(_missing("scheduled_on", "约谈日期"))
    elif case in penalised and scheduled_on < penalised[case]:
        problems.append(
            _before_penalty("scheduled_on", "约谈日期", scheduled_on, case, penalised[case])
        )
    if problems:
        raise Refused(problems)
    if Interview.objects.filter(
        employer=employer, case=case, status=Interview.Status.SCHEDULED
    ).exists():
        raise Refused.one(
            "case", f"案件 {case} 已有尚未进行的约谈安排，请先记录或取消", "interview-pending"
        )
    interview = Interview.objects.create(
        employer=employer,
        case=case,
        scheduled_on=scheduled_on,
        place=place,
        principal=principal,
        responsible_persons=_text(responsible_persons),
        document_number=_text(document_number),
        created_by=actor,
    )
    audit_append(
        event="interview_schedule",
        object_type="interview",
        object_id=interview.pk,
        data={
            "employer": employer.uscc,
            "case": case,
            "scheduled_on": scheduled_on.isoformat(),
            "principal": mask_name(principal),
        },
    )
    return interview


def _locked_scheduled(interview: Interview) -> Interview:
    current = Interview.objects.select_for_update().select_related("employer").get(pk=interview.pk)
    if current.status != Interview.Status.SCHEDULED:
        raise Refused.one(
            "interview",
            f"该约谈{current.get_status_display()}，不能再记录或取消",
            "interview-closed",
        )
    return current


def interview_description(interview: Interview) -> str:
    """The credit record's words: what was said and undertaken; the persons' names stay in
    the interview (personal information, 第七条), the record points to it."""
    parts = [
        f"依第十七条（三）约谈主要负责人、直接责任人（约谈记录第 {interview.pk} 号）",
        f"约谈内容：{interview.statement}",
    ]
    if interview.undertakings:
        parts.append(f"承诺事项：{interview.undertakings}")
    return "；".join(parts) + "。"


@transaction.atomic
def interview_record(
    *,
    interview: Interview,
    held_on: datetime.date,
    attendees: str,
    statement: str,
    actor: str,
    undertakings: str = "",
    document_number: str | None = None,
) -> Interview:
    """Record an interview held and enter it in the credit record (第十七条(三)); the record
    type `interview_held` is read by no grading article, so the grade stays as it is."""
    attendees, statement = _text(attendees), _text(statement)
    problems = []
    if not attendees:
        problems.append(_missing("attendees", "参加人员"))
    if not statement:
        problems.append(_missing("statement", "约谈内容"))
    if problems:
        raise Refused(problems)
    interview = _locked_scheduled(interview)
    if held_on > timezone.localdate():
        raise Refused.one("held_on", f"约谈日期 {held_on} 晚于今天", "date-in-future")
    penalised = _penalty_cases(interview.employer).get(interview.case)
    if penalised is not None and held_on < penalised:
        raise Refused(
            [_before_penalty("held_on", "实际约谈日期", held_on, interview.case, penalised)]
        )
    interview.held_on = held_on
    interview.attendees = attendees
    interview.statement = statement
    interview.undertakings = _text(undertakings)
    if document_number is not None:
        interview.document_number = _text(document_number)
    try:
        record = record_create(
            employer=interview.employer,
            type=RecordType.INTERVIEW_HELD.value,
            date=held_on,
            case=interview.case,
            document_number=interview.document_number,
            issuing_body=BUREAU,
            description=interview_description(interview),
            disclosure=Disclosure.INTERNAL,
            actor=actor,
        )
    except Refused as refused:
        raise Refused(
            [Problem(p.place.removeprefix("record."), p.message, p.code) for p in refused.problems]
        ) from None
    interview.status = Interview.Status.HELD
    interview.record = record
    interview.closed_by = actor
    interview.closed_at = timezone.now()
    interview.save()
    audit_append(
        event="interview_record",
        object_type="interview",
        object_id=interview.pk,
        data={
            "employer": interview.employer.uscc,
            "case": interview.case,
            "held_on": held_on.isoformat(),
            "record": record.pk,
        },
    )
    return interview


@transaction.atomic
def interview_cancel(*, interview: Interview, reason: str, actor: str) -> Interview:
    """Cancel an interview not yet held, with the reason."""
    reason = _text(reason)
    if not reason:
        raise Refused([_missing("reason", "取消原因")])
    interview = _locked_scheduled(interview)
    interview.status = Interview.Status.CANCELLED
    interview.cancel_reason = reason
    interview.closed_by = actor
    interview.closed_at = timezone.now()
    interview.save()
    audit_append(
        event="interview_cancel",
        object_type="interview",
        object_id=interview.pk,
        data={
            "employer": interview.employer.uscc,
            "scheduled_on": interview.scheduled_on.isoformat(),
            "reason": reason,
        },
    )
    return interview
