from django.apps import AppConfig


class ApiConfig(AppConfig):
    """第六条: the REST API for other departments' systems, with API keys and scopes."""

    name = "laborcredit.api"
    label = "api"
    verbose_name = "数据接口"
