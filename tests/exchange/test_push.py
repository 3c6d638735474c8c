"""Sending the outbox to a platform on 127.0.0.1 that misbehaves on purpose (第六条、第二十条)."""

from __future__ import annotations

import datetime

import pytest

from laborcredit.exchange.models import Kind, OutboxItem, PushReceipt, State
from laborcredit.exchange.push import Config, Pusher, backoff
from laborcredit.exchange.services import item_retry
from laborcredit.lib.errors import Refused
from laborcredit.objections.models import State as ObjectionState
from laborcredit.objections.services import objection_notify
from tests.exchange.conftest import drain
from tests.factories import EmployerFactory
from tests.objections.helpers import decided
from tests.web.helpers import penalise

pytestmark = pytest.mark.django_db


def city(employers: int = 3) -> list:
    """Employers, each with a violation and a penalty: several items each, in order."""
    made = []
    for n in range(employers):
        employer = EmployerFactory()
        penalise(employer, case=f"舞人社监〔2026〕{n + 1}号")
        made.append(employer)
    return made


def expected_order() -> dict[int, list[str]]:
    order: dict[int, list[str]] = {}
    for item in OutboxItem.objects.order_by("pk"):
        order.setdefault(item.employer.pk, []).append(item.idempotency_key)
    return order


def arrived_order(platform) -> dict[int, list[str]]:
    by_uscc: dict[str, list[str]] = {}
    for key in platform.order:
        by_uscc.setdefault(platform.stored[key]["uscc"], []).append(key)
    return {
        e.pk: by_uscc.get(e.uscc, [])
        for e in {i.employer for i in OutboxItem.objects.select_related("employer")}
    }


def test_a_well_behaved_platform_receives_every_item_once_in_order(pusher, configured, clock):
    city(3)
    pusher.push_due()
    items = list(OutboxItem.objects.all())
    assert all(i.state == State.SENT and i.receipt_id.startswith("R") for i in items)
    assert sorted(configured.stored) == sorted(i.idempotency_key for i in items)
    assert all(configured.delivered(i.idempotency_key) == 1 for i in items)
    assert arrived_order(configured) == expected_order()
    assert configured.bad_signatures == 0


def test_a_batch_holds_only_each_employers_earliest_unsent_item(pusher, configured):
    employers = city(2)
    claimed = pusher.claim()
    assert sorted(i.employer_id for i in claimed) == sorted(e.pk for e in employers)
    firsts = {
        e.pk: OutboxItem.objects.filter(employer=e).order_by("pk").first().pk for e in employers
    }
    assert {i.pk for i in claimed} == set(firsts.values())
    # A second worker finds nothing: the heads are leased, the rest wait behind them.
    assert Pusher(pusher.config, now=pusher.now, name="worker-b").claim() == []


@pytest.mark.parametrize(
    "trouble", ["500", "timeout", "drop", "slow", "duplicate", "partial", "garbage"]
)
def test_every_item_arrives_exactly_once_whatever_the_platform_does(
    pusher, configured, clock, trouble
):
    city(3)
    configured.script.extend([trouble, trouble, "ok", trouble])
    drain(pusher, clock)
    items = list(OutboxItem.objects.all())
    assert all(i.state == State.SENT for i in items)
    assert sorted(configured.stored) == sorted(i.idempotency_key for i in items)
    assert len(configured.order) == len(set(configured.order)) == len(items)
    assert arrived_order(configured) == expected_order()
    for item in items:  # one stored receipt per item, the first one; repeats are kept, flagged
        receipts = PushReceipt.objects.filter(item=item)
        assert receipts.filter(duplicate=False).count() == 1
        assert item.receipt_id == configured.stored[item.idempotency_key]["receipt_id"]


def test_a_dropped_answer_is_sent_again_and_the_platform_recognises_the_repeat(
    pusher, configured, clock
):
    city(1)
    configured.script.extend(["drop"])
    pusher.push_batch()
    head = OutboxItem.objects.order_by("pk").first()
    assert head.state == State.PENDING and head.attempts == 1
    assert "连接" in head.last_error
    drain(pusher, clock)
    assert configured.delivered(head.idempotency_key) == 2  # stored once, answered "duplicate"
    assert len(configured.order) == OutboxItem.objects.count()
    head.refresh_from_db()
    assert head.receipt["status"] == "duplicate" and head.state == State.SENT


