"""第十四条–第十七条 as data: the local incentives (第十四条(三), 第十五条(三)) and interviews (第十七条(三)).

A local measure is never edited: its words and legal basis are fixed when it
is added, and retiring it sets `retired_from` once (a conditional update on
`retired_from IS NULL`, audited). A changed text is a new measure and the old
one retired: the rows with their [in force from, retired from) ranges are the
history, and "in force on a date" is one indexed filter with no version join.
"""

from __future__ import annotations

from django.db import models

from laborcredit.credit.models import CreditRecord, Employer
from laborcredit.lib.appendonly import AppendOnlyError

LOCAL_ITEMS = {
    "第十四条（三）": "A+",  # 国家和省、市规定的其他激励措施
    "第十五条（三）": "A",  # 国家、省、市规定的其他激励措施
}
"""The items under which the bureau keeps other measures, and the grade each applies to."""


class LocalMeasure(models.Model):
    """第十四条(三)、第十五条(三): one "other incentive set by the state, province or city"."""

    item = models.CharField(
        "所属条款", max_length=12, choices=[(item, item) for item in LOCAL_ITEMS]
    )
    title = models.CharField("措施名称", max_length=200)
    description = models.TextField("措施内容", blank=True)
    legal_basis = models.CharField("依据（文件名称及文号）", max_length=300)
    in_force_from = models.DateField("施行日期")
    retired_from = models.DateField("停止适用日期", null=True, blank=True)
    retire_reason = models.TextField("停止适用原因", blank=True)
    retired_by = models.CharField("停止适用操作人", max_length=150, blank=True)
    retired_at = models.DateTimeField("停止适用操作时间", null=True, blank=True)
    created_by = models.CharField("登记人", max_length=150)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "其他激励措施"
        ordering = ["item", "in_force_from", "id"]
        indexes = [models.Index(fields=["item", "in_force_from"])]
        permissions = [("view_joint_punishment", "查看、导出联合惩戒名单")]

    def __str__(self) -> str:
        return f"{self.item} {self.title}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("其他激励措施登记后不得修改，只能停止适用后另行登记")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("其他激励措施不得删除，只能停止适用")


class Interview(models.Model):
    """第十七条(三): an interview of an employer's principal and directly responsible persons."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "已安排"
        HELD = "held", "已约谈"
        CANCELLED = "cancelled", "已取消"

    employer = models.ForeignKey(Employer, models.PROTECT, related_name="interviews")
    case = models.CharField("关联案件编号", max_length=100)
    scheduled_on = models.DateField("约谈日期")
    place = models.CharField("约谈地点", max_length=200)
    principal = models.CharField("主要负责人", max_length=50)
    responsible_persons = models.CharField("直接责任人", max_length=300, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    held_on = models.DateField("实际约谈日期", null=True, blank=True)
    attendees = models.TextField("参加人员", blank=True)
    statement = models.TextField("约谈内容", blank=True)
    undertakings = models.TextField("承诺事项", blank=True)
    document_number = models.CharField("约谈通知书文号", max_length=100, blank=True)
    record = models.OneToOneField(
        CreditRecord, models.PROTECT, null=True, blank=True, related_name="interview"
    )
    cancel_reason = models.TextField("取消原因", blank=True)
    created_by = models.CharField("安排人", max_length=150)
    created_at = models.DateTimeField("安排时间", auto_now_add=True)
    closed_by = models.CharField("记录或取消人", max_length=150, blank=True)
    closed_at = models.DateTimeField("记录或取消时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "约谈"
        ordering = ["-scheduled_on", "-id"]
        indexes = [models.Index(fields=["employer", "status", "held_on"])]

    def __str__(self) -> str:
        return f"{self.employer.name} {self.scheduled_on} 约谈（{self.get_status_display()}）"
