"""Every test keeps audit keys and checkpoints in tmp_path, and flushes around the append-only triggers.

`transactional_db` is overridden here: pytest-django empties the database after
such a test (TRUNCATE on PostgreSQL, DELETE on SQLite), which the append-only
triggers refuse. The override lifts the triggers just before that flush and
puts them back after it. To be moved to tests/conftest.py once other apps'
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection, connections

from laborcredit.lib.appendonly import installed_triggers


@pytest.fixture(autouse=True)
def audit_files(settings, tmp_path):
    settings.LABORCREDIT_AUDIT_SIGNING_KEY = tmp_path / "keys" / "audit-signing-key.pem"
    settings.LABORCREDIT_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return SimpleNamespace(
        key=settings.LABORCREDIT_AUDIT_SIGNING_KEY,
        checkpoints=settings.LABORCREDIT_AUDIT_CHECKPOINT_DIR / "checkpoints.jsonl",
    )


def lift_append_only_triggers() -> list[str]:
    """Drop every append-only trigger; returns the statements that re-create them."""
    saved = []
    with connection.cursor() as cursor:
        for trigger in installed_triggers(connection):
            if connection.vendor == "postgresql":
                cursor.execute(f'DROP TRIGGER "{trigger.name}" ON "{trigger.table}"')
            else:
                cursor.execute(f'DROP TRIGGER "{trigger.name}"')
            saved.append(trigger.definition)
    return saved


@pytest.fixture
def _append_only_triggers_restored(django_db_blocker):
    saved: list[str] = []
    yield saved
    if saved:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            for statement in saved:
                cursor.execute(statement)


@pytest.fixture
def transactional_db(_append_only_triggers_restored, transactional_db, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        _append_only_triggers_restored.extend(lift_append_only_triggers())


@pytest.fixture
def command_line(monkeypatch, capsys):
    """`laborcredit …` as typed: (exit status, stdout, stderr), keeping the test database open
    (Django closes every connection after a command)."""
    from laborcredit.cli import main

    monkeypatch.setattr(connections, "close_all", lambda: None)

    def invoke(*argv: str) -> tuple[int, str, str]:
        try:
            status = main(list(argv))
        except SystemExit as exit_:
            status = exit_.code
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke
