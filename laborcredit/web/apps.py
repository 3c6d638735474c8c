from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "laborcredit.web"
    verbose_name = "系统"
