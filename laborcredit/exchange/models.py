"""第六条、第二十条: the outbox of changes the city credit information sharing platform must
receive, written in the same transaction as the change itself, and the platform's receipts.

Nothing here is ever deleted: an item moves pending → sent (or → failed, parked for an
officer to retry), and every receipt the platform returns is kept.
"""

from __future__ import annotations

from django.db import models

from laborcredit.credit.models import Employer
from laborcredit.lib.appendonly import AppendOnlyError

KEPT = "推送记录只能追加，不得删除"


class Kind(models.TextChoices):
    GRADE_CHANGE = "grade_change", "信用等级变化"
    PENALTY = "penalty", "行政处罚（失信记录）"
    OBJECTION_OUTCOME = "objection_outcome", "异议处理结果"
    CORRECTION = "correction", "更正或作废"


class State(models.TextChoices):
    PENDING = "pending", "待推送"
    SENT = "sent", "已推送"
    FAILED = "failed", "推送失败"


class OutboxItemQuerySet(models.QuerySet["OutboxItem"]):
    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(KEPT)


class OutboxItem(models.Model):
    """One change for the platform. Sent in created order per employer (`id`), each with a key
    the platform uses to recognise a repeat (the same item sent again after a lost answer)."""

    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    employer = models.ForeignKey(Employer, models.PROTECT, related_name="+")
    idempotency_key = models.CharField("幂等键", max_length=100, unique=True)
    payload = models.JSONField("推送内容")
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", db_index=True)
    last_error = models.TextField("最近一次错误", blank=True)
    claimed_by = models.CharField("处理进程", max_length=100, blank=True)
    claimed_until = models.DateTimeField("占用至", null=True, blank=True)
    sent_at = models.DateTimeField("推送时间", null=True, blank=True)
    receipt_id = models.CharField("回执编号", max_length=200, blank=True)
    receipt = models.JSONField("回执", null=True, blank=True)
    due_on = models.DateField("推送期限", null=True, blank=True, db_index=True)
    objection = models.ForeignKey(
        "objections.Objection", models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    objects = OutboxItemQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "推送队列"
        ordering = ["id"]
        indexes = [models.Index(fields=["employer", "state", "id"])]

    def __str__(self) -> str:
        return f"{Kind(self.kind).label} {self.idempotency_key}（{State(self.state).label}）"

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(KEPT)


class PushReceipt(models.Model):
    """A receipt the platform returned for an item, as received (a repeat is kept, flagged)."""

    item = models.ForeignKey(OutboxItem, models.PROTECT, related_name="receipts")
    receipt_id = models.CharField("回执编号", max_length=200, blank=True)
    body = models.JSONField("回执内容")
    duplicate = models.BooleanField("重复回执", default=False)
    received_at = models.DateTimeField("收到时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "平台回执"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"回执 {self.receipt_id or '（无编号）'}"

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(KEPT)
