"""The verification page's count is shared by separate processes: two Python processes count
attempts from one address into the same database, and the second is refused after the 30th.

No module-wide django_db mark: the test asks for `transactional_db`, whose flush
tests/conftest.py lets past the append-only triggers."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from laborcredit.reports.services import VERIFY_LIMIT

ROOT = Path(__file__).resolve().parents[2]
NOON = datetime.datetime(2026, 3, 2, 4, 0, tzinfo=datetime.UTC)

ATTEMPTS_IN_A_PROCESS = """
import datetime, json, sys
import django
django.setup()
from django.db import connection
from laborcredit.reports.models import VerifyRateWindow
from laborcredit.reports.services import verify_attempt_limited

if sys.argv[1] == "create":  # an SQLite file of this test's own: the table is all it needs
    with connection.schema_editor() as editor:
        editor.create_model(VerifyRateWindow)
now = datetime.datetime.fromisoformat(sys.argv[2])
print(json.dumps([verify_attempt_limited(address="192.0.2.50", now=now) for _ in range(20)]))
"""


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """A database URL other processes can open, and whether its table must be made: the test
    database on PostgreSQL (transactional: what one process commits the next one sees, and
    nothing is left behind), a file of the test's own on SQLite (whose test database is in this
    process's memory)."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        return f"postgres://{auth}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}", False
    return f"sqlite:///{tmp_path / 'verify.sqlite3'}", True


def test_two_processes_share_one_count(shared_database, tmp_path):
    url, create = shared_database
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "LABORCREDIT_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "laborcredit.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    answers = []
    for step in ("create" if create else "-", "-"):
        done = subprocess.run(
            [sys.executable, "-c", ATTEMPTS_IN_A_PROCESS, step, NOON.isoformat()],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        answers.append(json.loads(done.stdout))
    first, second = answers
    assert first == [False] * 20
    assert second == [False] * (VERIFY_LIMIT - 20) + [True] * (40 - VERIFY_LIMIT)
