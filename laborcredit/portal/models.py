"""第十八条: an employer's own account on the portal, and the one-time codes that activate it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from laborcredit.credit.models import Employer

USERNAME_PREFIX = "employer:"
"""An employer's Django username is this prefix and its credit code: a colon is not allowed in
the names the staff account form takes, so the two kinds of account never collide."""


def username_for(uscc: str) -> str:
    return f"{USERNAME_PREFIX}{uscc}"


class EmployerAccount(models.Model):
    """One employer's login to the portal; its user name is derived from the credit code."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="employer_account"
    )
    employer = models.OneToOneField(
        Employer, models.PROTECT, related_name="portal_account", verbose_name="用人单位"
    )
    created_by = models.CharField("开通人", max_length=150)
    created_at = models.DateTimeField("开通时间", auto_now_add=True)
    activated_at = models.DateTimeField("激活时间", null=True, blank=True)
    disabled_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "用人单位账号"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.employer.name}（{self.employer.uscc}）"

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None

    @property
    def status_label(self) -> str:
        if self.disabled:
            return "已停用"
        return "已激活" if self.activated_at else "待激活"


class ActivationCode(models.Model):
    """A one-time code with which the employer sets its password; only its keyed hash is kept."""

    account = models.ForeignKey(EmployerAccount, models.PROTECT, related_name="activation_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.CharField("发放人", max_length=150)
    issued_at = models.DateTimeField("发放时间", auto_now_add=True)
    expires_at = models.DateTimeField("有效期至")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField("错误次数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "激活码"
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"激活码（{self.account}，{self.issued_at:%Y-%m-%d}）"

    def usable(self, now: object = None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.revoked_at is None and self.expires_at > now  # type: ignore[operator]
