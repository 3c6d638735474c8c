from django.apps import AppConfig


class RatingConfig(AppConfig):
    """第三章 信用等级评价: grades, their history, annual evaluation runs."""

    name = "laborcredit.rating"
    verbose_name = "信用等级评价"
