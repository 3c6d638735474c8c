"""`push_summary` for the reports: counts by state and kind, on time and late (第二十条)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from laborcredit.exchange.models import Kind, OutboxItem, State
from laborcredit.exchange.selectors import push_alerts, push_summary
from tests.exchange.test_push import city
from tests.factories import EmployerFactory
from tests.objections.helpers import decided
from tests.web.helpers import penalise

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def outcome_item():
    employer = EmployerFactory()
    _, penalty = penalise(employer)
    decided(employer, penalty, received_on=TODAY)
    return OutboxItem.objects.get(kind=Kind.OBJECTION_OUTCOME, employer=employer)


def test_the_summary_counts_items_by_state_and_kind():
    city(2)
    first = OutboxItem.objects.order_by("pk").first()
    OutboxItem.objects.filter(pk=first.pk).update(state=State.SENT, sent_at=timezone.now())
    summary = push_summary(start=TODAY, end=TODAY)
    total = OutboxItem.objects.count()
    assert summary["created"] == total and summary["sent"] == 1 and summary["queued"] == total - 1
    assert summary["by_kind"]["penalty"]["created"] == 2
    assert summary["by_kind"]["objection_outcome"] == {"label": "异议处理结果", "created": 0,
                                                       "queued": 0, "sent": 0, "failed": 0}  # fmt: skip
    assert (
        push_summary(
            start=TODAY - datetime.timedelta(days=9), end=TODAY - datetime.timedelta(days=1)
        )["created"]
        == 0
    )


def test_outcomes_sent_by_their_deadline_are_on_time_and_after_it_late():
    on_time, late, unsent = outcome_item(), outcome_item(), outcome_item()
    OutboxItem.objects.filter(pk=on_time.pk).update(state=State.SENT, sent_at=timezone.now())
    OutboxItem.objects.filter(pk=late.pk).update(
        state=State.SENT, sent_at=timezone.now(), due_on=TODAY - datetime.timedelta(days=1)
    )
    OutboxItem.objects.filter(pk=unsent.pk).update(
        state=State.FAILED, due_on=TODAY - datetime.timedelta(days=2)
    )
    summary = push_summary(start=TODAY, end=TODAY)
    assert (summary["sent_on_time"], summary["sent_late"], summary["overdue_unsent"]) == (1, 1, 1)
    assert summary["failed"] == 1
    assert push_alerts(today=TODAY) == {"failed": 1, "late": 1, "total": 1}
