# ruff: noqa: RUF012  (Django's migration layout)
"""Drop the LIKE-prefix indexes (laborcredit.lib.pattern_indexes) beside audit_entry's
indexed text columns.

No query of the audit log matches a prefix (the actor filter is a substring search, which
these indexes cannot serve; hashes are looked up whole), and every audited call — a lookup
through the API, a record filed — writes one entry while it holds the chain's head: the two
on random 64-character hashes cost most. Measured on 10,000,500 entries: 3,000 single-row
inserts 1.2–1.4 → 0.74–0.77 ms each. The unique constraints on hash and prev_hash stay.
"""

from django.db import migrations

from laborcredit.lib.pattern_indexes import drop_pattern_indexes, restore_pattern_indexes

COLUMNS = ("actor", "event", "prev_hash", "hash")


def drop(apps, schema_editor):
    drop_pattern_indexes(schema_editor, "audit_entry", COLUMNS)


def restore(apps, schema_editor):
    restore_pattern_indexes(schema_editor, "audit_entry", COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(drop, restore)]
