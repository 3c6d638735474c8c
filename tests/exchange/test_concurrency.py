"""Two workers at once never send the same item twice, and a worker survives the database
restarting under it. PostgreSQL only: SQLite has one writer at a time and no backends to kill."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from laborcredit.exchange.models import OutboxItem, State
from laborcredit.exchange.push import Config, Pusher, http_send
from tests.exchange.test_push import arrived_order, city, expected_order


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SKIP LOCKED) and pg_terminate_backend are PostgreSQL's")


def unsent() -> int:
    return OutboxItem.objects.exclude(state=State.SENT).count()


def test_two_workers_at_once_never_send_an_item_twice(postgresql, configured, settings):
    settings.LABORCREDIT_PLATFORM_BATCH_SIZE = 3
    city(8)
    configured.slow_seconds = 0.05
    configured.script.extend(["slow"] * 200)
    errors: list[BaseException] = []
    sent = {"worker-a": 0, "worker-b": 0}

    def work(name: str) -> None:
        pusher = Pusher(Config.from_settings(), name=name)
        deadline = time.monotonic() + 60
        try:
            while unsent() and time.monotonic() < deadline:
                result = pusher.push_batch()
                sent[name] += result.sent
                if result.claimed == 0:
                    time.sleep(0.01)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections[DEFAULT_DB_ALIAS].close()

    threads = [threading.Thread(target=work, args=(n,)) for n in ("worker-a", "worker-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    items = list(OutboxItem.objects.all())
    assert all(i.state == State.SENT for i in items)
    assert sent["worker-a"] > 0 and sent["worker-b"] > 0  # both took part
    assert sent["worker-a"] + sent["worker-b"] == len(items)
    assert len(configured.deliveries) == len(items)  # as sent, not only as stored: once each
    assert arrived_order(configured) == expected_order()


def test_the_worker_survives_the_database_restarting_under_it(postgresql, configured):
    city(4)
    calls = []
    killed = threading.Event()

    def send(config, body, now):
        calls.append(1)
        if len(calls) == 2 and not killed.is_set():
            # The worker holds its batch; its database connection goes away meanwhile.
            killed.set()
            time.sleep(0.5)  # the main thread terminates the backend now
        return http_send(config, body, now)

    stop = threading.Event()
    reports: list[str] = []
    errors: list[BaseException] = []

    def sleep(seconds: float) -> None:
        stop.wait(min(seconds, 0.05))

    def run() -> None:
        try:
            Pusher(Config.from_settings(), send=send, name="survivor").run(
                stop=stop, sleep=sleep, report=reports.append
            )
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections[DEFAULT_DB_ALIAS].close()

    worker = threading.Thread(target=run)
    worker.start()
    assert killed.wait(30), "the worker never reached its second batch"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1
    deadline = time.monotonic() + 60
    while unsent() and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    worker.join(30)
    assert errors == []
    assert any("数据库连接中断" in line for line in reports), reports
    items = list(OutboxItem.objects.all())
    assert all(i.state == State.SENT for i in items)
    assert sorted(configured.stored) == sorted(i.idempotency_key for i in items)
    assert arrived_order(configured) == expected_order()
