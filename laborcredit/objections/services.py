"""Writes of 第十九条、第二十条: an objection filed, accepted, decided, told to the applicant, pushed.

Every step is a conditional update on the state and version the actor saw, so
that of two officers acting at once one wins and the other is told
(`objection-conflict`); a step the state does not allow is `objection-state`.
Each step writes one `ObjectionEvent` and one audit entry in the same
transaction; a refusal changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from laborcredit.audit.services import audit_append
from laborcredit.credit.models import Action, CreditRecord, Disclosure, Employer
from laborcredit.credit.services import record_correct, record_void
from laborcredit.exchange.services import (
    SERVICE_ACTOR,
    objection_notified,
    objection_pushed_by_hand,
    outbox_objection_outcome,
)
from laborcredit.lib.errors import Refused
from laborcredit.objections import attachments as files
from laborcredit.objections.models import (
    Channel,
    Handling,
    Objection,
    ObjectionAttachment,
    ObjectionEvent,
    ObjectionRecord,
    Outcome,
    State,
    Subject,
)
from laborcredit.rules.parameters import IN_FORCE_FROM
from laborcredit.rules.validation import Problem
from laborcredit.rules.vocabulary import Grade

CONFLICT = "该异议在您打开页面之后已被处理，当前状态为“{state}”，请刷新页面后查看"
MAX_TEXT = 5000


@dataclass(frozen=True)
class Correction:
    """What an upheld decision does to one record: void it, or correct it with `changes`."""

    record: CreditRecord
    action: str  # "void" | "correct"
    changes: Mapping[str, Any] = field(default_factory=dict)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _missing(place: str, label: str) -> Problem:
    return Problem(place, f"{label}不能为空", "field-missing")


def _too_long(place: str, label: str, value: str) -> list[Problem]:
    if len(value) > MAX_TEXT:
        return [Problem(place, f"{label}不能超过 {MAX_TEXT} 字", "field-too-long")]
    return []


def _event(objection: Objection, from_state: str, actor: str, note: str = "") -> None:
    ObjectionEvent.objects.create(
        objection=objection, from_state=from_state, to_state=objection.state, actor=actor, note=note
    )


def _audit(objection: Objection, step: str, **data: Any) -> None:
    audit_append(
        event="objection_step",
        object_type="objection",
        object_id=objection.number,
        data={"step": step, "uscc": objection.employer.uscc, "state": objection.state, **data},
    )


# ---------------------------------------------------------------- filing (第十九条)


def _next_number(year: int) -> str:
    prefix = f"异议〔{year}〕"
    last = (
        Objection.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    serial = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{serial:04d}"


def _disputed_records(
    employer: Employer, records: Iterable[Any]
) -> tuple[list[CreditRecord], list[Problem]]:
    ids = []
    for item in records:
        pk = item.pk if isinstance(item, CreditRecord) else item
        try:
            ids.append(int(pk))
        except (TypeError, ValueError):
            return [], [Problem("records", f"无效的信用记录编号“{pk}”", "record-unknown")]
    found = {
        r.pk: r for r in CreditRecord.objects.effective().filter(employer=employer, pk__in=ids)
    }
    missing = [pk for pk in dict.fromkeys(ids) if pk not in found]
    if missing:
        shown = "、".join(str(pk) for pk in missing)
        return [], [
            Problem(
                "records",
                f"信用记录 {shown} 不是本单位现行有效的记录（可能已被更正或作废）",
                "record-not-own",
            )
        ]
    return [found[pk] for pk in dict.fromkeys(ids)], []


@transaction.atomic
def objection_file(
    *,
    employer: Employer,
    subject: str,
    records: Iterable[Any],
    reasons: str,
    attachments: Sequence[Any],
    actor: str,
    channel: str = Channel.ONLINE,
    received_on: datetime.date | None = None,
) -> Objection:
    """第十九条: an employer's objection to its records or its grade, with reasons and attachments.

    Online, it is received on the day it is filed; on paper, the officer enters the
    day the bureau received it (not in the future). Deadlines run from that day (第二十条).
    """
    reasons = _text(reasons)
    today = timezone.localdate()
    problems: list[Problem] = []
    if channel not in Channel.values:
        problems.append(Problem("channel", "提交方式应为网上提交或书面提交", "value-invalid"))
    if subject not in Subject.values:
        problems.append(Problem("subject", "异议事项应为信用记录或信用等级评价", "value-invalid"))
    if not reasons:
        problems.append(_missing("reasons", "异议理由"))
    problems += _too_long("reasons", "异议理由", reasons)
    if channel == Channel.PAPER and received_on is None:
        problems.append(_missing("received_on", "收到日期"))
    if received_on is not None and (
        isinstance(received_on, datetime.datetime) or not isinstance(received_on, datetime.date)
    ):
        problems.append(Problem("received_on", "收到日期应为日期", "date-invalid"))
    elif received_on is not None and received_on < IN_FORCE_FROM:
        problems.append(
            Problem(
                "received_on",
                f"收到日期 {received_on} 早于《办法》施行日期 {IN_FORCE_FROM}（第二十二条）",
                "date-before-in-force",
            )
        )
    elif received_on is not None and received_on > today:
        problems.append(
            Problem("received_on", f"收到日期 {received_on} 晚于今天", "date-in-future")
        )
    elif received_on is not None and channel == Channel.ONLINE and received_on != today:
        # 第二十条: an online objection is received the day it is filed; only paper has its own date.
        problems.append(
            Problem("received_on", "网上提交的异议以提交当日为收到日期", "date-invalid")
        )
    disputed, found = _disputed_records(employer, records or ())
    problems += found
    if channel == Channel.ONLINE and any(r.disclosure == Disclosure.INTERNAL for r in disputed):
        # AC2: online the employer only knows its public and shared records (the portal shows
        # no others); naming an internal one means the id was guessed.
        disputed = []
        found = [Problem("records", "所选信用记录不是本单位可查看的记录", "record-not-own")]
        problems += found
    if subject == Subject.RECORDS and not disputed and not found:
        problems.append(
            Problem("records", "对信用记录提出异议，应至少选择一条记录", "records-missing")
        )
    if problems:
        raise Refused(problems)
    checked = files.check_uploads(list(attachments or ()))
    received = received_on or today

    objection = None
    for _ in range(5):
        try:
            with transaction.atomic():
                objection = Objection.objects.create(
                    employer=employer,
                    number=_next_number(received.year),
                    channel=channel,
                    received_on=received,
                    filed_by=actor,
                    subject=subject,
                    reasons=reasons,
                )
            break
        except IntegrityError:
            continue
    if objection is None:  # pragma: no cover - five writers taking the same number in a row
        raise Refused.one("objection", "异议编号分配冲突，请重试", "objection-conflict")
    ObjectionRecord.objects.bulk_create(
        [ObjectionRecord(objection=objection, record=r) for r in disputed]
    )
    for item in checked:
        ObjectionAttachment.objects.create(
            objection=objection,
            original_name=item.name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            stored_name=files.store(item),
        )
    note = "网上提交" if channel == Channel.ONLINE else f"书面提交，收到日期 {received}"
    _event(objection, "", actor, note)
    _audit(
        objection,
        "收到异议申请",
        channel=channel,
        subject=subject,
        received_on=received.isoformat(),
        records=[r.pk for r in disputed],
        attachments=[{"name": c.name, "sha256": c.sha256} for c in checked],
    )
    return objection


# ---------------------------------------------------------------- the steps (第二十条)


def _claim(objection: Objection, expected: str, to: str, **changes: Any) -> Objection:
    """Move `objection` from `expected` to `to` if nobody moved it since the actor saw it."""
    current = Objection.objects.select_for_update().get(pk=objection.pk)
    if current.version != objection.version:
        raise Refused.one(
            "objection",
            CONFLICT.format(state=State(current.state).label),
            "objection-conflict",
        )
    if current.state != expected:
        raise Refused.one(
            "objection",
            f"该异议当前状态为“{State(current.state).label}”，不能{_STEP_NAMES[to]}",
            "objection-state",
        )
    updated = Objection.objects.filter(
        pk=current.pk, state=expected, version=objection.version
    ).update(state=to, version=F("version") + 1, **changes)
    if updated != 1:  # pragma: no cover - the row lock above makes this rare on PostgreSQL
        current.refresh_from_db()
        raise Refused.one(
            "objection", CONFLICT.format(state=State(current.state).label), "objection-conflict"
        )
    return Objection.objects.select_related("employer").get(pk=current.pk)


_STEP_NAMES = {
    State.ACCEPTED: "受理",
    State.DECIDED: "作出处理决定",
    State.NOTIFIED: "告知申请人",
    State.PUSHED: "登记推送",
}


@transaction.atomic
def objection_accept(
    *, objection: Objection, handling: str, actor: str, verify_reason: str = ""
) -> Objection:
    """第二十条: accept, deciding whether the bureau handles it itself (3 working days) or must
    verify with other departments (10 working days, with the reason)."""
    verify_reason = _text(verify_reason)
    if handling not in Handling.values:
        raise Refused.one(
            "handling", "请选择处理方式：本局自行处理或需向有关部门核实", "value-invalid"
        )
    if handling == Handling.VERIFY and not verify_reason:
        raise Refused([_missing("verify_reason", "需向有关部门核实的原因")])
    if handling == Handling.SELF:
        verify_reason = ""
    problems = _too_long("verify_reason", "需核实的原因", verify_reason)
    if problems:
        raise Refused(problems)
    accepted = _claim(
        objection,
        State.RECEIVED,
        State.ACCEPTED,
        handling=handling,
        verify_reason=verify_reason,
        accepted_by=actor,
        accepted_at=timezone.now(),
    )
    note = Handling(handling).label + (f"：{verify_reason}" if verify_reason else "")
    _event(accepted, State.RECEIVED, actor, note)
    _audit(accepted, "受理", handling=handling, verify_reason=verify_reason)
    return accepted


def _as_correction(item: Any) -> Correction:
    if isinstance(item, Correction):
        return item
    if isinstance(item, Mapping):
        record = item.get("record")
        if not isinstance(record, CreditRecord):
            record = CreditRecord.objects.filter(pk=record).first() if record else None
        if record is None:
            raise Refused.one("corrections", "更正所指的信用记录不存在", "record-unknown")
        return Correction(record, item.get("action", ""), item.get("changes") or {})
    raise Refused.one("corrections", "无效的更正内容", "value-invalid")


def _latest_version(record: CreditRecord) -> CreditRecord:
    latest = CreditRecord.objects.filter(lineage=record.lineage).order_by("-version").first()
    if latest is None or latest.action == Action.VOID:
        raise Refused.one(
            "corrections",
            f"记录 {record.pk} 已被作废（{latest.reason if latest else ''}），无需再作废或更正；"
            "请对该记录选择“不变”",
            "record-already-void",
        )
    return latest


def _correction_problems(
    objection: Objection, corrections: list[Correction], disputed_ids: set[int]
) -> list[Problem]:
    problems = []
    seen: set[int] = set()
    for c in corrections:
        if c.action not in ("void", "correct"):
            problems.append(Problem("corrections", "每条记录应选择作废或更正", "value-invalid"))
        elif c.action == "correct" and not c.changes:
            problems.append(
                Problem(
                    "corrections", f"记录 {c.record.pk} 选择了更正，但没有更正内容", "no-change"
                )
            )
        if c.record.employer_id != objection.employer_id:
            problems.append(
                Problem("corrections", f"记录 {c.record.pk} 不属于申请单位", "record-not-own")
            )
        elif objection.subject == Subject.RECORDS and c.record.pk not in disputed_ids:
            problems.append(
                Problem(
                    "corrections",
                    f"记录 {c.record.pk} 不在本异议所列记录中，不能据此更正",
                    "record-not-disputed",
                )
            )
        if c.record.pk in seen:
            problems.append(
                Problem("corrections", f"记录 {c.record.pk} 重复出现", "record-duplicate")
            )
        seen.add(c.record.pk)
    return problems


@transaction.atomic
def objection_decide(
    *,
    objection: Objection,
    outcome: str,
    reason: str,
    actor: str,
    corrections: Iterable[Any] = (),
) -> Objection:
    """第二十条: decide an accepted objection.

    Upheld: the disputed records are voided or corrected through the credit file's
    append-only versions (第七条), which regrade the employer (第十三条); a grade
    objection also regrades the employer in any case. Rejected: with reasons, the
    records untouched. One transaction: a refused correction changes nothing.
    """
    from laborcredit.rating.services import employer_regrade

    reason = _text(reason)
    if outcome not in Outcome.values:
        raise Refused.one("outcome", "请选择处理结果：异议成立或异议不成立", "value-invalid")
    if not reason:
        raise Refused([_missing("reason", "处理理由")])
    problems = _too_long("reason", "处理理由", reason)
    if problems:
        raise Refused(problems)
    items = [_as_correction(c) for c in corrections or ()]
    if outcome == Outcome.REJECTED and items:
        raise Refused.one(
            "corrections", "异议不成立时不能更正或作废信用记录", "corrections-on-rejected"
        )
    disputed_ids = set(
        ObjectionRecord.objects.filter(objection=objection, disputed=True).values_list(
            "record_id", flat=True
        )
    )
    if outcome == Outcome.UPHELD and objection.subject == Subject.RECORDS and not items:
        raise Refused.one(
            "corrections",
            "对信用记录的异议成立时，应至少作废或更正一条所列记录",
            "corrections-missing",
        )
    problems = _correction_problems(objection, items, disputed_ids)
    if problems:
        raise Refused(problems)
    now = timezone.now()
    decided = _claim(
        objection,
        State.ACCEPTED,
        State.DECIDED,
        outcome=outcome,
        decision_reason=reason,
        decided_by=actor,
        decided_at=now,
        decided_on=timezone.localdate(now),
    )
    why = f"{decided.number} 异议成立：{reason}"
    done = []
    for c in items:
        # The disputed version may have been corrected since (by another objection, say): the
        # decision applies to the record as it stands now, unless that is already void.
        current = _latest_version(c.record)
        if c.action == "void":
            new = record_void(record=current, reason=why, actor=actor)
        else:
            new = record_correct(record=current, reason=why, actor=actor, **dict(c.changes))
        link, _ = ObjectionRecord.objects.get_or_create(
            objection=decided, record=c.record, defaults={"disputed": False}
        )
        ObjectionRecord.objects.filter(pk=link.pk).update(resolution=c.action, result=new)
        done.append({"record": c.record.pk, "action": c.action, "result": new.pk})
    if outcome == Outcome.UPHELD and decided.subject == Subject.GRADE:
        # 第十九条 评价中存在错误: the grade is evaluated again whether or not a record changed.
        employer_regrade(employer=decided.employer, cause="review", actor=actor)
    note = Outcome(outcome).label + f"：{reason}"
    _event(decided, State.ACCEPTED, actor, note)
    _audit(decided, "作出处理决定", outcome=outcome, reason=reason, corrections=done)
    # 第二十条: the outcome goes to the platform, due 5 working days after the decision.
    outbox_objection_outcome(objection=decided, corrections=done)
    return decided


def default_notice(objection: Objection) -> str:
    """The sentence the employer reads in the portal (第二十条 告知申请人)."""
    head = f"贵单位于{objection.received_on:%Y年%m月%d日}提出的异议申请（{objection.number}）"
    reason = objection.decision_reason.rstrip("。.；; ")
    if objection.outcome == Outcome.UPHELD:
        grade = _grade_sentence(objection.employer)
        if objection.disputed.exclude(resolution=ObjectionRecord.Resolution.NONE).exists():
            return (
                f"{head}经核查，异议成立。理由：{reason}。"
                f"相关信用信息已依法更正，信用等级已重新评价{grade}。"
            )
        # Upheld without a record changed (an objection to the grade): say only what is true.
        current = f"{grade.removeprefix('，')}。" if grade else ""
        return f"{head}经核查，异议成立。理由：{reason}。{current}"
    return f"{head}经核查，异议不成立。理由：{reason}。"


def _grade_sentence(employer: Employer) -> str:
    from laborcredit.rating.models import EmployerGrade

    current = EmployerGrade.objects.filter(employer=employer).select_related("decision").first()
    if current is None:
        return ""
    code = current.official_grade
    return f"，当前信用等级为{code}级（{Grade(code).label}）"


@transaction.atomic
def objection_notify(*, objection: Objection, actor: str, text: str = "") -> Objection:
    """第二十条 告知申请人: the notice the employer reads in the portal; its time decides whether
    the 3 or 10 working days were met."""
    text = _text(text)
    problems = _too_long("text", "告知内容", text)
    if problems:
        raise Refused(problems)
    current = Objection.objects.select_related("employer").get(pk=objection.pk)
    if current.state == State.DECIDED and not text:
        text = default_notice(current)
    notified = _claim(
        objection,
        State.DECIDED,
        State.NOTIFIED,
        notice_text=text or "—",
        notified_by=actor,
        notified_at=timezone.now(),
    )
    _event(notified, State.DECIDED, actor, text)
    _audit(notified, "告知申请人", notice=text)
    # The platform may have the outcome already: its receipt is then recorded now.
    return objection_notified(objection=notified)


@transaction.atomic
def objection_push_record(*, objection: Objection, actor: str, reference: str) -> Objection:
    """第二十条: the result pushed to the city credit information sharing platform (within 5
    working days of the decision), recorded with the platform's reference."""
    reference = _text(reference)
    if not reference:
        raise Refused([_missing("reference", "推送回执编号")])
    if len(reference) > 200:
        raise Refused.one("reference", "推送回执编号不能超过 200 字", "field-too-long")
    pushed = _claim(
        objection,
        State.NOTIFIED,
        State.PUSHED,
        push_reference=reference,
        pushed_by=actor,
        pushed_at=timezone.now(),
    )
    _event(pushed, State.NOTIFIED, actor, f"回执编号：{reference}")
    _audit(pushed, "推送市信用信息共享平台", reference=reference)
    if actor != SERVICE_ACTOR:
        objection_pushed_by_hand(objection=pushed, reference=reference, actor=actor)
    return pushed


@transaction.atomic
def objection_attachment_open(*, attachment: ObjectionAttachment, actor: str) -> Path:
    """The stored file of an attachment, its reading audited (for staff and portal downloads)."""
    path = files.stored_path(attachment.stored_name)
    if not path.is_file():
        raise Refused.one("attachment", "附件文件不存在，请联系系统管理员", "attachment-missing")
    objection = attachment.objection
    _audit(
        objection,
        f"查看附件“{attachment.original_name}”",
        attachment=attachment.pk,
        sha256=attachment.sha256,
        reader=actor,
    )
    return path
