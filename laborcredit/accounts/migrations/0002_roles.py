"""The roles of laborcredit/accounts/roles.py as groups with their permissions."""

from django.db import migrations


def make_roles(apps, schema_editor):
    from laborcredit.accounts.roles import roles_sync

    roles_sync(apps, using=schema_editor.connection.alias, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("audit", "0001_initial"),
        ("credit", "0001_initial"),
        ("rating", "0001_initial"),
    ]

    operations = [migrations.RunPython(make_roles, migrations.RunPython.noop)]
