from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """IA1–IA4, AC1: accounts, roles with separation of duties, login with a second factor."""

    name = "laborcredit.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self) -> None:
        from laborcredit.accounts import checks, signals  # noqa: F401
