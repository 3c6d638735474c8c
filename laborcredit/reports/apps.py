from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """第六条: reports to superior departments, and employers' verifiable credit reports."""

    name = "laborcredit.reports"
    verbose_name = "报表与信用报告"
