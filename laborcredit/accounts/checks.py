"""AC1, IA4: what a production installation must not have (Django's system checks)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register
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


@register()
def clashing_roles(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """AC1: accounts given their roles before 三员分立 covered business roles and portal
    accounts (the guards refuse every new such role; the operator revokes the old ones)."""
    from django.contrib.auth import get_user_model

    from laborcredit.accounts.roles import ROLES, role_clash
    from laborcredit.portal.models import USERNAME_PREFIX

    held: dict[str, set[str]] = defaultdict(set)
    memberships = get_user_model().groups.through.objects.filter(group__name__in=ROLES)
    try:
        for username, role in memberships.values_list("user__username", "group__name"):
            held[username].add(role)
    except DatabaseError:
        return []  # not migrated yet
    wrong = sorted(
        name
        for name, codes in held.items()
        if name.startswith(USERNAME_PREFIX) or any(role_clash(code, codes) for code in codes)
    )
    if not wrong:
        return []
    return [
        Warning(
            "以下账号的角色违反三员分立（管理员兼任其他角色，或用人单位门户账号持有角色）："
            + "、".join(wrong),
            id="laborcredit.accounts.W003",
            hint="laborcredit users roles 查看账号角色，laborcredit users revoke 撤销多余的角色",
        )
    ]
