"""Many writers at once still make one linear chain (AU3)."""

from __future__ import annotations

import copy
import threading
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.utils import load_backend

from laborcredit.audit.chain import verify
from laborcredit.audit.context import acting_as
from laborcredit.audit.models import AuditEntry
from laborcredit.audit.services import audit_append, audit_append_alone, audit_held
from laborcredit.lib.appendonly import install

WRITERS = 8
APPENDS = 20


def _write(number: int, errors: list[BaseException], connect=None) -> None:
    try:
        if connect is not None:
            connections[DEFAULT_DB_ALIAS] = connect()
        with acting_as(actor=f"writer{number}", role="credit_officer", address="10.0.0.1"):
            for step in range(APPENDS):
                if number % 2 and step % 2:  # an API call's entry, its own transaction
                    audit_append_alone(
                        event="api_call", object_type="sample", object_id=f"{number}-{step}"
                    )
                    continue
                with transaction.atomic():
                    audit_append(
                        event="record_create",
                        object_type="sample",
                        object_id=f"{number}-{step}",
                    )
    except BaseException as error:
        errors.append(error)
    finally:
        connections[DEFAULT_DB_ALIAS].close()


def _run_writers(connect=None) -> None:
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_write, args=(number, errors, connect)) for number in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.slow
def test_concurrent_writers_on_postgresql_make_one_valid_chain(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the SQLite case runs on a file database below")
    _run_writers()
    result = verify()
    assert result.ok, result.problem
    assert result.length == WRITERS * APPENDS
    assert AuditEntry.objects.values("prev_hash").distinct().count() == WRITERS * APPENDS


@pytest.mark.slow
def test_concurrent_writers_on_a_sqlite_file_make_one_valid_chain(db, tmp_path, monkeypatch):
    """The test database is in memory; writers need a file, as in production."""
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL case runs above")
    # The file holds the audit table alone: no registered record table to check.
    monkeypatch.setattr("laborcredit.audit.chain.hashed_models", {})
    settings_dict = copy.deepcopy(connections.settings[DEFAULT_DB_ALIAS])
    settings_dict["NAME"] = str(tmp_path / "audit.sqlite3")
    backend = load_backend(settings_dict["ENGINE"])

    def connect():
        return backend.DatabaseWrapper(copy.deepcopy(settings_dict), DEFAULT_DB_ALIAS)

    setup = connect()
    with setup.schema_editor() as editor:
        editor.create_model(AuditEntry)
    install(setup, AuditEntry._meta.db_table)
    setup.close()

    _run_writers(connect)

    outcome: dict = {}

    def check():
        connections[DEFAULT_DB_ALIAS] = connect()
        try:
            outcome["result"] = verify()
            outcome["count"] = AuditEntry.objects.count()
        finally:
            connections[DEFAULT_DB_ALIAS].close()

    checker = threading.Thread(target=check)
    checker.start()
    checker.join()
    assert outcome["result"].ok, outcome["result"].problem
    assert outcome["result"].length == outcome["count"] == WRITERS * APPENDS


@pytest.mark.slow
def test_other_writers_do_not_wait_for_a_held_block(transactional_db):
    """While a block that has appended entries runs on, another connection appends an entry
    of its own transaction (an API call) at once; the held entries follow it in the chain."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time by design")
    waited: list[float] = []
    errors: list[BaseException] = []

    def api_call() -> None:
        try:
            started = time.perf_counter()
            audit_append_alone(event="api_call", object_type="sample", object_id="api")
            waited.append(time.perf_counter() - started)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections[DEFAULT_DB_ALIAS].close()

    with transaction.atomic(), audit_held():
        audit_append(event="record_create", object_type="sample", object_id="1")
        other = threading.Thread(target=api_call)
        other.start()
        other.join(timeout=10)
        assert not other.is_alive(), "the API call waited for the held block"
        audit_append(event="record_create", object_type="sample", object_id="2")
    assert errors == [] and waited and waited[0] < 5
    assert list(AuditEntry.objects.order_by("seq").values_list("object_id", flat=True)) == [
        "api",
        "1",
        "2",
    ]
    result = verify()
    assert result.ok, result.problem
