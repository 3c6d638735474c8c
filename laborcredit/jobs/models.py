"""Long operations started from a page (an import, an annual evaluation) and their outcome."""

from __future__ import annotations

from django.db import models


class Job(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "未完成"

    kind = models.CharField("任务类型", max_length=30)
    title = models.CharField("任务", max_length=200)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.RUNNING, db_index=True
    )
    params = models.JSONField("参数", default=dict)
    result = models.JSONField("结果", default=dict)
    message = models.TextField("说明", blank=True)
    problems = models.JSONField("问题", default=list)
    report_name = models.CharField("错误报告文件名", max_length=200, blank=True)
    created_by = models.CharField("发起人", max_length=150)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-id"]
        indexes = [models.Index(fields=["kind", "-id"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"
