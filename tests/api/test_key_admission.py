"""key_admitted: the key a token names, checked and counted; on PostgreSQL in one statement.
It must decide exactly as key_for_token then call_count do, and count only a usable key."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from laborcredit.api.models import ApiKey, ApiRateWindow
from laborcredit.api.services import key_admitted, key_for_token
from tests.api.helpers import expire, make_key

pytestmark = pytest.mark.django_db


def _key(token: str) -> ApiKey:
    return ApiKey.objects.get(prefix=token.split("_")[1])


def _counted(token: str) -> int:
    return sum(ApiRateWindow.objects.filter(key=_key(token)).values_list("count", flat=True))


def test_a_usable_key_is_admitted_counted_and_its_last_use_written():
    token = make_key("read_grades")
    minute = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(minutes=5)

    first = key_admitted(token, minute + datetime.timedelta(seconds=1))
    second = key_admitted(token, minute + datetime.timedelta(seconds=30))

    assert first.refused == "" and first.key == _key(token)
    assert (first.calls, first.seconds_left) == (1, 59)
    assert (second.calls, second.seconds_left) == (2, 30)
    assert first.key.scopes == ["read_grades"]  # the JSON column read as the ORM reads it
    assert first.key.expires_at == _key(token).expires_at
    assert _key(token).last_used_at == minute + datetime.timedelta(seconds=1)
    # Every field as the ORM reads it (the row is read before this call writes the last use).
    assert _fields(second.key) == _fields(_key(token))
    assert not second.key._state.adding


def _fields(key: ApiKey) -> dict[str, object]:
    return {field.attname: getattr(key, field.attname) for field in ApiKey._meta.concrete_fields}


def test_on_postgresql_admission_is_one_statement():
    if connection.vendor != "postgresql":
        pytest.skip("elsewhere the key is read, then counted")
    token = make_key("read_grades")
    with CaptureQueriesContext(connection) as queries:
        assert key_admitted(token).refused == ""
    assert len(queries.captured_queries) == 1


def _prepared_admissions() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE name = %s",
            ["laborcredit_api_admission"],
        )
        return cursor.fetchone()[0]


def test_on_postgresql_admission_is_prepared_and_a_column_added_later_does_not_break_it():
    """The statement is planned once per connection; a migration that adds a column to the
    key table while servers run must not make it fail ("cached plan must not change result
    type", which `SELECT *` would)."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    token = make_key("read_grades")
    assert key_admitted(token).refused == ""
    assert _prepared_admissions() == 1

    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE api_apikey ADD COLUMN added_later integer")
    again = key_admitted(token)

    assert (again.refused, again.calls, again.key) == ("", 2, _key(token))
    assert _prepared_admissions() == 1


@pytest.mark.parametrize(
    "spoil, refused, key_returned",
    [
        (lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"), "api-key-invalid", False),
        (lambda token: "lc_000000000000_" + token.split("_", 2)[2], "api-key-invalid", False),
        (lambda token: "not a key", "api-key-invalid", False),
        (lambda token: "", "api-key-invalid", False),
    ],
    ids=["wrong-secret", "unknown-prefix", "malformed", "empty"],
)
def test_a_token_that_names_no_usable_key_is_refused_and_counts_nothing(
    spoil, refused, key_returned
):
    token = make_key("read_grades")
    admitted = key_admitted(spoil(token))
    assert admitted.refused == refused
    assert (admitted.key is not None) is key_returned
    assert admitted.refused == key_for_token(spoil(token))[1]
    assert _counted(token) == 0
    assert _key(token).last_used_at is None


def test_a_revoked_key_is_refused_named_and_not_counted():
    token = make_key("read_grades")
    ApiKey.objects.filter(pk=_key(token).pk).update(revoked_at=timezone.now())
    admitted = key_admitted(token)
    assert (admitted.refused, admitted.key) == ("api-key-revoked", _key(token))
    assert _counted(token) == 0


def test_an_expired_key_is_refused_named_and_not_counted():
    token = make_key("read_grades")
    expire(token)
    admitted = key_admitted(token)
    assert (admitted.refused, admitted.key) == ("api-key-expired", _key(token))
    assert _counted(token) == 0


def test_a_key_at_the_moment_it_expires_is_expired_in_both_paths():
    token = make_key("read_grades")
    expires_at = _key(token).expires_at
    assert key_admitted(token, expires_at).refused == "api-key-expired"
    assert key_admitted(token, expires_at - datetime.timedelta(microseconds=1)).refused == ""
