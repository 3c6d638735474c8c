"""A request that cannot have its lock in time: a 503 in Chinese, and nothing saved
(laborcredit.lib.locks, laborcredit.web.middleware.BusyMiddleware)."""

from __future__ import annotations

import datetime
import json
import os
import threading
import time
from collections.abc import Iterator

import psycopg
import pytest
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.test import Client, RequestFactory
from django.urls import reverse

from laborcredit.audit.chain import verify
from laborcredit.audit.models import AuditEntry
from laborcredit.credit.models import CreditRecord, Employer
from laborcredit.jobs.models import Job
from laborcredit.jobs.runner import STALE_AFTER_SECONDS, Progress, job_path
from laborcredit.lib import locks
from laborcredit.web.middleware import BusyMiddleware
from laborcredit.web.runs import APPROVE_KIND
from tests.api.helpers import call, make_key
from tests.measures.helpers import graded_a
from tests.web.helpers import log_in, user_with

YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)
CASE = "舞人社监〔2026〕9号"


def _answer(path: str, error: Exception):  # type: ignore[no-untyped-def]
    request = RequestFactory().post(path)
    return BusyMiddleware(lambda r: None).process_exception(request, error)  # type: ignore[arg-type,return-value]


def _wrapped(error: Exception) -> OperationalError:
    wrapped = OperationalError(str(error))
    wrapped.__cause__ = error
    return wrapped


def test_a_postgresql_lock_timeout_is_a_503_in_chinese_with_a_retry_after():
    response = _answer("/api/v1/x", _wrapped(psycopg.errors.LockNotAvailable("lock timeout")))
    assert response.status_code == 503
    assert response["Retry-After"] == str(locks.RETRY_AFTER_SECONDS)
    body = json.loads(response.content)
    assert body["code"] == "busy" and "没有保存任何内容" in body["message"]


def test_a_deadlock_is_answered_the_same_way():
    response = _answer("/api/v1/x", _wrapped(psycopg.errors.DeadlockDetected("deadlock")))
    assert response.status_code == 503


def test_sqlite_giving_up_on_its_write_lock_is_answered_the_same_way():
    assert locks.lock_not_obtained(OperationalError("database is locked"))


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        DatabaseError("relation does not exist"),
        ValueError("database is locked"),
    ],
)
def test_other_errors_are_left_to_the_server_error_page(error):
    assert not locks.lock_not_obtained(error)
    assert _answer("/employers/", error) is None


# ---------------------------------------------------------------- a lock held for real


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks: its busy_timeout is the bound (test above)")


@pytest.fixture
def held(postgresql) -> Iterator[Employer]:
    """An employer whose row another session holds locked (as an approval or an import does),
    while this session waits at most 0.3 s for a lock."""
    employer = graded_a()
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                Employer.objects.select_for_update().get(pk=employer.pk)
                locked.set()
                release.wait(30)
        finally:
            connections[DEFAULT_DB_ALIAS].close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(10)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")
    try:
        yield employer
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


def _counts() -> tuple[int, int]:
    return CreditRecord.objects.count(), AuditEntry.objects.count()


def _entry(**extra: str) -> dict[str, str]:
    return {"type": "violation_found", "date": YESTERDAY.isoformat(), "case": CASE, **extra}


def test_a_record_entered_on_a_page_while_the_employer_is_locked_is_refused_and_not_saved(held):
    client = log_in(
        Client(),
        user_with("credit.view_employer", "credit.view_creditrecord", "credit.add_creditrecord"),
    )
    url = reverse("employers:record_new", args=[held.uscc])
    before = _counts()
    response = client.post(url, _entry(disclosure="public", action="confirm"))
    page = response.content.decode()
    assert response.status_code == 503
    assert "系统正忙" in page and "没有保存任何内容" in page and "Traceback" not in page
    assert response["Retry-After"] == str(locks.RETRY_AFTER_SECONDS)
    assert _counts() == before


def test_a_record_filed_over_the_api_while_the_employer_is_locked_is_refused_and_audited(held):
    token = make_key("write_records")
    before = CreditRecord.objects.count()
    url = f"/api/v1/employers/{held.uscc}/records"
    body = _entry(caller_id="JC-2026-0901")
    response = call(Client(), "POST", url, token, body)
    assert response.status_code == 503, response.content
    assert response.json()["code"] == "busy"
    assert response["Retry-After"] == str(locks.RETRY_AFTER_SECONDS)
    assert CreditRecord.objects.count() == before
    # AU1: the refused call has its one entry, with its status and code.
    entry = AuditEntry.objects.filter(event="api_call").latest("pk")
    assert entry.data["status"] == 503 and entry.data["code"] == "busy"
    assert verify().ok
    # The API's description says so: 503 is a documented answer of this endpoint.
    schema = Client().get("/api/v1/openapi.json").json()
    assert "503" in schema["paths"]["/api/v1/employers/{uscc}/records"]["post"]["responses"]


def test_once_the_lock_is_released_the_same_entry_is_saved(postgresql):
    employer = graded_a()
    client = log_in(
        Client(),
        user_with("credit.view_employer", "credit.view_creditrecord", "credit.add_creditrecord"),
    )
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")
    try:
        url = reverse("employers:record_new", args=[employer.uscc])
        response = client.post(url, _entry(disclosure="public", action="confirm"))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert response.status_code == 302
    assert CreditRecord.objects.filter(employer=employer, case=CASE).count() == 1


# ---------------------------------------------------------------- said before the form is filled


def _running_approval(*, alive: bool) -> Job:
    job = Job.objects.create(
        kind=APPROVE_KIND, title="批准第 7 次评价（评价日期 2026-12-31）", params={"run": 7},
        created_by="leader",
    )  # fmt: skip
    Progress(job).update("写入正式信用等级", 5000, 100000, force=True)
    if not alive:  # its process died: no progress for longer than STALE_AFTER_SECONDS
        then = time.time() - STALE_AFTER_SECONDS - 60
        os.utime(job_path(job.pk, "progress.json"), (then, then))
    return job


@pytest.mark.django_db
@pytest.mark.parametrize("alive", [True, False])
def test_the_entry_form_says_when_an_approval_is_running(alive):
    employer = graded_a()
    client = log_in(
        Client(),
        user_with("credit.view_employer", "credit.view_creditrecord", "credit.add_creditrecord"),
    )
    url = reverse("employers:record_new", args=[employer.uscc])
    assert "正在批准" not in client.get(url).content.decode()
    _running_approval(alive=alive)
    page = client.get(url).content.decode()
    # A job whose process died (no progress for minutes) holds no lock: nothing is said.
    assert ("年度评价结果正在批准（批准第 7 次评价" in page) is alive
