"""第六条、第二十条: the outbox. Every change the city credit information sharing platform must
receive is written here by the service that makes the change, inside its transaction, so a
committed change cannot be missed and a rolled-back one is never sent.

Which changes: grade changes (every `GradeChange`), penalties (行政处罚, with the 双公示
fields), their corrections and voids, and objection outcomes (第二十条, due within 5 working
days of the decision). Records kept for internal use only (第七条 仅内部使用) are not sent.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from laborcredit.audit.services import audit_append
from laborcredit.credit.models import Action, CreditRecord, Disclosure, Employer
from laborcredit.exchange.models import Kind, OutboxItem, State
from laborcredit.lib.bulk import bulk_insert
from laborcredit.lib.errors import Refused
from laborcredit.rules.vocabulary import Grade, RecordType

SERVICE_ACTOR = "推送服务"

RETRY_EVENT = "push_retry"


def _authority() -> tuple[str, str]:
    return (
        getattr(settings, "LABORCREDIT_PLATFORM_AUTHORITY", "") or "舞钢市人力资源和社会保障局",
        getattr(settings, "LABORCREDIT_PLATFORM_AUTHORITY_CODE", "") or "",
    )


# ---------------------------------------------------------------- payloads


def fine_in_wan_yuan(amount: decimal.Decimal | None) -> str:
    """罚款金额 as 双公示 publishes it: in 万元 (ten thousand yuan), exact, without trailing
    zeros ("0.2" for 2,000 元); empty when the record holds no amount."""
    if amount is None:
        return ""
    wan = (amount / 10_000).quantize(decimal.Decimal("0.000001"))
    text = f"{wan:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def penalty_payload(record: CreditRecord, employer: Employer) -> dict[str, Any]:
    """双公示 行政处罚 fields, as the record holds them; a field the officer left empty (every
    one on records filed before the credit file held them) is sent empty, not guessed."""
    authority, authority_code = _authority()
    return {
        "行政相对人名称": employer.name,
        "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": employer.uscc,
        "行政处罚决定书文号": record.document_number,
        "违法行为类型": record.violation_type,
        "违法事实": record.description,
        "处罚依据": record.penalty_basis,
        "处罚类别": record.penalty_category,
        "处罚内容": record.penalty_content,
        "罚款金额": fine_in_wan_yuan(record.fine_amount),
        "处罚决定日期": record.date.isoformat(),
        "处罚机关": record.issuing_body or authority,
        "处罚机关统一社会信用代码": authority_code if not record.issuing_body else "",
        "数据来源": authority,
        "数据来源单位统一社会信用代码": authority_code,
        "公开方式": Disclosure(record.disclosure).label,
        "记录标识": str(record.lineage),
        "记录版本": record.version,
    }


def _pushable(record: CreditRecord) -> bool:
    return record.type == RecordType.PENALTY_IMPOSED and record.disclosure != Disclosure.INTERNAL


def _record_item(record: CreditRecord, employer: Employer) -> OutboxItem | None:
    """The item a new record version gives: a penalty, or the correction or void of one."""
    if record.action == Action.CREATE:
        if not _pushable(record):
            return None
        return _item(
            Kind.PENALTY, employer, f"penalty:{record.pk}", penalty_payload(record, employer)
        )
    old = record.supersedes
    if old is None or not (_pushable(record) or _pushable(old)):
        return None
    payload = {
        "更正类型": "作废" if record.action == Action.VOID else "更正",
        "原行政处罚决定书文号": old.document_number,
        "更正原因": record.reason,
        "更正日期": timezone.localdate(record.entered_at).isoformat(),
        "记录标识": str(record.lineage),
        "原记录版本": old.version,
        "记录版本": record.version,
    }
    if record.action == Action.CORRECT:
        # A correction to internal use only withdraws the record from the platform.
        payload["更正后"] = penalty_payload(record, employer) if _pushable(record) else None
    return _item(Kind.CORRECTION, employer, f"correction:{record.pk}", payload)


def grade_change_payload(change: Any, employer: Employer) -> dict[str, Any]:
    from laborcredit.rating.models import Cause

    to = Grade(change.to_grade)
    return {
        "统一社会信用代码": employer.uscc,
        "单位名称": employer.name,
        "原信用等级": change.from_grade,
        "新信用等级": to.value,
        "新信用等级名称": to.label,
        "评价日期": change.as_of.isoformat(),
        "变化原因": Cause(change.cause).label,
        "需人工复核": change.needs_review,
        "规则版本": change.rule_version,
        "依据": [entry.get("article", "") for entry in change.basis or []],
    }


def _item(
    kind: str,
    employer: Employer,
    key: str,
    payload: dict[str, Any],
    *,
    due_on: datetime.date | None = None,
    objection: Any = None,
) -> OutboxItem:
    return OutboxItem(
        kind=kind,
        employer=employer,
        idempotency_key=key,
        payload=payload,
        due_on=due_on,
        objection=objection,
        next_attempt_at=timezone.now(),
    )


# ---------------------------------------------------------------- adding to the outbox


def outbox_add(
    *,
    kind: str,
    employer: Employer,
    key: str,
    payload: dict[str, Any],
    due_on: datetime.date | None = None,
    objection: Any = None,
) -> OutboxItem:
    """Add one item inside the caller's transaction (a rollback takes it away with the change)."""
    if kind not in Kind.values:
        raise ValueError(f"unknown outbox kind {kind!r}")
    item = _item(kind, employer, key, payload, due_on=due_on, objection=objection)
    item.save(force_insert=True)
    return item


