"""第二十一条 信用修复: the grade adjustments made after a penalty's evaluation cycle ended."""

from __future__ import annotations

from django.db import models

from laborcredit.credit.models import Employer
from laborcredit.lib.appendonly import AppendOnlyError
from laborcredit.rating.models import GRADE_CHOICES

ADJUSTMENT_APPEND_ONLY = "信用修复调整记录只能追加，不得修改或删除"


class RepairAdjustment(models.Model):
    """第二十一条 评价周期满后5个工作日内调整其信用等级: one adjustment, who made it and when."""

    employer = models.ForeignKey(Employer, models.PROTECT, related_name="repair_adjustments")
    cases = models.JSONField("涉及案件")
    cycle_end = models.DateField("评价周期期满日")
    deadline = models.DateField("调整期限")
    deadline_provisional = models.BooleanField("期限为暂定", default=False)
    adjusted_on = models.DateField("调整生效日期")
    grade_before = models.CharField("调整前等级", max_length=2, choices=GRADE_CHOICES)
    grade_after = models.CharField("调整后等级", max_length=2, choices=GRADE_CHOICES)
    adjusted_by = models.CharField("调整人", max_length=150)
    adjusted_at = models.DateTimeField("调整时间", auto_now_add=True)
    on_time = models.BooleanField("按期调整")
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "信用修复调整"
        ordering = ["-adjusted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "cycle_end"], name="repair_adjustment_once_per_cycle"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.cycle_end} {self.grade_before}→{self.grade_after}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(ADJUSTMENT_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(ADJUSTMENT_APPEND_ONLY)
