"""AC1, IA4: what a production installation must not have (Django's system checks)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.db import DatabaseError


@register()
def production_accounts(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not getattr(settings, "PRODUCTION", False):
        return []
    errors = []
    if not getattr(settings, "LABORCREDIT_REQUIRE_2FA", True):
        errors.append(
            Error(
                "生产环境必须启用双因素认证（LABORCREDIT_REQUIRE_2FA 不能为 False）",
                id="laborcredit.accounts.E001",
            )
        )
    from django.contrib.auth import get_user_model

    try:
        superusers = get_user_model().objects.filter(is_superuser=True).exists()
    except DatabaseError:
        superusers = False  # not migrated yet
    if superusers:
        errors.append(
            Error(
                "生产环境不得存在超级用户（三员分立）；请改为分配系统管理员等角色并取消超级用户",
                id="laborcredit.accounts.E002",
                hint="laborcredit users roles 查看账号角色",
            )
        )
    return errors
