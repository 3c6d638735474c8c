"""第十三条 annual evaluation in worker processes on an SQLite file (the embedded default): the
workers read the file beside the evaluation's write transaction (WAL) and the results are
those of grading in one process.

The test database is in this process's memory, where no worker can read; so this test
makes a small SQLite file of its own (benchmarks/dataset.py) and evaluates it in another
process, once in that process and once with two workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the PostgreSQL run tests its own workers"
)

EVALUATE = """
import datetime, json
import django
django.setup()
from laborcredit.audit.context import acting_as
from laborcredit.rating import services
from laborcredit.rating.models import RunResult

started = []
graded_in_workers = services.graded_in_workers
def counted(jobs, workers, database, queries):
    started.append((workers, database[0]))
    return graded_in_workers(jobs, workers, database, queries)
services.graded_in_workers = counted
services.EVALUATION_CHUNK = 25  # five chunks of 120 employers

def results(workers):
    with acting_as(actor="test", role="system", address="local"):
        run = services.evaluation_run_create(
            as_of=datetime.date(2026, 11, 24), actor="test", workers=workers)
    rows = RunResult.objects.filter(run=run).order_by("employer_id").values_list(
        "employer_id", "grade", "needs_review", "provincial_level", "basis", "previous_grade",
        "next_change_on")
    return {"counts": run.counts, "employers": run.employer_count,
            "rows": [[str(value) for value in row] for row in rows]}

here = results(1)
there = results(2)
print(json.dumps({"here": here, "there": there, "started": started}))
"""


def test_workers_read_an_sqlite_file_and_grade_as_this_process_does(tmp_path):
    url = f"sqlite:///{tmp_path / 'city.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "LABORCREDIT_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "laborcredit.settings",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}  # fmt: skip
    made = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "dataset.py"), "--employers", "120",
         "--records-per-employer", "10", "--database-url", url, "--migrate", "--no-baseline"],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr[-2000:]
    done = subprocess.run(
        [sys.executable, "-c", EVALUATE], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["started"] == [[2, "sqlite"]]  # the second run, and only it, used workers
    here, there = found["here"], found["there"]
    assert there["employers"] == here["employers"] == 120
    assert there["counts"] == here["counts"]
    assert len({row[1] for row in here["rows"]}) > 1  # more than one grade among them
    assert there["rows"] == here["rows"]
