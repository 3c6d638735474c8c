"""Reads of the outbox: the staff page, the dashboard card and the reports' figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from laborcredit.exchange.models import Kind, OutboxItem, State
from laborcredit.rules.workdays import Deadline

LATE = Q(due_on__isnull=False) & ~Q(state=State.SENT)


def _late(today: datetime.date) -> Q:
    """第二十条: an objection outcome not on the platform after its 5th working day."""
    return LATE & Q(due_on__lt=today)


def push_alerts(*, today: datetime.date) -> dict[str, int]:
    """The dashboard's card: failed items waiting for an officer, late ones, and both together
    (an item failed and late counted once); one query."""
    failed, late = Q(state=State.FAILED), _late(today)
    return OutboxItem.objects.order_by().aggregate(
        failed=Count("pk", filter=failed),
        late=Count("pk", filter=late),
        total=Count("pk", filter=failed | late),
    )


def push_summary(*, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Items generated from `start` to `end` (inclusive, local dates): how many are still queued,
    sent, failed; of those with a deadline (第二十条, objection outcomes), how many were sent on
    time or late, and how many are still unsent past it; and the same counts by kind."""
    items = OutboxItem.objects.order_by().filter(
        created_at__date__gte=start, created_at__date__lte=end
    )
    counts = {
        row["kind"]: row
        for row in items.values("kind").annotate(
            created=Count("pk"),
            queued=Count("pk", filter=Q(state=State.PENDING)),
            sent=Count("pk", filter=Q(state=State.SENT)),
            failed=Count("pk", filter=Q(state=State.FAILED)),
        )
    }
    on_time = late = 0
    for due_on, sent_at in items.filter(due_on__isnull=False, state=State.SENT).values_list(
        "due_on", "sent_at"
    ):
        if timezone.localdate(sent_at) <= due_on:
            on_time += 1
        else:
            late += 1
    today = timezone.localdate()
    overdue = items.filter(_late(today)).count()
    by_kind = {
        kind.value: {
            "label": kind.label,
            **{
                k: counts.get(kind.value, {}).get(k, 0)
                for k in ("created", "queued", "sent", "failed")
            },
        }
        for kind in Kind
    }
    return {
        "start": start,
        "end": end,
        "created": sum(k["created"] for k in by_kind.values()),
        "queued": sum(k["queued"] for k in by_kind.values()),
        "sent": sum(k["sent"] for k in by_kind.values()),
        "failed": sum(k["failed"] for k in by_kind.values()),
        "sent_on_time": on_time,
        "sent_late": late,
        "overdue_unsent": overdue,
        "by_kind": by_kind,
    }


@dataclass(frozen=True)
class ItemView:
    item: OutboxItem
    deadline: Deadline | None

    @property
    def kind_label(self) -> str:
        return Kind(self.item.kind).label


def _deadline(item: OutboxItem, cal: Any) -> Deadline | None:
    """The deadline recomputed under today's calendar, so 暂定 shows when it rests on a guess."""
    if item.objection_id and item.objection is not None and item.objection.decided_on:
        return cal.add_working_days(item.objection.decided_on, 5)
    if item.due_on:
        return Deadline(item.due_on)
    return None


def exchange_overview(*, today: datetime.date, limit: int = 200) -> dict[str, Any]:
    """The staff page: counts by state and kind, failed items, late items, the next ones due."""
    from laborcredit.workdays.selectors import calendar

    cal = calendar()
    by_state = {
        row["state"]: row["n"]
        for row in OutboxItem.objects.order_by().values("state").annotate(n=Count("pk"))
    }
    related = ("employer", "objection")
    failed = list(
        OutboxItem.objects.filter(state=State.FAILED)
        .select_related(*related)
        .order_by("pk")[:limit]
    )
    late = list(
        OutboxItem.objects.filter(_late(today))
        .select_related(*related)
        .order_by("due_on", "pk")[:limit]
    )
    upcoming = list(
        OutboxItem.objects.filter(LATE, due_on__gte=today, state=State.PENDING)
        .select_related(*related)
        .order_by("due_on", "pk")[:limit]
    )
    return {
        "today": today,
        "states": [
            {"code": s.value, "label": s.label, "n": by_state.get(s.value, 0)} for s in State
        ],
        "failed": [ItemView(i, _deadline(i, cal)) for i in failed],
        "late": [ItemView(i, _deadline(i, cal)) for i in late],
        "upcoming": [ItemView(i, _deadline(i, cal)) for i in upcoming],
    }