def outbox_add_many(items: Iterable[OutboxItem]) -> list[OutboxItem]:
    """Add many items (built with `OutboxItem(...)`) in a few statements, in the given order."""
    return bulk_insert(list(items))


def outbox_record(record: CreditRecord) -> OutboxItem | None:
    """The item of a new credit record version, if the platform must receive it."""
    item = _record_item(record, record.employer)
    if item is not None:
        item.save(force_insert=True)
    return item


def outbox_records(records: Iterable[CreditRecord]) -> list[OutboxItem]:
    """Bulk variant of `outbox_record` (the import path)."""
    items = [_record_item(r, r.employer) for r in records]
    return outbox_add_many(i for i in items if i is not None)


def outbox_grade_changes(changes: Iterable[Any]) -> list[OutboxItem]:
    """One item per stored `GradeChange` (single or bulk-created: they must have their pk)."""
    return outbox_add_many(
        _item(
            Kind.GRADE_CHANGE,
            c.employer,
            f"grade_change:{c.pk}",
            grade_change_payload(c, c.employer),
        )
        for c in changes
    )


def outbox_objection_outcome(*, objection: Any, corrections: list[dict[str, Any]]) -> OutboxItem:
    """第二十条: the processed objection's result, due on the platform within 5 working days of
    the decision. Enqueued at the decision, so the 5 days are tracked from that day."""
    from laborcredit.objections.models import Outcome, Subject
    from laborcredit.workdays.selectors import calendar

    due = calendar().add_working_days(objection.decided_on, 5)
    employer = objection.employer
    payload = {
        "异议编号": objection.number,
        "统一社会信用代码": employer.uscc,
        "单位名称": employer.name,
        "异议事项": Subject(objection.subject).label,
        "收到日期": objection.received_on.isoformat(),
        "处理结果": Outcome(objection.outcome).label,
        "处理理由": objection.decision_reason,
        "处理日期": objection.decided_on.isoformat(),
        "更正的记录": [
            {
                "原记录": c["record"],
                "处理": "作废" if c["action"] == "void" else "更正",
                "新版本": c["result"],
            }
            for c in corrections
        ],
    }
    return outbox_add(
        kind=Kind.OBJECTION_OUTCOME,
        employer=employer,
        key=f"objection_outcome:{objection.pk}",
        payload=payload,
        due_on=due.date,
        objection=objection,
    )


# ---------------------------------------------------------------- objections: the push recorded


def record_objection_push(item: OutboxItem) -> None:
    """第二十条: once the platform has the outcome and the applicant has been told, the push is
    recorded on the objection with the platform's receipt. Before the notice, the notice records
    it (`objection_notified`); if an officer already recorded it by hand, nothing is done."""
    from laborcredit.objections.models import Objection
    from laborcredit.objections.models import State as ObjectionState
    from laborcredit.objections.services import objection_push_record

    objection = Objection.objects.select_related("employer").get(pk=item.objection_id)
    if objection.state != ObjectionState.NOTIFIED:
        return
    from laborcredit.audit.context import acting_as

    with acting_as(actor=SERVICE_ACTOR):
        objection_push_record(
            objection=objection,
            actor=SERVICE_ACTOR,
            reference=item.receipt_id or item.idempotency_key,
        )


def objection_notified(*, objection: Any) -> Any:
    """Called by objection_notify in its transaction: if the outcome already reached the
    platform, record the push now. Returns the objection as it stands."""
    item = OutboxItem.objects.filter(
        objection_id=objection.pk, kind=Kind.OBJECTION_OUTCOME, state=State.SENT
    ).first()
    if item is None:
        return objection
    from laborcredit.objections.services import objection_push_record

    return objection_push_record(
        objection=objection, actor=SERVICE_ACTOR, reference=item.receipt_id or item.idempotency_key
    )


def objection_pushed_by_hand(*, objection: Any, reference: str, actor: str) -> int:
    """An officer recorded the push of an objection's outcome made outside the system: its
    items still queued count as sent with that reference, so the worker does not send them a
    second time. Returns how many items that concerned."""
    return (
        OutboxItem.objects.filter(objection_id=objection.pk, kind=Kind.OBJECTION_OUTCOME)
        .exclude(state=State.SENT)
        .update(
            state=State.SENT,
            sent_at=timezone.now(),
            receipt_id=reference[:200],
            receipt={"manual": True, "by": actor, "reference": reference},
            claimed_by="",
            claimed_until=None,
        )
    )


# ---------------------------------------------------------------- officers


@transaction.atomic
def item_retry(*, item: OutboxItem, actor: str) -> OutboxItem:
    """An officer sends a parked (failed) item again: it goes back to the queue with its
    attempts counted afresh."""
    current = OutboxItem.objects.select_for_update().get(pk=item.pk)
    if current.state != State.FAILED:
        raise Refused.one(
            "item", f"该推送当前状态为“{State(current.state).label}”，只有推送失败的才能重试",
            "push-not-failed",
        )  # fmt: skip
    previous = current.attempts
    OutboxItem.objects.filter(pk=current.pk).update(
        state=State.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_by="",
        claimed_until=None,
    )  # fmt: skip
    audit_append(
        event=RETRY_EVENT,
        object_type="export",
        object_id=current.idempotency_key,
        data={"step": "人工重试", "kind": current.kind, "uscc": current.employer.uscc,
              "attempts": previous, "last_error": current.last_error[:500], "by": actor},
    )  # fmt: skip
    current.refresh_from_db()
    return current
