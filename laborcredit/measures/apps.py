from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    """第十四条–第十七条: the measures that follow from a grade, interviews, joint punishment."""

    name = "laborcredit.measures"
    verbose_name = "信用评价结果应用"
