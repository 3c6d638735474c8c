"""Writing many rows at once: PostgreSQL's COPY, or one executemany elsewhere.

For set-based writes that must not pay the ORM's per-row cost (the annual
evaluation's results, the demo data). The rows are plain tuples in the
columns' order, in the database's own values (dates, booleans, JSON as text).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)

COPY_FROM = 50
"""Rows from which `bulk_insert` copies: fewer go in one INSERT, which costs less than
reserving their ids and a COPY."""


# Fields (these classes exactly, not their subclasses) whose database value is the value given,
# when that value is of one of these types exactly: `bulk_insert` takes it as it is instead of
# asking the field (`get_db_prep_save`, a fifth of an approval's inserting, docs/performance.md
# 第十五轮). Anything else (JSON, datetimes, encrypted text, an enum member) goes to the field.
_AS_GIVEN_FIELDS = {
    models.AutoField, models.BigAutoField, models.BigIntegerField, models.BooleanField,
    models.CharField, models.DateField, models.ForeignKey, models.IntegerField,
    models.OneToOneField, models.PositiveIntegerField, models.PositiveSmallIntegerField,
    models.SmallIntegerField, models.TextField,
}  # fmt: skip
_AS_GIVEN_VALUES = {str, int, bool, type(None), datetime.date}


def _row_of(fields: list[Any]) -> Callable[[models.Model], tuple[Any, ...]]:
    """The function making an object's row of database values for `fields`, as `bulk_create`
    would write them."""
    as_given = [
        type(f) in _AS_GIVEN_FIELDS
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
        for f in fields
    ]
    plan = list(zip(fields, as_given, strict=True))

    def row(obj: models.Model) -> tuple[Any, ...]:
        values = []
        for f, plain in plan:
            if plain:
                value = getattr(obj, f.attname)
                if type(value) in _AS_GIVEN_VALUES:
                    values.append(value)
                    continue
            values.append(f.get_db_prep_save(f.pre_save(obj, True), connection))
        return tuple(values)

    return row


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


def reserve_ids(cursor: Any, table: str, count: int, column: str = "id") -> list[int]:
    """`count` ids from the table's identity sequence, as inserts would take them (PostgreSQL;
    a Django or psycopg cursor)."""
    if count == 0:
        return []
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [table, column, count],
    )
    return [row[0] for row in cursor.fetchall()]


def bulk_insert(objs: list[M], *, batch_size: int = 2000) -> list[M]:
    """`bulk_create` for many new rows of one model: on PostgreSQL, from `COPY_FROM` rows, the
    ids are reserved from the table's sequence and the rows copied; elsewhere, or for fewer
    rows, `bulk_create` itself. Like `bulk_create`: no `save()`, no signals; the objects come
    back with their ids.

    Django 5.2's `bulk_create` on PostgreSQL sends each column as one array (INSERT … SELECT
    FROM UNNEST), and psycopg quotes a text array in Python with one call per double quote or
    backslash in its elements: JSON is full of them. The 27,188 platform items of an approval
    took 10.7 s, nearly all of it there (docs/performance.md, 第十四轮); COPY quotes in C."""
    if not objs:
        return objs
    model = type(objs[0])
    if connection.vendor != "postgresql" or len(objs) < COPY_FROM:
        return model._base_manager.bulk_create(objs, batch_size=batch_size)
    opts = model._meta
    fields = list(opts.concrete_fields)
    with connection.cursor() as cursor:
        # A key already given (such as a grade's employer) stays.
        unnumbered = [obj for obj in objs if obj.pk is None]
        ids = reserve_ids(cursor, opts.db_table, len(unnumbered), opts.pk.column)
        for obj, pk in zip(unnumbered, ids, strict=True):
            obj.pk = pk
        columns = [f.column for f in fields]
        row = _row_of(fields)
        for start in range(0, len(objs), batch_size):
            rows = [row(obj) for obj in objs[start : start + batch_size]]
            copy_rows(cursor.cursor, opts.db_table, columns, rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
