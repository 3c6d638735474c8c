"""An index on (township, name, id) of the employers, for the list filtered by township (issue 4).

The list of a township walks this index in its default order (name, id) and
stops after a page; with a grade filter too (`credit.selectors._official_grade`)
each row is checked in the grade index, and the count joins the two indexes
without reading the table. Measured by benchmarks/pages.py on a million
employers. Written as SQL so that the model's state is unchanged; both databases.
"""

from django.db import migrations

INDEX = "credit_employer_township_name"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "credit_employer" ("township", "name", "id")'
    )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("credit", "0003_name_trigram_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
