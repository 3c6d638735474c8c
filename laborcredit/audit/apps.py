from django.apps import AppConfig


class AuditConfig(AppConfig):
    """AU1–AU4: the tamper-evident audit log."""

    name = "laborcredit.audit"
    label = "audit"
    verbose_name = "审计日志"
