"""Per-account state Django's user lacks (IA1), and the custom permissions of the roles."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class AccountProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_profile"
    )
    # IA1: an account made by an administrator, or reset, must choose its own password first.
    must_change_password = models.BooleanField("须修改密码", default=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "账号信息"
        verbose_name_plural = "账号信息"

    def __str__(self) -> str:
        return f"{self.user}"

    def password_expired(self, max_age_days: int) -> bool:
        """IA1: the configured rotation period (0 = off) has passed since the last change."""
        if max_age_days <= 0 or self.password_changed_at is None:
            return False
        return timezone.now() - self.password_changed_at > datetime.timedelta(days=max_age_days)


class RolePermissions(models.Model):
    """No table: only the holder of permissions that belong to no other model."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("assign_roles", "分配角色")]

    def __str__(self) -> str:
        return "角色权限"
