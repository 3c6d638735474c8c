"""The audit viewer: the log newest first with filters, and the chain's verification.

Every look at the log is itself logged (AU1): one `audit_query` entry per list
view, naming its filters; the verify button writes `audit_verify`.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from laborcredit.audit import events
from laborcredit.audit.models import AuditEntry
from laborcredit.audit.selectors import AuditFilters, audit_page
from laborcredit.audit.services import audit_append, audit_verify
from laborcredit.lib.masking import mask_id_numbers_in

PERMISSION = "audit.view_auditentry"
FILTERS = ("event", "actor", "object", "outcome", "date_from", "date_to")
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _choices() -> dict[str, Any]:
    return {
        "event_choices": [(e.name, e.label) for e in events.EVENTS.values()],
        "outcome_choices": list(events.OUTCOMES.items()),
    }


def _parse_date(value: str, label: str, problems: list[str]) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{label}应为日期，格式如 2026-11-24")
        return None


def _row(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "time": entry.ts.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"),
        "actor": events.actor_label(entry.actor, address=entry.address),
        "role": events.role_label(entry.role),
        "address": events.address_label(entry.address),
        "sentence": events.render(entry, with_outcome=False),  # the outcome has its column
        "outcome": entry.outcome,
        "outcome_label": events.OUTCOMES.get(entry.outcome, entry.outcome),
        "request_id": entry.request_id,
        "hash": entry.hash,
        "short_hash": f"{entry.hash[:12]}…",
    }


@require_GET
@login_required
@permission_required(PERMISSION, raise_exception=True)
def audit_list(request: HttpRequest) -> HttpResponse:
    """审计日志: filters, newest first, 100 a page (`before` is the next page's cursor)."""
    params = request.GET
    chosen = {name: params.get(name, "").strip() for name in FILTERS}
    problems: list[str] = []
    if chosen["event"] and chosen["event"] not in events.EVENTS:
        problems.append("未知的事件类型")
    if chosen["outcome"] and chosen["outcome"] not in events.OUTCOMES:
        problems.append("未知的结果")
    date_from = _parse_date(chosen["date_from"], "起始日期", problems)
    date_to = _parse_date(chosen["date_to"], "截止日期", problems)
    if date_from and date_to and date_from > date_to:
        problems.append(
            f"起始日期 {date_from.isoformat()} 晚于截止日期 {date_to.isoformat()}，请调整后重新查询"
        )
    before_text = params.get("before", "")
    before = None
    if before_text:
        if before_text.isdigit():
            before = int(before_text)
        else:
            problems.append("翻页参数无效")
    context: dict[str, Any] = {"chosen": chosen, "before": before, **_choices()}
    if problems:
        context["problems"] = problems
        return render(request, "audit/list.html", context, status=400)

    filters = AuditFilters(
        event=chosen["event"],
        actor=chosen["actor"],
        object=chosen["object"],
        outcome=chosen["outcome"],
        date_from=date_from,
        date_to=date_to,
    )
    page = audit_page(filters, before=before)
    kept = {k: v for k, v in chosen.items() if v}
    logged = {k: mask_id_numbers_in(v) for k, v in kept.items()}
    if before is not None:
        logged["before"] = str(before)
    with transaction.atomic():  # AU1: the query is audited; no entry, no page
        audit_append(event="audit_query", object_type="audit_log", data={"filters": logged})
    context.update(
        rows=[_row(entry) for entry in page.entries],
        next_url=f"?{urlencode({**kept, 'before': page.next_before})}" if page.next_before else "",
        first_url=f"?{urlencode(kept)}",
        filtered=bool(kept),
    )
    return render(request, "audit/list.html", context)


@require_POST
@login_required
@permission_required(PERMISSION, raise_exception=True)
def audit_verify_view(request: HttpRequest) -> HttpResponse:
    """核验审计日志: recompute the whole chain (audited by `audit_verify`)."""
    result = audit_verify()
    return render(
        request,
        "audit/verify.html",
        {"result": result, "head_short": f"{result.head_hash[:16]}…"},
        status=200,
    )
