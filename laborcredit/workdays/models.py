"""The official holiday arrangements an administrator enters for years chinese-calendar does not know."""

from __future__ import annotations

import datetime

from django.db import models

from laborcredit.rating.models import AppendOnlyModel
from laborcredit.rules.workdays import Arrangement


class YearArrangement(AppendOnlyModel):
    """One version of a year's arrangement; a correction is a new version, the latest counts."""

    year = models.PositiveSmallIntegerField("年份")
    version = models.PositiveIntegerField("版本")
    holidays = models.JSONField("放假日期", help_text="YYYY-MM-DD 日期列表")
    workdays = models.JSONField("调休上班日期", help_text="YYYY-MM-DD 日期列表")
    source = models.CharField("依据文件", max_length=300)
    entered_by = models.CharField("录入人", max_length=150)
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "节假日安排"
        ordering = ["year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="year_arrangement_version"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排（第{self.version}版）"

    def arrangement(self) -> Arrangement:
        return Arrangement(
            year=self.year,
            holidays=frozenset(datetime.date.fromisoformat(d) for d in self.holidays),
            workdays=frozenset(datetime.date.fromisoformat(d) for d in self.workdays),
            source=self.source,
        )
