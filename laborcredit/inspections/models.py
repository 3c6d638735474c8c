"""Routine inspection plans (第十四条(一)、第十五条(二)、第十六条、第十七条(二)), drawn by the
双随机 method from the roster of inspectors, and the results entered against them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from laborcredit.credit.models import CreditRecord, Employer
from laborcredit.rating.models import GRADE_CHOICES, AppendOnlyModel


class Inspector(models.Model):
    """An entry of the roster from which inspectors are drawn: a user in the inspector role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="inspector", verbose_name="账号"
    )
    active = models.BooleanField("参加抽取", default=True)
    added_by = models.CharField("登记人", max_length=150)
    added_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "监察员名册"
        ordering = ["user__username"]

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> str:
        """The name the draw knows the inspector by (stored with the plan)."""
        return self.user.get_username()

    @property
    def label(self) -> str:
        full = self.user.get_full_name()
        return f"{full}（{self.key}）" if full else self.key


class ConflictDeclaration(AppendOnlyModel):
    """回避: an inspector has an interest in an employer and is never drawn for it."""

    inspector = models.ForeignKey(Inspector, models.PROTECT, related_name="conflicts")
    employer = models.ForeignKey(Employer, models.PROTECT, related_name="+")
    reason = models.TextField("利害关系说明")
    declared_by = models.CharField("登记人", max_length=150)
    declared_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "回避申报"
        ordering = ["-declared_at", "-id"]

    def __str__(self) -> str:
        return f"{self.inspector} 回避 {self.employer_id}"


class InspectionPlan(models.Model):
    """One period's list of routine inspections, with the seed and inputs that reproduce it."""

    class Kind(models.TextChoices):
        YEAR = "year", "年度"
        QUARTER = "quarter", "季度"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已公布"

    kind = models.CharField("计划类型", max_length=8, choices=Kind.choices)
    period_start = models.DateField("起始日期")
    period_end = models.DateField("截止日期")
    seed = models.BigIntegerField("随机种子")
    rates = models.JSONField("检查频次（次/年）")
    inputs = models.JSONField("抽取输入")
    counts = models.JSONField("各等级检查次数", default=dict)
    unassigned_count = models.PositiveIntegerField("未能指派监察员的检查数", default=0)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.CharField("抽取人", max_length=150)
    created_at = models.DateTimeField("抽取时间", auto_now_add=True)
    published_by = models.CharField("公布人", max_length=150, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "日常巡视检查计划"
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start"],
                condition=models.Q(status="published"),
                name="inspection_plan_published_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_label}日常巡视检查计划（{self.get_status_display()}）"

    @property
    def period_label(self) -> str:
        if self.kind == self.Kind.YEAR:
            return f"{self.period_start.year}年"
        return f"{self.period_start.year}年第{(self.period_start.month - 1) // 3 + 1}季度"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class PlannedInspection(models.Model):
    """One inspection of a plan, in its place in the list, and its result once entered."""

    class Result(models.TextChoices):
        PENDING = "pending", "尚未检查"
        NO_VIOLATION = "no_violation", "未发现违法行为"
        VIOLATION = "violation", "发现违法行为"

    plan = models.ForeignKey(InspectionPlan, models.PROTECT, related_name="inspections")
    order = models.PositiveIntegerField("序号")
    employer = models.ForeignKey(Employer, models.PROTECT, related_name="+")
    grade = models.CharField("抽取时等级", max_length=2, choices=GRADE_CHOICES)
    inspector_1 = models.ForeignKey(
        Inspector, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="监察员一"
    )
    inspector_2 = models.ForeignKey(
        Inspector, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="监察员二"
    )
    unassigned_reason = models.TextField("未指派原因", blank=True)
    result = models.CharField(
        "检查结果", max_length=12, choices=Result.choices, default=Result.PENDING
    )
    result_date = models.DateField("检查日期", null=True, blank=True)
    notes = models.TextField("检查情况", blank=True)
    record = models.ForeignKey(
        CreditRecord, models.PROTECT, null=True, blank=True, related_name="+"
    )
    result_by = models.CharField("结果录入人", max_length=150, blank=True)
    result_at = models.DateTimeField("结果录入时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "计划检查"
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="planned_inspection_order")
        ]
        permissions = [("record_inspection_result", "录入日常巡视检查结果")]

    def __str__(self) -> str:
        return f"{self.plan} 第{self.order}项"

    @property
    def inspectors(self) -> list[Inspector]:
        return [i for i in (self.inspector_1, self.inspector_2) if i is not None]

    def is_drawn(self, user: Any) -> bool:
        """Only the two inspectors drawn for it may enter its result."""
        pk = getattr(user, "pk", None)
        return pk is not None and any(i.user_id == pk for i in self.inspectors)
