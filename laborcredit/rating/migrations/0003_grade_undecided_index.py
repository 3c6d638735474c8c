"""A partial index on (grade, employer) of the grades no officer has decided on (issue 4).

The list filtered by grade (`credit.selectors._official_grade`) reads the employers
whose computed grade is in force from this index alone, without visiting the
grade rows (large: each carries its basis). Measured by benchmarks/pages.py on a
million employers. Written as SQL so that the model's state is unchanged; both
databases support partial indexes.
"""

from django.db import migrations

INDEX = "rating_employergrade_undecided"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "rating_employergrade" ("grade", "employer_id") '
        f'WHERE "decision_id" IS NULL'
    )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("rating", "0002_dashboard_permission")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
