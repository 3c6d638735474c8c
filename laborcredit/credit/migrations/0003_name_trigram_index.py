"""A trigram index on employers' names, current and former, for search by any part of a name.

`credit.selectors` matches a name fragment with ``UPPER(name::text) LIKE '%…%'``,
which no B-tree serves: on a million employers every such search read the whole
name-history table (issue 4, benchmarks/pages.py). A GIN index of the upper-cased
name's trigrams (pg_trgm) turns it into an index scan for a fragment of three
characters or more; the expression is the one Django writes for `icontains`.

PostgreSQL only; SQLite has nothing to add. pg_trgm is a trusted extension
(PostgreSQL 13 and later), so the database's owner may create it; where it
cannot be created the index is left out and search stays correct, only slower.
"""

from django.db import migrations, transaction

INDEX = "credit_employername_name_trgm"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # no privilege to create it: search works without the index
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "credit_employername" '
        f'USING gin ((UPPER("name"::text)) gin_trgm_ops)'
    )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("credit", "0002_personal_info_permission")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
