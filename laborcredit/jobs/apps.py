from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "laborcredit.jobs"
    verbose_name = "后台任务"
