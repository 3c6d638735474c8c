"""Append-only tables (AU3, DT5): database triggers that refuse UPDATE, DELETE and TRUNCATE.

Use it as one item of a migration's ``operations``, after the table exists::

    from laborcredit.lib.appendonly import AppendOnly

    operations = [
        migrations.CreateModel(name="CreditRecord", fields=[...]),
        AppendOnly("credit_creditrecord", message="信用信息不得修改或删除（第七条）"),
    ]

On PostgreSQL it installs a plpgsql function ``<table>_refuse_change()`` that
raises an exception with the (Chinese) message, two row-level ``BEFORE UPDATE``
/ ``BEFORE DELETE`` triggers and a statement-level ``BEFORE TRUNCATE`` trigger.
On SQLite (which has no TRUNCATE) it installs ``BEFORE UPDATE`` and ``BEFORE
DELETE`` triggers that ``RAISE(ABORT, …)``. The reverse drops them all, so the
migration can be unapplied. Other databases are refused.

The triggers stop accidents and a compromised application, not the database
owner, who can drop them: hence the signed checkpoints of the audit chain.

Caveats:
- On SQLite, Django rebuilds a table (copy, drop, rename) for most
  ``AlterField``/``RemoveField`` operations, and the rebuilt table has no
  triggers. A migration that alters an append-only table on SQLite must end
  with ``AppendOnly(table)`` again (it is idempotent). ``laborcredit audit
  verify`` reports an audit or registered record table whose triggers are
  missing or disabled, so the omission does not go unnoticed.
- Test suites that flush the database (``transactional_db``) must lift the
  triggers around the flush; see ``tests/audit/conftest.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.migrations.operations.base import Operation

ACTIONS = ("update", "delete", "truncate")


class AppendOnlyError(Exception):
    """Raised by models whose rows may only be added, never changed or deleted."""

    def __init__(self, message: str = "该表只能追加记录，不得修改或删除") -> None:
        super().__init__(message)


def default_message(table: str) -> str:
    return f"{table} 表只能追加记录，不得修改或删除"


def trigger_name(table: str, action: str) -> str:
    return f"{table}_refuse_{action}"


def function_name(table: str) -> str:
    return f"{table}_refuse_change"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def install_statements(vendor: str, table: str, message: str | None = None) -> list[str]:
    """The SQL that makes `table` append-only on this database (re-running it is harmless)."""
    message = message or default_message(table)
    if vendor == "postgresql":
        function = f'"{function_name(table)}"'
        return [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $append_only$\n"
            f"BEGIN\n"
            f"  RAISE EXCEPTION '%（拒绝 %）', {_literal(message)}, TG_OP\n"
            f"    USING ERRCODE = 'insufficient_privilege';\n"
            f"END;\n"
            f"$append_only$",
            *(
                f'DROP TRIGGER IF EXISTS "{trigger_name(table, action)}" ON "{table}"'
                for action in ACTIONS
            ),
            f'CREATE TRIGGER "{trigger_name(table, "update")}" BEFORE UPDATE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
            f'CREATE TRIGGER "{trigger_name(table, "delete")}" BEFORE DELETE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
            f'CREATE TRIGGER "{trigger_name(table, "truncate")}" BEFORE TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        ]
    if vendor == "sqlite":
        statements = []
        for action in ("update", "delete"):
            name = trigger_name(table, action)
            statements += [
                f'DROP TRIGGER IF EXISTS "{name}"',
                f'CREATE TRIGGER "{name}" BEFORE {action.upper()} ON "{table}" '
                f"BEGIN SELECT RAISE(ABORT, {_literal(message + '（拒绝 ' + action.upper() + '）')}); END",
            ]
        return statements
    raise NotImplementedError(f"不支持在 {vendor} 数据库上建立只追加表的触发器")


def remove_statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            *(
                f'DROP TRIGGER IF EXISTS "{trigger_name(table, action)}" ON "{table}"'
                for action in ACTIONS
            ),
            f'DROP FUNCTION IF EXISTS "{function_name(table)}"()',
        ]
    if vendor == "sqlite":
        return [f'DROP TRIGGER IF EXISTS "{trigger_name(table, a)}"' for a in ("update", "delete")]
    raise NotImplementedError(f"不支持在 {vendor} 数据库上建立只追加表的触发器")


def expected_triggers(vendor: str, table: str) -> set[str]:
    actions = ACTIONS if vendor == "postgresql" else ("update", "delete")
    return {trigger_name(table, action) for action in actions}


@dataclass(frozen=True)
class InstalledTrigger:
    table: str
    name: str
    enabled: bool
    definition: str  # the CREATE TRIGGER statement, as the database reports it


def installed_triggers(connection, table: str | None = None) -> list[InstalledTrigger]:  # type: ignore[no-untyped-def]
    """The append-only triggers present in the database (of one table, or of all)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname, t.tgenabled <> 'D', pg_get_triggerdef(t.oid) "
                "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND c.relkind = 'r' AND pg_table_is_visible(c.oid)"
                " AND (%s::text IS NULL OR c.relname = %s) ORDER BY c.relname, t.tgname",
                [table, table],
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name, name, 1, sql FROM sqlite_master WHERE type = 'trigger'"
                " AND (%s IS NULL OR tbl_name = %s) ORDER BY tbl_name, name",
                [table, table],
            )
        else:
            return []
        rows = cursor.fetchall()
    return [
        InstalledTrigger(t, name, bool(enabled), sql)
        for t, name, enabled, sql in rows
        if name in expected_triggers(connection.vendor, t)
    ]


def missing_triggers(connection, table: str) -> set[str]:  # type: ignore[no-untyped-def]
    """The append-only triggers of `table` that are absent or disabled."""
    present = {t.name for t in installed_triggers(connection, table) if t.enabled}
    return expected_triggers(connection.vendor, table) - present


def install(connection, table: str, message: str | None = None) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        for sql in install_statements(connection.vendor, table, message):
            cursor.execute(sql)


class AppendOnly(Operation):
    """Migration operation: refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) on `table`.

    `table` is the database table name (``Model._meta.db_table``); `message` is the
    Chinese sentence the database answers a refused change with.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, table: str, message: str | None = None) -> None:
        self.table = table
        self.message = message

    def state_forwards(self, app_label, state):  # type: ignore[no-untyped-def]
        pass  # triggers are not part of Django's model state

    def database_forwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        for sql in install_statements(schema_editor.connection.vendor, self.table, self.message):
            schema_editor.execute(sql, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        for sql in remove_statements(schema_editor.connection.vendor, self.table):
            schema_editor.execute(sql, params=None)

    def describe(self) -> str:
        return f"Refuse UPDATE, DELETE and TRUNCATE on {self.table}"

    @property
    def migration_name_fragment(self) -> str:
        return f"append_only_{self.table}"

    def deconstruct(self):  # type: ignore[no-untyped-def]
        kwargs = {"table": self.table}
        if self.message is not None:
            kwargs["message"] = self.message
        return self.__class__.__qualname__, [], kwargs


def append_only_tables(connection: Any) -> dict[str, str]:
    """Every table an applied migration made append-only, with its Chinese name (for verify)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    tables: dict[str, str] = {}
    for key, migration in loader.graph.nodes.items():
        if key not in loader.applied_migrations:
            continue
        for operation in migration.operations:
            if isinstance(operation, AppendOnly):
                label = (operation.message or "").split("只能")[0] or operation.table
                tables[operation.table] = label
    return tables
