"""第六条 reports to superior departments, and employers' credit reports with a verification code."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from laborcredit.credit.models import Employer
from laborcredit.rating.models import GRADE_CHOICES, AppendOnlyModel


class IssuedReport(AppendOnlyModel):
    """One credit report as issued: what it showed, a hash of the PDF, who issued it and when.

    Append-only: a report once issued is never changed; the verification page reads it."""

    serial = models.CharField("报告编号", max_length=16, unique=True)
    employer = models.ForeignKey(Employer, models.PROTECT, related_name="issued_reports")
    employer_name = models.CharField("出具时的单位名称", max_length=200)
    employer_uscc = models.CharField("统一社会信用代码", max_length=18)
    grade = models.CharField("报告所载等级", max_length=2, choices=GRADE_CHOICES, blank=True)
    grade_as_of = models.DateField("报告所载评价日期", null=True, blank=True)
    content = models.JSONField("报告所载内容")
    pdf_sha256 = models.CharField("报告文件 SHA-256", max_length=64)
    purpose = models.CharField("用途", max_length=200, blank=True)
    channel = models.CharField("出具渠道", max_length=10)
    issued_by = models.CharField("出具人", max_length=150)
    issued_at = models.DateTimeField("出具时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "信用报告"
        ordering = ["-issued_at", "-id"]
        permissions = [("view_superiorreport", "查看和下载向上级主管部门报送的报表（第六条）")]

    def __str__(self) -> str:
        return f"信用报告 {self.serial}（{self.employer_name}）"


class VerifyRateWindow(models.Model):
    """Verification attempts from one client address in a ten-minute window, shared by every
    worker process (the public verification page's limit)."""

    address = models.CharField(max_length=64)
    window = models.DateTimeField(db_index=True)  # old windows are deleted whatever the address
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["address", "window"], name="reports_verify_rate_window_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.address} {self.window:%Y-%m-%d %H:%M} {self.count}"
