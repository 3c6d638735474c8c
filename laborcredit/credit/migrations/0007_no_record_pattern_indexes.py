# ruff: noqa: RUF012  (Django's migration layout)
"""Drop the LIKE-prefix indexes (laborcredit.lib.pattern_indexes) beside credit_creditrecord's
case and fingerprint: both are only ever looked up whole (a case's records, a duplicate
filing), and every record filed — ten million in the benchmark province — kept them current.
"""

from django.db import migrations

from laborcredit.lib.pattern_indexes import drop_pattern_indexes, restore_pattern_indexes

COLUMNS = ("case", "fingerprint")


def drop(apps, schema_editor):
    drop_pattern_indexes(schema_editor, "credit_creditrecord", COLUMNS)


def restore(apps, schema_editor):
    restore_pattern_indexes(schema_editor, "credit_creditrecord", COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("credit", "0006_superseding_index")]

    operations = [migrations.RunPython(drop, restore)]
