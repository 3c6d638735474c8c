from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The employer portal (第十八条): an employer's own grade, records, objections and repair."""

    name = "laborcredit.portal"
    verbose_name = "用人单位门户"
