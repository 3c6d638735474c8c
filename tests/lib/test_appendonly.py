"""AppendOnly: the database itself refuses UPDATE, DELETE and TRUNCATE (AU3, DT5)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.writer import OperationWriter

from laborcredit.audit.models import AuditEntry
from laborcredit.audit.services import audit_append
from laborcredit.lib.appendonly import (
    AppendOnly,
    install_statements,
    installed_triggers,
    missing_triggers,
)

TABLE = AuditEntry._meta.db_table


class _Editor:
    """The part of a schema editor the operation uses (SQLite's refuses to open in a test transaction)."""

    def __init__(self):
        self.connection = connection

    def execute(self, sql, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


@pytest.fixture
def entry(db):
    with transaction.atomic():
        return audit_append(event="login", object_type="user", object_id="zhangsan")


def refused(sql, params=()):
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
    return str(error.value)


def test_the_migration_installed_the_triggers_on_the_audit_table(db):
    assert missing_triggers(connection, TABLE) == set()
    names = {t.name for t in installed_triggers(connection, TABLE)}
    expected = {"audit_entry_refuse_update", "audit_entry_refuse_delete"}
    if connection.vendor == "postgresql":
        expected.add("audit_entry_refuse_truncate")
    assert names == expected


def test_a_raw_update_is_refused_with_a_chinese_message(entry):
    message = refused(f'UPDATE "{TABLE}" SET actor = %s WHERE seq = %s', ["x", entry.seq])
    assert "审计日志只能追加，不得修改或删除" in message
    assert "UPDATE" in message
    assert AuditEntry.objects.get(seq=entry.seq).actor == entry.actor


def test_a_raw_delete_is_refused(entry):
    assert "DELETE" in refused(f'DELETE FROM "{TABLE}"')
    assert AuditEntry.objects.filter(seq=entry.seq).exists()


def test_truncate_is_refused_on_postgresql(entry):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    assert "TRUNCATE" in refused(f'TRUNCATE "{TABLE}"')
    assert AuditEntry.objects.count() == 1


def test_truncate_is_refused_even_on_an_empty_table_on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    refused(f'TRUNCATE "{TABLE}"')


def test_inserting_is_still_allowed(entry):
    with transaction.atomic():
        audit_append(event="logout")
    assert AuditEntry.objects.count() == 2


def test_the_reverse_removes_the_triggers_and_forwards_puts_them_back(entry):
    operation = AppendOnly(TABLE, message="测试用：不得修改")
    operation.database_backwards("audit", _Editor(), None, None)
    assert installed_triggers(connection, TABLE) == []
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{TABLE}" SET role = %s WHERE seq = %s', ["改了", entry.seq])
    operation.database_forwards("audit", _Editor(), None, None)
    assert missing_triggers(connection, TABLE) == set()
    assert "测试用：不得修改" in refused(f'DELETE FROM "{TABLE}"')


def test_applying_it_twice_is_harmless(entry):
    operation = AppendOnly(TABLE)
    operation.database_forwards("audit", _Editor(), None, None)
    operation.database_forwards("audit", _Editor(), None, None)
    assert missing_triggers(connection, TABLE) == set()
    assert f"{TABLE} 表只能追加记录" in refused(f'DELETE FROM "{TABLE}"')


def test_a_disabled_trigger_counts_as_missing(entry):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite triggers cannot be disabled, only dropped")
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{TABLE}" DISABLE TRIGGER "{TABLE}_refuse_delete"')
    assert missing_triggers(connection, TABLE) == {f"{TABLE}_refuse_delete"}


def test_a_quote_in_the_message_cannot_break_out_of_the_sql(entry):
    AppendOnly(TABLE, message="it's 第七条'); DROP TABLE x; --").database_forwards(
        "audit", _Editor(), None, None
    )
    assert "it's 第七条" in refused(f'DELETE FROM "{TABLE}"')


def test_the_operation_serialises_into_a_migration_file():
    text, imports = OperationWriter(
        AppendOnly("credit_record", message="第七条"), indentation=0
    ).serialize()
    assert "laborcredit.lib.appendonly.AppendOnly(" in text
    assert "table='credit_record'" in text and "message='第七条'" in text
    assert "import laborcredit.lib.appendonly" in imports


def test_the_operation_describes_itself_and_reduces_to_sql():
    operation = AppendOnly("credit_record")
    assert operation.describe() == "Refuse UPDATE, DELETE and TRUNCATE on credit_record"
    assert operation.reversible and operation.reduces_to_sql
    assert operation.migration_name_fragment == "append_only_credit_record"


def test_postgresql_gets_a_plpgsql_function_and_a_truncate_trigger():
    sql = "\n".join(install_statements("postgresql", "t"))
    assert "LANGUAGE plpgsql" in sql
    assert "BEFORE TRUNCATE" in sql and "FOR EACH STATEMENT" in sql
    assert "BEFORE UPDATE" in sql and "BEFORE DELETE" in sql


def test_sqlite_gets_raise_abort_triggers():
    sql = "\n".join(install_statements("sqlite", "t"))
    assert sql.count("RAISE(ABORT") == 2
    assert "TRUNCATE" not in sql


def test_other_databases_are_refused():
    with pytest.raises(NotImplementedError):
        install_statements("mysql", "t")
