"""The web's bound on lock waits (laborcredit.lib.locks): the web server's sessions have it, a
background job's thread and the commands do not."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from laborcredit.jobs.models import Job
from laborcredit.jobs.runner import job_start
from laborcredit.lib import locks


def _lock_timeout() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        return str(cursor.fetchone()[0])


@pytest.fixture
def bounded_sessions(transactional_db, monkeypatch):
    """New connections made as the web server makes them: waiting at most 7 s for a lock."""
    if connection.vendor != "postgresql":
        pytest.skip("lock_timeout is PostgreSQL's; SQLite's bound is its busy_timeout")
    options = connections.settings[DEFAULT_DB_ALIAS].setdefault("OPTIONS", {})
    monkeypatch.setitem(options, "options", options.get("options", "") + " -c lock_timeout=7000")


def _in_a_thread(act):  # type: ignore[no-untyped-def]
    seen: list[object] = []

    def run() -> None:
        try:
            seen.append(act())
        finally:
            connections[DEFAULT_DB_ALIAS].close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return seen[0]


def test_a_request_thread_waits_at_most_the_bound(bounded_sessions):
    assert _in_a_thread(_lock_timeout) == "7s"


def test_inside_waiting_unbounded_a_new_connection_has_no_bound(bounded_sessions):
    def unbounded() -> str:
        with locks.waiting_unbounded():
            return _lock_timeout()

    assert _in_a_thread(unbounded) == "0"


def test_a_background_job_waits_without_the_bound(bounded_sessions, settings):
    settings.LABORCREDIT_JOBS_INLINE = False
    job = job_start(
        kind="demo", title="测试", actor="officer", params={},
        work=lambda job, progress: {"lock_timeout": _lock_timeout()},
    )  # fmt: skip
    for _ in range(200):
        if Job.objects.get(pk=job.pk).status != Job.Status.RUNNING:
            break
        time.sleep(0.05)
    assert Job.objects.get(pk=job.pk).result == {"lock_timeout": "0"}


CHECK = (
    "import os, sys; sys.argv=['gunicorn'];"
    "import laborcredit.wsgi; from django.conf import settings;"
    "print(settings.DATABASES['default']['OPTIONS'].get('options', ''))"
)


def _options_in(entry: str, tmp_path, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LABORCREDIT_LOCK")}
    code = CHECK if entry == "wsgi" else CHECK.replace("import laborcredit.wsgi;", "import django;"
        "os.environ['DJANGO_SETTINGS_MODULE']='laborcredit.settings';")  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **clean,
            "DATABASE_URL": "postgres://someone@db.example:5432/laborcredit",
            "LABORCREDIT_DATA_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_wsgi_entry_bounds_lock_waits_below_gunicorns_timeout(tmp_path):
    assert locks.LOCK_WAIT_SECONDS < locks.WEB_TIMEOUT_SECONDS
    assert _options_in("wsgi", tmp_path) == (
        f"-c jit=off -c lock_timeout={locks.LOCK_WAIT_SECONDS * 1000}"
    )


def test_the_deployment_may_set_its_own_bound(tmp_path):
    assert _options_in("wsgi", tmp_path, LABORCREDIT_LOCK_WAIT_SECONDS="5") == (
        "-c jit=off -c lock_timeout=5000"
    )


def test_commands_have_no_bound(tmp_path):
    assert _options_in("settings", tmp_path) == "-c jit=off"
