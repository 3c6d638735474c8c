"""第十三条 annual evaluation in worker processes (rating.workers): the same results as in
this process, in chunk order, and a failing worker fails the run with nothing written."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection

from laborcredit.credit.models import CreditRecord
from laborcredit.credit.services import record_void
from laborcredit.lib.bulk import copy_text, insert_rows
from laborcredit.rating import services
from laborcredit.rating.chunks import RESULT_COLUMNS, Tally, result_copy_text
from laborcredit.rating.models import EvaluationRun, RunResult
from laborcredit.rating.services import evaluation_run_create
from laborcredit.rating.workers import WorkerFailed, connected, graded_in_workers
from tests.credit.helpers import days_ago
from tests.factories import EmployerFactory
from tests.rating.helpers import not_corrected, penalised

# Workers see committed rows only: `transactional_db` (not the transaction=True marker, see
# tests/browser/conftest.py) so that the rows are committed.
pytestmark = [
    pytest.mark.usefixtures("transactional_db"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="workers read the committed database over their own connections; "
        "SQLite's test database lives in this process's memory",
    ),
]


def _results(run: EvaluationRun) -> list[tuple[object, ...]]:
    return list(
        RunResult.objects.filter(run=run)
        .order_by("employer_id")
        .values_list("employer_id", "grade", "needs_review", "basis", "next_change_on")
    )


def test_workers_grade_as_this_process_does(monkeypatch):
    for _ in range(4):
        EmployerFactory()
    penalised(30)
    not_corrected()
    penalised(400)
    voided = penalised(30)  # its penalty voided: the workers read the latest versions too
    record_void(
        record=CreditRecord.objects.get(employer=voided, type="penalty_imposed"),
        reason="重复录入",
        actor="officer",
    )
    monkeypatch.setattr(services, "EVALUATION_CHUNK", 2)  # four chunks for two workers
    here = evaluation_run_create(as_of=days_ago(0), actor="张三", workers=1)
    there = evaluation_run_create(as_of=days_ago(0), actor="张三", workers=2)
    assert there.employer_count == 8
    assert RunResult.objects.get(run=there, employer=voided).grade == "B"
    assert there.counts == here.counts
    assert there.needs_review_count == here.needs_review_count == 2
    assert [r[1:] for r in _results(there)] == [r[1:] for r in _results(here)]
    assert [r[0] for r in _results(there)] == [r[0] for r in _results(here)]


def test_copy_text_stores_what_rows_store():
    """A worker's COPY text (backslashes, quotes, tabs in a reason; no next date) is stored
    exactly as the same rows inserted one by one."""
    first, second = EmployerFactory(), EmployerFactory()
    run = EvaluationRun.objects.create(as_of=days_ago(0), rule_version="x", created_by="张三")
    other = EvaluationRun.objects.create(as_of=days_ago(0), rule_version="x", created_by="张三")
    basis = json.dumps(
        [{"article": "第十二条(一)", "rule": "c", "reason": 'a\\b "c"\td\n（舞人社〔2026〕1号）'}],
        ensure_ascii=False,
    )
    rows = [
        (run.pk, first.pk, "C", True, "D", basis, "A", None),
        (run.pk, second.pk, "A", False, "", "[]", "", datetime.date(2027, 3, 1)),
    ]
    with connection.cursor() as cursor:
        copy_text(cursor.cursor, "rating_runresult", RESULT_COLUMNS,
                  result_copy_text(rows))  # fmt: skip
    insert_rows("rating_runresult", RESULT_COLUMNS, [(other.pk, *r[1:]) for r in rows])
    fields = ("employer_id", "grade", "needs_review", "provincial_level", "basis",
              "previous_grade", "next_change_on")  # fmt: skip
    copied = list(RunResult.objects.filter(run=run).order_by("employer_id").values_list(*fields))
    inserted = list(
        RunResult.objects.filter(run=other).order_by("employer_id").values_list(*fields)
    )
    assert copied == inserted
    assert copied[0][4][0]["reason"] == 'a\\b "c"\td\n（舞人社〔2026〕1号）'
    assert Tally.of(rows).counts == {"C": 1, "A": 1}
    assert Tally.of(rows).moved == 1


def test_a_failing_worker_fails_the_evaluation():
    database, queries = services._worker_connection(), services.chunk_queries(None)
    with pytest.raises(WorkerFailed, match="评价进程出错"):
        list(graded_in_workers(["not a job"], 1, database, queries))


def test_a_worker_that_cannot_connect_fails_the_evaluation():
    vendor, params = services._worker_connection()
    queries = services.chunk_queries(None)
    jobs = [services.ChunkJob(1, 1, 2, days_ago(0), None)]
    with pytest.raises(WorkerFailed, match=r"(?s)评价进程出错.*no_such_database"):
        list(graded_in_workers(jobs, 1, (vendor, {**params, "dbname": "no_such_database"}),
                               queries))  # fmt: skip


def test_a_failed_run_leaves_no_draft(monkeypatch):
    EmployerFactory()
    EmployerFactory()

    def broken(queries, jobs, workers):
        raise WorkerFailed("评价进程意外退出（退出码 -9）")
        yield  # pragma: no cover

    monkeypatch.setattr(services, "_graded_chunks", broken)
    with pytest.raises(WorkerFailed):
        evaluation_run_create(as_of=days_ago(0), actor="张三", workers=2)
    assert not EvaluationRun.objects.exists()
    assert not RunResult.objects.exists()


def test_a_worker_connection_reads_only_and_plans_no_parallel_query():
    """Each core runs one worker already: a chunk's query must not start PostgreSQL workers
    of its own, nor compile itself just in time; and a worker never writes."""
    vendor, params = services._worker_connection()
    postgres = connected(vendor, params)
    try:
        settings = {
            name: postgres.execute(f"SHOW {name}").fetchone()[0]
            for name in ("max_parallel_workers_per_gather", "jit", "default_transaction_read_only")
        }
    finally:
        postgres.close()
    assert settings == {
        "max_parallel_workers_per_gather": "0",
        "jit": "off",
        "default_transaction_read_only": "on",
    }
