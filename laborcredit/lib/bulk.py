"""Writing many rows at once: PostgreSQL's COPY, or one executemany elsewhere.

For set-based writes that must not pay the ORM's per-row cost (the annual
evaluation's results, the demo data). The rows are plain tuples in the
columns' order, in the database's own values (dates, booleans, JSON as text).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection


def _copy_statement(table: str, columns: Sequence[str]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    return f'COPY "{table}" ({names}) FROM STDIN'


def copy_rows(
    cursor: Any, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """COPY `rows` into `table` with psycopg's raw `cursor` (PostgreSQL); its errors come as
    Django's (`DatabaseError`), as those of the ORM's statements do."""
    if not rows:
        return
    with connection.wrap_database_errors, cursor.copy(_copy_statement(table, columns)) as copy:
        for row in rows:
            copy.write_row(row)


def copy_text(cursor: Any, table: str, columns: Sequence[str], text: bytes) -> None:
    """COPY rows already in COPY's text format into `table` (PostgreSQL, psycopg's `cursor`)."""
    if not text:
        return
    with connection.wrap_database_errors, cursor.copy(_copy_statement(table, columns)) as copy:
        copy.write(text)


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert `rows` into `table` in the current transaction: COPY on PostgreSQL, else one
    executemany."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copy_rows(cursor.cursor, table, columns, rows)
            return
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
