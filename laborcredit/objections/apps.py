from django.apps import AppConfig


class ObjectionsConfig(AppConfig):
    """异议申请 (第十九条、第二十条): objections, their 3/10-working-day deadlines and the 5-day push."""

    name = "laborcredit.objections"
    verbose_name = "异议申请"
