"""A retry that overlaps the first call (PostgreSQL, real concurrent transactions): one record."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client

from laborcredit.api.models import ApiRateWindow, ApiRecordRequest
from laborcredit.audit.chain import verify
from laborcredit.credit.models import CreditRecord
from tests.api.helpers import call, make_key
from tests.measures.helpers import graded_a


@pytest.fixture
def postgresql_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers (IMMEDIATE transactions)")


def _at_once(callers: int, act):  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(callers)
    outcomes: list[object] = []

    def run() -> None:
        try:
            barrier.wait()
            outcomes.append(act())
        except BaseException as error:  # pragma: no cover - reported by the assertions
            outcomes.append(error)
        finally:
            connections[DEFAULT_DB_ALIAS].close()

    threads = [threading.Thread(target=run) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_retries_with_one_caller_id_file_one_record(postgresql_only):
    employer = graded_a()
    token = make_key("write_records")
    body = {
        "caller_id": "JC-2026-0042",
        "type": "violation_found",
        "date": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
        "case": "舞人社监〔2026〕42号",
    }
    url = f"/api/v1/employers/{employer.uscc}/records"
    outcomes = _at_once(4, lambda: call(Client(), "POST", url, token, body))
    statuses = sorted(getattr(o, "status_code", o) for o in outcomes)
    assert statuses == [200, 200, 200, 201], outcomes
    ids = {o.json()["record"]["id"] for o in outcomes}
    assert len(ids) == 1
    assert CreditRecord.objects.filter(employer=employer).count() == 1
    assert ApiRecordRequest.objects.count() == 1
    assert verify().ok


def test_concurrent_calls_are_all_counted_against_the_rate_limit(postgresql_only):
    employer = graded_a()
    token = make_key("read_grades", rate=5)
    url = f"/api/v1/employers/{employer.uscc}/grade"
    outcomes = _at_once(8, lambda: call(Client(), "GET", url, token))
    statuses = sorted(o.status_code for o in outcomes)
    # The minute may turn during the test: then up to twice the limit pass.
    assert statuses.count(429) >= 8 - 2 * 5 and statuses.count(200) >= 5, statuses
    assert sum(ApiRateWindow.objects.values_list("count", flat=True)) == 8
