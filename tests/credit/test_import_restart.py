"""A database connection lost in the middle of a large import leaves nothing, and the import
can simply be run again (security.md, reliability: database restart). PostgreSQL only."""

from __future__ import annotations

import csv
import datetime
import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from laborcredit.audit.chain import verify
from laborcredit.credit.importing import RECORD_COLUMNS, import_file
from laborcredit.credit.models import CreditRecord
from laborcredit.credit.services import credit_file_import
from tests.factories import make_uscc

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="pg_terminate_backend is PostgreSQL's",
    ),
]

EMPLOYERS = 1_000
RECORDS = 20_000
APPLICATION = "laborcredit_import_restart_test"


def write_records(path) -> None:
    day = datetime.date.today() - datetime.timedelta(days=40)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.header for c in RECORD_COLUMNS[:4]])
        for n in range(RECORDS):
            writer.writerow([make_uscc(500_000 + n % EMPLOYERS), "违反人社法律法规行为被查处",
                             (day - datetime.timedelta(days=n % 900)).isoformat(), f"R{n}"])  # fmt: skip


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}?application_name={APPLICATION}"


def terminate_when_inserting(process: subprocess.Popen, timeout: float = 60) -> bool:
    """Kill the import's server process once it is writing inside its transaction (records,
    then their audit entries and grades, by INSERT or COPY: any of them, so a busy machine
    cannot miss it)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline and process.poll() is None:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = %s"
                " AND xact_start IS NOT NULL AND (query ILIKE %s OR query ILIKE %s)",
                [APPLICATION, "%INSERT INTO%", "COPY %"],
            )
            row = cursor.fetchone()
            if row:
                cursor.execute("SELECT pg_terminate_backend(%s)", [row[0]])
                return True
            time.sleep(0.005)
    return False


def test_a_connection_killed_mid_import_leaves_nothing_and_a_rerun_imports_everything(
    tmp_path, transactional_db
):
    credit_file_import(
        employers=[
            (f"第{n}行", {"uscc": make_uscc(500_000 + n), "name": f"重启测试{n}号公司"})
            for n in range(EMPLOYERS)
        ],
        records=[],
        actor="officer",
    )
    path = tmp_path / "records.csv"
    write_records(path)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "laborcredit.settings",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "laborcredit.cli", "import", "records", str(path)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    killed = terminate_when_inserting(process)
    out, err = process.communicate(timeout=120)
    assert killed, f"the import finished before it could be interrupted: {out}{err}"
    assert process.returncode == 1
    assert "本次导入已整体回滚" in err and "Traceback" not in err
    assert CreditRecord.objects.count() == 0

    result = import_file(path, "records", actor="officer")
    assert result.summary.records_created == RECORDS
    assert CreditRecord.objects.count() == RECORDS
    assert verify().ok