def test_failures_back_off_exponentially_with_jitter(pusher, configured, clock):
    city(1)
    head = OutboxItem.objects.order_by("pk").first()
    configured.script.extend(["500", "500", "500"])
    waits = []
    for _ in range(3):
        start = clock()
        pusher.push_batch()
        head.refresh_from_db()
        waits.append((head.next_attempt_at - start).total_seconds())
        assert pusher.push_batch().claimed == 0  # not due before its time
        clock.advance(waits[-1])
    assert waits == [10, 20, 40]  # jitter at its top: base × 2^(n-1)
    assert head.last_error == "平台返回 HTTP 500"
    config = Config(url="x", app_id="a", secret="s", backoff_base=10, backoff_max=300)
    assert backoff(1, config, lambda: 0.0) == 5  # jitter at its bottom: half
    assert backoff(20, config, lambda: 0.5) == 225  # capped at 300


def test_after_max_attempts_an_item_is_parked_and_holds_back_its_employers_later_items(
    pusher, configured, clock
):
    employer = city(1)[0]
    head = OutboxItem.objects.filter(employer=employer).order_by("pk").first()
    configured.script.extend(["reject"] * 4)
    for _ in range(4):
        pusher.push_due()
        clock.advance(1000)
    head.refresh_from_db()
    assert head.state == State.FAILED and head.attempts == 4
    assert head.last_error == "平台拒收：数据项不完整"
    pusher.push_due()
    assert configured.stored == {}  # order kept: nothing later goes before it
    with pytest.raises(Refused) as refused:
        item_retry(item=OutboxItem.objects.exclude(pk=head.pk).first(), actor="officer")
    assert refused.value.codes == ["push-not-failed"]

    item_retry(item=head, actor="officer")
    head.refresh_from_db()
    assert head.state == State.PENDING and head.attempts == 0
    drain(pusher, clock)
    assert configured.order == [i.idempotency_key for i in OutboxItem.objects.order_by("pk")]


def test_a_wrong_secret_is_refused_by_the_platform_and_counted_as_a_failure(
    settings, configured, clock
):
    settings.LABORCREDIT_PLATFORM_SECRET = "wrong"
    city(1)
    Pusher(Config.from_settings(), now=clock, rand=lambda: 1.0).push_batch()
    assert configured.bad_signatures == 1 and configured.stored == {}
    assert OutboxItem.objects.order_by("pk").first().last_error == "平台返回 HTTP 401"


def test_the_objection_push_is_recorded_from_the_receipt_once_the_applicant_is_told(
    pusher, configured, clock
):
    employer = EmployerFactory()
    _, penalty = penalise(employer)
    objection = decided(employer, penalty, received_on=datetime.date.today())
    drain(pusher, clock)  # sent before the notice: nothing to record yet
    item = OutboxItem.objects.get(kind=Kind.OBJECTION_OUTCOME)
    assert item.state == State.SENT
    objection.refresh_from_db()
    assert objection.state == ObjectionState.DECIDED
    told = objection_notify(objection=objection, actor="officer")
    assert told.state == ObjectionState.PUSHED
    assert told.push_reference == item.receipt_id and told.pushed_by == "推送服务"


def test_an_outcome_sent_after_the_notice_records_the_push_with_the_receipt(
    pusher, configured, clock
):
    employer = EmployerFactory()
    _, penalty = penalise(employer)
    objection = objection_notify(
        objection=decided(employer, penalty, received_on=datetime.date.today()), actor="officer"
    )
    assert objection.state == ObjectionState.NOTIFIED
    drain(pusher, clock)
    objection.refresh_from_db()
    item = OutboxItem.objects.get(kind=Kind.OBJECTION_OUTCOME)
    assert objection.state == ObjectionState.PUSHED
    assert objection.push_reference == item.receipt_id


def test_the_worker_loop_sends_what_is_due_then_waits_until_stopped(pusher, configured, clock):
    import threading

    city(2)
    stop = threading.Event()
    waits: list[float] = []
    reports: list[str] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        stop.set()  # the first idle wait ends the run

    pusher.run(stop=stop, sleep=sleep, report=reports.append)
    assert OutboxItem.objects.exclude(state=State.SENT).count() == 0
    assert waits == [pusher.config.poll_interval]
    assert reports and reports[0].startswith("推送 ")


def test_sends_and_retries_are_in_the_audit_log(pusher, configured, clock):
    from laborcredit.audit.chain import verify
    from laborcredit.audit.models import AuditEntry
    from laborcredit.exchange.services import RETRY_EVENT

    city(1)
    pusher.push_batch()
    sent = AuditEntry.objects.filter(event="push_sent", actor="推送服务").get()
    assert sent.data["items"] == 1
    head = OutboxItem.objects.order_by("pk").first()
    OutboxItem.objects.filter(pk=head.pk).update(state=State.FAILED)
    item_retry(item=head, actor="officer")
    retry = AuditEntry.objects.filter(event=RETRY_EVENT, object_id=head.idempotency_key).get()
    assert retry.data["step"] == "人工重试"
    assert verify().ok
