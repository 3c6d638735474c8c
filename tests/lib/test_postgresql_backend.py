"""The PostgreSQL backend (laborcredit/lib/postgresql): the health check makes no round trip
while the connection is quiet, Django's ``SELECT 1`` when it is not, and a connection the server
ended is replaced before the request's first query; a `SessionStatement` is prepared once per
session."""

from __future__ import annotations

import copy
import select

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.utils import load_backend

from laborcredit.lib.postgresql import SessionStatement
from laborcredit.lib.postgresql.base import quiet

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend_connection(monkeypatch):
    """A second Django connection to the test database, as a web worker holds one, and a count
    of the ``SELECT 1`` checks it makes."""
    if connection.vendor != "postgresql":
        pytest.skip("the backend is PostgreSQL's")
    settings_dict = copy.deepcopy(connections.settings[DEFAULT_DB_ALIAS])
    settings_dict["NAME"] = connection.settings_dict["NAME"]
    settings_dict["CONN_MAX_AGE"] = 60
    settings_dict["CONN_HEALTH_CHECKS"] = True
    backend = load_backend(settings_dict["ENGINE"])
    wrapper = backend.DatabaseWrapper(settings_dict, DEFAULT_DB_ALIAS)
    checks = []
    real_is_usable = wrapper.is_usable

    def counted_is_usable():
        checks.append(1)
        return real_is_usable()

    monkeypatch.setattr(wrapper, "is_usable", counted_is_usable)
    wrapper.checks = checks
    yield wrapper
    wrapper.close()


def _request(wrapper) -> int:
    """What a request does: Django's start-of-request check, then a query (the backend's pid)."""
    wrapper.close_if_unusable_or_obsolete()
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _other_session(wrapper):
    return psycopg.connect(**wrapper.get_connection_params(), autocommit=True)


def _readable_within(wrapper, seconds: float = 5.0) -> bool:
    poller = select.poll()
    poller.register(wrapper.connection.pgconn.socket, select.POLLIN)
    return bool(poller.poll(int(seconds * 1000)))


def test_the_settings_select_this_backend_for_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the backend is PostgreSQL's")
    assert connection.settings_dict["ENGINE"] == "laborcredit.lib.postgresql"
    assert connection.vendor == "postgresql"


def test_a_quiet_connection_is_reused_without_a_round_trip(backend_connection):
    first = _request(backend_connection)
    second = _request(backend_connection)
    third = _request(backend_connection)
    assert first == second == third  # the same session all along
    assert backend_connection.checks == []  # no SELECT 1 before the queries


def test_a_connection_the_server_ended_is_replaced_before_the_first_query(backend_connection):
    pid = _request(backend_connection)
    with _other_session(backend_connection) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    assert _readable_within(backend_connection), "the server's goodbye never arrived"
    assert not quiet(backend_connection.connection)

    new_pid = _request(backend_connection)  # no error: Django's check found it dead

    assert new_pid != pid
    assert backend_connection.checks == [1]


def test_a_message_waiting_on_a_live_connection_gets_the_full_check_and_keeps_it(
    backend_connection,
):
    pid = _request(backend_connection)
    with backend_connection.cursor() as cursor:
        cursor.execute("LISTEN laborcredit_backend_test")
    with _other_session(backend_connection) as other:
        other.execute("NOTIFY laborcredit_backend_test")
    assert _readable_within(backend_connection)

    assert _request(backend_connection) == pid

    assert backend_connection.checks == [1]


def test_a_connection_inside_a_transaction_is_not_quiet(backend_connection):
    _request(backend_connection)
    raw = backend_connection.connection
    assert quiet(raw)
    with raw.transaction():
        raw.execute("SELECT 1")
        assert not quiet(raw)
    assert quiet(raw)


def test_a_closed_connection_is_not_quiet(backend_connection):
    _request(backend_connection)
    raw = backend_connection.connection
    raw.close()
    assert not quiet(raw)  # and no exception from the closed socket


_STATEMENT = SessionStatement(
    name="laborcredit_test_statement",
    sql="SELECT %(n)s + 1 AS next, %(label)s || '!' AS label, %(n)s * 2 AS double",
    types={"n": "integer", "label": "text"},
)


def test_a_session_statement_numbers_its_parameters_by_first_use():
    assert _STATEMENT.parameters == ("n", "label")
    assert _STATEMENT.prepare_sql == (
        "PREPARE laborcredit_test_statement (integer, text) AS "
        "SELECT $1 + 1 AS next, $2 || '!' AS label, $1 * 2 AS double"
    )
    assert _STATEMENT.execute_sql == "EXECUTE laborcredit_test_statement (%(n)s, %(label)s)"


def _prepared_names(cursor) -> list[str]:
    cursor.execute("SELECT name FROM pg_prepared_statements ORDER BY name")
    return [row[0] for row in cursor.fetchall()]


def test_a_session_statement_is_prepared_once_per_session_and_survives_a_rollback(
    backend_connection,
):
    """Prepared inside a transaction that then rolls back: the session keeps it (PREPARE is not
    transactional), and nothing else in the session drops it (psycopg's own preparing, which
    would DEALLOCATE ALL after a ROLLBACK, stays off)."""
    backend_connection.force_debug_cursor = True
    backend_connection.set_autocommit(False)
    with backend_connection.cursor() as cursor:
        _STATEMENT.execute(cursor, {"n": 1, "label": "一"})
        assert cursor.fetchone() == (2, "一!", 2)
    backend_connection.rollback()
    backend_connection.set_autocommit(True)
    for n in (2, 3):
        with backend_connection.cursor() as cursor:
            _STATEMENT.execute(cursor, {"n": n, "label": "二"})
            assert cursor.fetchone() == (n + 1, "二!", 2 * n)
    with backend_connection.cursor() as cursor:
        assert _prepared_names(cursor) == ["laborcredit_test_statement"]
    queries = [query["sql"] for query in backend_connection.queries_log]
    assert sum(sql.startswith("PREPARE") for sql in queries) == 1
    assert sum(sql.startswith("EXECUTE") for sql in queries) == 3


def test_a_session_that_lost_a_statement_prepares_it_again_after_one_failure(
    backend_connection,
):
    with backend_connection.cursor() as cursor:
        _STATEMENT.execute(cursor, {"n": 1, "label": "a"})
        cursor.execute("DEALLOCATE ALL")
        with pytest.raises(DatabaseError):
            _STATEMENT.execute(cursor, {"n": 2, "label": "b"})
        _STATEMENT.execute(cursor, {"n": 3, "label": "c"})
        assert cursor.fetchone() == (4, "c!", 6)


def test_a_new_session_prepares_it_again(backend_connection):
    with backend_connection.cursor() as cursor:
        _STATEMENT.execute(cursor, {"n": 1, "label": "a"})
    backend_connection.close()
    with backend_connection.cursor() as cursor:
        _STATEMENT.execute(cursor, {"n": 5, "label": "b"})
        assert cursor.fetchone() == (6, "b!", 10)


def test_a_session_statement_is_run_as_written_on_another_database():
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL prepares it (above)")
    statement = SessionStatement(
        name="laborcredit_test_statement", sql="SELECT %(n)s + 1", types={"n": "integer"}
    )
    with connection.cursor() as cursor:
        statement.execute(cursor, {"n": 41})
        assert cursor.fetchone()[0] == 42
