"""The LIKE-prefix indexes Django adds on PostgreSQL beside every indexed text column.

For a `varchar` column with db_index or unique, Django's PostgreSQL schema editor makes a
second index with the varchar_pattern_ops operator class ("…_like"), for `startswith`
queries outside the C locale. On a table that grows by every audited call or every record
filed, an index no query uses is only a cost: migrations drop them where that is so, with
these functions (a no-op on other databases).
"""

from __future__ import annotations

from typing import Any


def drop_pattern_indexes(schema_editor: Any, table: str, columns: tuple[str, ...]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for column in columns:
            cursor.execute(
                "SELECT i.relname FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid "
                "JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0] "
                "JOIN pg_opclass o ON o.oid = x.indclass[0] "
                "WHERE x.indrelid = %s::regclass AND x.indnatts = 1 "
                "AND a.attname = %s AND o.opcname = 'varchar_pattern_ops'",
                [table, column],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')


def restore_pattern_indexes(schema_editor: Any, table: str, columns: tuple[str, ...]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for column in columns:
            cursor.execute(
                f'CREATE INDEX "{table}_{column}_like" ON "{table}" ("{column}" varchar_pattern_ops)'
            )
