"""audit_append_alone: an entry that is its own transaction (an API call's, AU1), on PostgreSQL
written and committed in one round trip with the hash computed by the database."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from laborcredit.audit.chain import verify
from laborcredit.audit.context import acting_as
from laborcredit.audit.models import GENESIS, AuditEntry
from laborcredit.audit.services import AuditError, audit_append, audit_append_alone
from tests.audit.helpers import refusing_audit_inserts

pytestmark = pytest.mark.usefixtures("transactional_db")  # commits for real (tests/conftest.py)


def test_the_entry_is_committed_when_the_call_returns_and_links_to_the_head():
    with transaction.atomic():
        first = audit_append(event="login", object_type="user", object_id="xinyong")
    with acting_as(actor="api:人社局", role="接口", address="10.0.0.9"):
        entry = audit_append_alone(
            event="api_call", object_type="api_key", object_id="abc123",
            data={"employers": ["91410481MA44YQ0X8B"], "status": 200},
        )  # fmt: skip
    stored = AuditEntry.objects.get(seq=entry.seq)
    assert stored.prev_hash == first.hash == entry.prev_hash
    assert stored.hash == entry.hash == stored.compute_hash()
    assert (stored.actor, stored.role, stored.address) == ("api:人社局", "接口", "10.0.0.9")
    assert stored.data == {"employers": ["91410481MA44YQ0X8B"], "status": 200}
    assert not connection.in_atomic_block and connection.get_autocommit()
    assert verify().ok


def test_on_postgresql_the_whole_transaction_is_one_round_trip():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes through audit_append in a transaction of its own")
    audit_append_alone(event="api_call", object_type="api_key", object_id="first")  # prepares
    with CaptureQueriesContext(connection) as queries:
        audit_append_alone(event="api_call", object_type="api_key", object_id="abc123")
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"]
    assert sql.startswith("BEGIN;") and sql.rstrip().endswith("COMMIT")
    assert connection.connection.info.transaction_status == 0  # idle: nothing left open


def test_the_first_entry_of_an_empty_log_links_to_genesis():
    assert not AuditEntry.objects.exists()
    entry = audit_append_alone(event="api_call", object_type="api_key", object_id="abc123")
    assert entry.prev_hash == GENESIS
    assert AuditEntry.objects.get().hash == entry.compute_hash()


def test_data_that_names_prev_hash_or_holds_a_hash_still_hashes_as_python_does():
    head = audit_append_alone(event="api_call", object_type="api_key", object_id="x")
    tricky = {
        "prev_hash": head.hash,
        "note": f'"prev_hash":"{head.hash}"',
        "nested": {"prev_hash": GENESIS, "引号": '\\"', "emoji": "😀", "ctl": "\x01\x1f"},
    }
    entry = audit_append_alone(event="api_call", object_type="api_key", object_id="y", data=tricky)
    stored = AuditEntry.objects.get(seq=entry.seq)
    assert stored.prev_hash == head.hash
    assert stored.hash == stored.compute_hash()
    assert verify().ok


def test_a_refused_entry_leaves_no_entry_and_the_connection_usable():
    with connection.execute_wrapper(refusing_audit_inserts), pytest.raises(DatabaseError):
        audit_append_alone(event="api_call", object_type="api_key", object_id="abc123")
    assert not AuditEntry.objects.exists()
    if connection.vendor == "postgresql":
        assert connection.connection.info.transaction_status == 0  # the BEGIN was rolled back
    entry = audit_append_alone(event="api_call", object_type="api_key", object_id="abc123")
    assert AuditEntry.objects.get().seq == entry.seq


def test_an_unknown_event_is_refused_before_anything_is_sent():
    with CaptureQueriesContext(connection) as queries, pytest.raises(AuditError) as refused:
        audit_append_alone(event="no_such_event")
    assert refused.value.code == "unknown-event"
    assert queries.captured_queries == []


def test_inside_a_transaction_the_entry_joins_it_and_rolls_back_with_it():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_append_alone(event="api_call", object_type="api_key", object_id="abc123")
        raise RuntimeError("业务失败")
    assert not AuditEntry.objects.exists()


def test_an_insert_the_database_refuses_after_begin_is_rolled_back_and_the_connection_idle():
    """The failure comes from the server, inside the transaction the round trip's BEGIN opened."""
    if connection.vendor != "postgresql":
        pytest.skip("the one-round-trip path is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE audit_entry ADD CONSTRAINT test_refuse CHECK (object_id <> 'refuse-me')"
        )
    try:
        with pytest.raises(DatabaseError):
            audit_append_alone(event="api_call", object_type="api_key", object_id="refuse-me")
        assert connection.connection.info.transaction_status == 0  # idle, not in a failed block
        entry = audit_append_alone(event="api_call", object_type="api_key", object_id="abc123")
        assert list(AuditEntry.objects.values_list("seq", flat=True)) == [entry.seq]
        assert verify().ok
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_entry DROP CONSTRAINT test_refuse")


def _prepared_inserts() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE name = 'laborcredit_audit_insert'"
        )
        return cursor.fetchone()[0]


def test_on_postgresql_the_insert_is_prepared_once_per_connection():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    connection.close()  # a new session, as after CONN_MAX_AGE
    with CaptureQueriesContext(connection) as first:
        audit_append_alone(event="api_call", object_type="api_key", object_id="one")
    with CaptureQueriesContext(connection) as second, transaction.atomic():
        audit_append(event="api_call", object_type="api_key", object_id="two")

    assert sum(query["sql"].lstrip().startswith("PREPARE") for query in first) == 1
    assert not any("PREPARE" in query["sql"] for query in second)
    assert _prepared_inserts() == 1
    assert verify().ok and verify().length == 2


def test_a_session_that_lost_the_prepared_insert_prepares_it_again():
    """DEALLOCATE ALL (a pooler resetting sessions): that entry fails, with nothing written and
    the connection usable; the next one prepares the INSERT again."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    audit_append_alone(event="api_call", object_type="api_key", object_id="one")
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")

    with pytest.raises(DatabaseError):
        audit_append_alone(event="api_call", object_type="api_key", object_id="lost")
    assert connection.connection.info.transaction_status == 0
    audit_append_alone(event="api_call", object_type="api_key", object_id="three")

    assert list(AuditEntry.objects.values_list("object_id", flat=True).order_by("seq")) == [
        "one",
        "three",
    ]
    assert _prepared_inserts() == 1 and verify().ok
