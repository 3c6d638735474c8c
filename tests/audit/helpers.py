"""Writing entries, and tampering with them the way someone with database access would."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection, transaction

from laborcredit.audit.context import acting_as
from laborcredit.audit.models import HASHED_FIELDS, AuditEntry, entry_hash
from laborcredit.audit.services import audit_append
from laborcredit.lib.appendonly import expected_triggers

TABLE = AuditEntry._meta.db_table
COLUMNS = (*HASHED_FIELDS, "hash")


def append_entries(count: int, *, actor: str = "张三") -> list[AuditEntry]:
    entries = []
    with acting_as(actor=actor, role="credit_officer", address="10.0.0.8"):
        for number in range(count):
            with transaction.atomic():
                entries.append(
                    audit_append(
                        event="record_create",
                        object_type="sample",
                        object_id=str(number + 1),
                        data={"type": "wage_arrears", "note": f"第 {number + 1} 条"},
                    )
                )
    return entries


class Attacker:
    """Has write access to the database: lifts the triggers first, then edits rows in raw SQL."""

    def __init__(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f'ALTER TABLE "{TABLE}" DISABLE TRIGGER USER')
            else:
                for name in expected_triggers("sqlite", TABLE):
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')

    def drop_unique_constraints(self) -> None:
        """prev_hash and hash are unique, so that no two entries can claim one predecessor."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'",
                    [TABLE],
                )
                for (name,) in cursor.fetchall():
                    cursor.execute(f'ALTER TABLE "{TABLE}" DROP CONSTRAINT "{name}"')
            else:  # SQLite cannot drop a constraint: rebuild the table without any
                cursor.execute(f'CREATE TABLE "{TABLE}_copy" AS SELECT * FROM "{TABLE}"')
                cursor.execute(f'DROP TABLE "{TABLE}"')
                cursor.execute(f'ALTER TABLE "{TABLE}_copy" RENAME TO "{TABLE}"')

    def rows(self) -> list[dict[str, Any]]:
        return list(AuditEntry.objects.order_by("seq").values("seq", *COLUMNS))

    def row(self, seq: int) -> dict[str, Any]:
        return AuditEntry.objects.values("seq", *COLUMNS).get(seq=seq)

    def _params(self, values: dict[str, Any]) -> list[Any]:
        return [
            AuditEntry._meta.get_field(name).get_db_prep_value(value, connection)
            for name, value in values.items()
        ]

    def update(self, seq: int, **values: Any) -> None:
        assignments = ", ".join(f'"{name}" = %s' for name in values)
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{TABLE}" SET {assignments} WHERE seq = %s', [*self._params(values), seq]
            )

    def insert(self, **values: Any) -> None:
        names = ", ".join(f'"{name}"' for name in values)
        marks = ", ".join("%s" for _ in values)
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{TABLE}" ({names}) VALUES ({marks})', self._params(values)
            )

    def delete(self, *seqs: int) -> None:
        with connection.cursor() as cursor:
            for seq in seqs:
                cursor.execute(f'DELETE FROM "{TABLE}" WHERE seq = %s', [seq])

    def swap(self, a: int, b: int) -> None:
        """Exchange the contents of two rows, keeping their seqs."""
        first, second = self.row(a), self.row(b)
        self.update(a, prev_hash="t" * 64, hash="u" * 64)
        self.update(b, **{name: first[name] for name in COLUMNS})
        self.update(a, **{name: second[name] for name in COLUMNS})

    def rehash_from(self, seq: int) -> None:
        """Recompute prev_hash and hash from `seq` on: the chain is valid again."""
        rows = self.rows()
        previous = None
        for row in rows:
            if row["seq"] >= seq:
                row["prev_hash"] = previous if previous is not None else row["prev_hash"]
                row["hash"] = entry_hash(row)
                self.update(row["seq"], prev_hash=row["prev_hash"], hash=row["hash"])
            previous = row["hash"]

    def skip_sequence(self, count: int) -> None:
        """Leave a gap in seq, as rolled-back transactions do on PostgreSQL."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'seq'),"
                    f' (SELECT max(seq) FROM "{TABLE}") + %s)',
                    [TABLE, count],
                )
            else:
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s", [count, TABLE]
                )


# The ORM's insert, the prepared insert (PostgreSQL) and its execution.
_AUDIT_INSERTS = (
    'INSERT INTO "audit_entry"',
    "INSERT INTO audit_entry",
    "EXECUTE laborcredit_audit",
)


def refusing_audit_inserts(execute, sql, params, many, context):
    """An execute wrapper: the database refuses every insert into the audit log (disk full)."""
    if any(insert in sql for insert in _AUDIT_INSERTS):
        raise DatabaseError("磁盘已满")
    return execute(sql, params, many, context)
