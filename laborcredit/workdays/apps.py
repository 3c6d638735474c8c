from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    """Working days (第二十条、第二十一条): the official holiday arrangements entered for later years."""

    name = "laborcredit.workdays"
    verbose_name = "工作日与节假日安排"
