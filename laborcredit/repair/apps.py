from django.apps import AppConfig


class RepairConfig(AppConfig):
    """信用修复 (第二十一条): repair files, the adjustment deadline and the due list."""

    name = "laborcredit.repair"
    verbose_name = "信用修复"
