"""第六条: API keys of other departments' systems, their per-minute counters, and the
idempotency table of records filed through the API."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    READ_GRADES = "read_grades", "查询信用等级及适用措施"
    READ_RECORDS = "read_records", "查询信用档案（公开及共享记录）及异议状态"
    WRITE_RECORDS = "write_records", "报送信用记录"


class ApiKey(models.Model):
    """One department system's key. Only the SHA-256 of the secret is stored; the full key
    (``lc_<prefix>_<secret>``) is shown once, at creation."""

    department = models.CharField("部门（系统）", max_length=100)
    prefix = models.CharField("密钥前缀", max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField("权限范围", default=list)
    expires_at = models.DateTimeField("有效期至")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_by = models.CharField("吊销人", max_length=150, blank=True)
    rate_limit_per_minute = models.PositiveIntegerField("每分钟调用上限", default=60)
    created_by = models.CharField("创建人", max_length=150)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近调用时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口密钥"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.department}（{self.prefix}）"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def last_valid_day(self) -> datetime.date:
        """The last day the key works, as the administrator entered it (有效期至, 含当日)."""
        return timezone.localtime(self.expires_at - datetime.timedelta(microseconds=1)).date()

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def status_label(self) -> str:
        if self.is_revoked:
            return "已吊销"
        if self.is_expired:
            return "已过期"
        return "有效"

    def scope_labels(self) -> list[str]:
        return [Scope(s).label for s in self.scopes if s in Scope.values]


class ApiRateWindow(models.Model):
    """A fixed one-minute window's call count of one key (shared by every worker)."""

    key = models.ForeignKey(ApiKey, models.CASCADE, related_name="+")
    window = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="api_rate_window_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key_id} {self.window:%Y-%m-%d %H:%M} {self.count}"


class ApiRecordRequest(models.Model):
    """A record filed through the API, by the department's own id: a retry finds it here."""

    department = models.CharField(max_length=100)
    caller_id = models.CharField(max_length=100)
    body_hash = models.CharField(max_length=64)
    record = models.ForeignKey(
        "credit.CreditRecord", models.PROTECT, null=True, blank=True, related_name="+"
    )
    key = models.ForeignKey(ApiKey, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["department", "caller_id"], name="api_record_request_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department}:{self.caller_id}"
