"""第十三条: grades kept current, their history, and the annual evaluation runs."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from laborcredit.credit.models import CreditRecord, Employer
from laborcredit.lib.appendonly import AppendOnlyError
from laborcredit.rules.vocabulary import Grade

GRADE_CHOICES = [(g.value, f"{g.value}级（{g.label}）") for g in Grade]


class AppendOnlyModel(models.Model):
    """A history table: rows are added, never changed or removed."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name}只能追加，不得修改或删除")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(f"{self._meta.verbose_name}只能追加，不得修改或删除")


class Cause(models.TextChoices):
    INITIAL = "initial", "首次评价"
    RECORD = "record", "信用记录变化"
    TIME = "time", "时间推移（评价窗口变化）"
    RUN = "run", "年度评价"
    REVIEW = "review", "人工认定"


class EvaluationRun(models.Model):
    """第十三条 评价周期为一年: one grading of every employer, official once approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        APPROVED = "approved", "已批准"

    as_of = models.DateField("评价日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    rule_version = models.CharField("规则版本", max_length=10)
    provincial_policy = models.CharField("第八条运用方式", max_length=4)
    previous = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="上一次评价"
    )
    employer_count = models.PositiveIntegerField("单位数", default=0)
    counts = models.JSONField("各等级单位数", default=dict)
    moved_count = models.PositiveIntegerField("等级变动数", default=0)
    needs_review_count = models.PositiveIntegerField("需人工复核数", default=0)
    seconds = models.FloatField("用时（秒）", default=0)
    created_by = models.CharField("发起人", max_length=150)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    approved_by = models.CharField("批准人", max_length=150, blank=True)
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度评价"
        ordering = ["-id"]
        permissions = [
            ("approve_evaluationrun", "批准年度评价结果"),
            ("view_dashboard", "查看统计看板"),
        ]

    def __str__(self) -> str:
        return f"{self.as_of} 年度评价（{self.get_status_display()}）"


class RunResult(models.Model):
    """One employer's grade in one evaluation run."""

    # No index of their own: every query of results names its run, which run_result_once
    # (run, employer) serves; a million results a run need not keep two more indexes current.
    run = models.ForeignKey(EvaluationRun, models.PROTECT, related_name="results", db_index=False)
    employer = models.ForeignKey(Employer, models.PROTECT, related_name="+", db_index=False)
    grade = models.CharField("等级", max_length=2, choices=GRADE_CHOICES)
    needs_review = models.BooleanField("需人工复核", default=False)
    provincial_level = models.CharField("省级评价等级", max_length=1, blank=True)
    basis = models.JSONField("评价依据")
    previous_grade = models.CharField("原等级", max_length=2, blank=True)
    next_change_on = models.DateField("最早可能变化日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评价结果"
        constraints = [
            models.UniqueConstraint(fields=["run", "employer"], name="run_result_once"),
        ]
        # The results an officer must review (a few per cent): only they are indexed, so
        # that writing a million results does not keep an entry for every one.
        indexes = [
            models.Index(
                fields=["run"], condition=Q(needs_review=True), name="run_result_needs_review"
            )
        ]

    def __str__(self) -> str:
        return f"第{self.run_id}次评价 单位{self.employer_id}：{self.grade}级"

    @property
    def moved(self) -> bool:
        return bool(self.previous_grade) and self.previous_grade != self.grade


class ReviewDecision(AppendOnlyModel):
    """An officer's decision on a needs_review result: its own record, never an edit of the result."""

    employer = models.ForeignKey(Employer, models.PROTECT, related_name="review_decisions")
    run = models.ForeignKey(EvaluationRun, models.PROTECT, null=True, blank=True, related_name="+")
    computed_grade = models.CharField("计算等级", max_length=2, choices=GRADE_CHOICES)
    computed_as_of = models.DateField("计算的评价日期")
    computed_basis = models.JSONField("计算依据")
    decided_grade = models.CharField("认定等级", max_length=2, choices=GRADE_CHOICES)
    reason = models.TextField("认定理由")
    decided_by = models.CharField("认定人", max_length=150)
    decided_at = models.DateTimeField("认定时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "人工认定"
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"人工认定 {self.computed_grade}→{self.decided_grade}"


class EmployerGrade(models.Model):
    """The current grade: the latest of the approved annual result and any adjustment after it."""

    employer = models.OneToOneField(
        Employer, models.PROTECT, primary_key=True, related_name="current_grade"
    )
    grade = models.CharField("计算等级", max_length=2, choices=GRADE_CHOICES, db_index=True)
    needs_review = models.BooleanField("需人工复核", default=False, db_index=True)
    provincial_level = models.CharField("省级评价等级", max_length=1, blank=True)
    basis = models.JSONField("评价依据")
    rule_version = models.CharField("规则版本", max_length=10)
    as_of = models.DateField("评价日期")
    next_change_on = models.DateField("最早可能变化日期", null=True, blank=True, db_index=True)
    cause = models.CharField("原因", max_length=10, choices=Cause.choices)
    run = models.ForeignKey(EvaluationRun, models.PROTECT, null=True, blank=True, related_name="+")
    decision = models.ForeignKey(
        ReviewDecision, models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "当前信用等级"

    def __str__(self) -> str:
        return f"{self.official_grade}级（{self.as_of}）"

    @property
    def official_grade(self) -> str:
        """The grade in force: an officer's decision on this result, else the computed one."""
        return self.decision.decided_grade if self.decision_id else self.grade  # type: ignore[union-attr]


class GradeChange(AppendOnlyModel):
    """One change of an employer's grade, with what caused it (第十三条 动态调整)."""

    employer = models.ForeignKey(Employer, models.PROTECT, related_name="grade_changes")
    from_grade = models.CharField("原等级", max_length=2, blank=True)
    to_grade = models.CharField("新等级", max_length=2, choices=GRADE_CHOICES)
    needs_review = models.BooleanField("需人工复核", default=False)
    basis = models.JSONField("评价依据")
    rule_version = models.CharField("规则版本", max_length=10)
    as_of = models.DateField("评价日期")
    cause = models.CharField("原因", max_length=10, choices=Cause.choices)
    record = models.ForeignKey(
        CreditRecord, models.PROTECT, null=True, blank=True, related_name="+"
    )
    run = models.ForeignKey(EvaluationRun, models.PROTECT, null=True, blank=True, related_name="+")
    decision = models.ForeignKey(
        ReviewDecision, models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.CharField("操作人", max_length=150, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "信用等级变化"
        ordering = ["employer", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_grade or '（无）'}→{self.to_grade}（{self.as_of}）"
