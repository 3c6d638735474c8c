"""Reading the audit log for the viewer at /audit/: filters and keyset pages by seq."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from laborcredit.audit.events import OBJECT_LABELS
from laborcredit.audit.models import AuditEntry

PAGE_SIZE = 100


@dataclass(frozen=True)
class AuditFilters:
    event: str = ""
    actor: str = ""
    object: str = ""
    outcome: str = ""
    date_from: datetime.date | None = None  # UTC dates, both inclusive
    date_to: datetime.date | None = None


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    next_before: int | None  # the `before` cursor of the next (older) page


def _start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the time the list shows (Beijing time, TIME_ZONE): an entry
    is found under the date printed beside it. Entries keep their time in UTC (AU2)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# The viewer shows "cli:root" as 命令行（root）… (events.actor_label); what was typed from that
# is looked for as it is stored.
_ACTOR_PREFIXES = (("命令行", "cli:"), ("数据接口", "api:"), ("用人单位（门户账号", "employer:"))


def _stored_actor(typed: str) -> str:
    for shown, stored in _ACTOR_PREFIXES:
        if typed.startswith(shown):
            rest = typed.removeprefix(shown).strip("（）() ")
            return f"{stored}{rest}"
    return typed


def audit_filter(filters: AuditFilters) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if filters.event:
        entries = entries.filter(event=filters.event)
    if filters.actor:
        entries = entries.filter(actor__icontains=_stored_actor(filters.actor))
    if filters.object:
        # The viewer names object types in Chinese; typing that name finds them too.
        named = [code for code, label in OBJECT_LABELS.items() if filters.object in label]
        entries = entries.filter(
            Q(object_type__icontains=filters.object)
            | Q(object_type__in=named)
            | Q(object_id__icontains=filters.object)
        )
    if filters.outcome:
        entries = entries.filter(outcome=filters.outcome)
    if filters.date_from:
        entries = entries.filter(ts__gte=_start_of(filters.date_from))
    if filters.date_to:
        entries = entries.filter(ts__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
    return entries


def audit_page(
    filters: AuditFilters, *, before: int | None = None, limit: int = PAGE_SIZE
) -> AuditPage:
    """Entries newest first; `before` is the seq the page starts below."""
    entries: Any = audit_filter(filters)
    if before is not None:
        entries = entries.filter(seq__lt=before)
    rows = list(entries.order_by("-seq")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return AuditPage(entries=rows, next_before=rows[-1].seq if more and rows else None)
