from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """第六条、第二十条: the outbox and its pushes to the city credit information sharing platform."""

    name = "laborcredit.exchange"
    verbose_name = "信用信息推送"
