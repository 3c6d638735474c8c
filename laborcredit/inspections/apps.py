from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    """第十四条(一)、第十五条(二)、第十六条、第十七条(二): routine inspection plans drawn at random."""

    name = "laborcredit.inspections"
    verbose_name = "日常巡视检查"
