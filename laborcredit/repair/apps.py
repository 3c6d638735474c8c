from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RepairConfig(AppConfig):
    """信用修复 (第二十一条): repair files, the adjustment deadline and the due list."""

    name = "laborcredit.repair"
    verbose_name = "信用修复"

    def ready(self) -> None:
        post_migrate.connect(complete_repair_states, sender=self)


def complete_repair_states(
    sender: Any, using: str = "default", verbosity: int = 1, **_: Any
) -> None:
    """`migrate` writes the kept repairs (repair.states) that are missing: a database that had
    records before the table existed, or records loaded around the services."""
    from django.db import connections
    from django.utils import timezone

    from laborcredit.repair.models import RepairState
    from laborcredit.repair.states import states_refresh

    if RepairState._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back to before the table
    written = states_refresh(timezone.localdate(), complete=True)
    if written and verbosity:
        print(f"信用修复状态：写入 {written} 家（第二十一条）")
