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


class RepairState(models.Model):
    """An employer's repair as `rules.repair.last_repair` read it on `computed_on` (第二十一条).

    Kept so that a province's due lists are chosen, counted, ordered and paged in SQL; a copy
    of the rules' answer, never a rule of its own. It holds from `computed_on` until the day
    before `valid_until`, the next date on which the same records may grade differently
    (`rules.adjustment.next_change_on`; None: never): a repair changes only when the grade
    can. An employer has a row while it has an effective penalty record (the stage may be
    "none"); the row is rewritten whenever the employer is regraded, which every change to
    its records does (第十三条), and by `repair.states.states_refresh` when it has expired.
    """

    class Stage(models.TextChoices):
        NONE = "none", "无修复"
        RUNNING = "running", "修复中"
        FINISHED = "finished", "周期已满、证据齐全"

    # A copy that can always be made again from the records: it goes with its employer.
    employer = models.OneToOneField(
        Employer, models.CASCADE, primary_key=True, related_name="repair_state"
    )
    computed_on = models.DateField("计算日期")
    valid_until = models.DateField("有效至（不含）", null=True, blank=True, db_index=True)
    stage = models.CharField("阶段", max_length=8, choices=Stage.choices)
    cycle_end = models.DateField("评价周期期满日", null=True, blank=True)
    repaired = models.BooleanField("已纠正并履行", default=False)
    repaired_on = models.DateField("证据齐全日期", null=True, blank=True)
    latest_penalty_on = models.DateField("最近一次行政处罚日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "信用修复状态"
        indexes = [models.Index(fields=["stage", "cycle_end"], name="repair_state_stage_cycle")]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.stage} {self.cycle_end}"
