"""Writes of 第六条: issuing a credit report, verifying a code, exporting the superior report.

Each is audited (AU1: exports and verification results are audited events)."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from laborcredit.audit.services import audit_append
from laborcredit.credit.models import Employer
from laborcredit.lib.errors import Refused
from laborcredit.lib.ratewindows import WindowCounter
from laborcredit.reports.codes import code_for, new_serial
from laborcredit.reports.documents import (
    VERIFY_PATH,
    credit_report_pdf,
    superior_report_pdf,
    superior_report_xlsx,
)
from laborcredit.reports.models import IssuedReport, VerifyRateWindow
from laborcredit.reports.selectors import (
    SuperiorReport,
    Verification,
    credit_report_content,
    report_verify,
    superior_report,
)

CHANNELS = {"staff": "工作人员出具", "portal": "单位自行下载", "command": "命令行出具"}
FORMATS = ("xlsx", "pdf")


@transaction.atomic
def report_issue(
    *,
    employer: Employer,
    actor: str,
    purpose: str = "",
    channel: str = "staff",
    verify_url: str = VERIFY_PATH,
) -> IssuedReport:
    """Issue an employer's credit report: the PDF (on `.pdf`, not stored) and an append-only row
    of what it showed, its SHA-256 and its verification code (on `.code`)."""
    purpose = (purpose or "").strip()
    if len(purpose) > 200:
        raise Refused.one("purpose", "用途不能超过 200 个字", "purpose-too-long")
    if channel not in CHANNELS:
        raise Refused.one("channel", "出具渠道无效", "channel-invalid")
    employer = Employer.objects.get(pk=employer.pk)
    content = credit_report_content(employer=employer)
    issued_at = timezone.now()
    for _attempt in range(3):
        serial = new_serial()
        if not IssuedReport.objects.filter(serial=serial).exists():
            break
    code = code_for(serial)
    pdf = credit_report_pdf(content, code=code, issued_at=issued_at, verify_url=verify_url)
    grade = content["grade"]
    try:
        with transaction.atomic():
            report = IssuedReport.objects.create(
                serial=serial,
                employer=employer,
                employer_name=employer.name,
                employer_uscc=employer.uscc,
                grade=grade["code"] if grade else "",
                grade_as_of=datetime.date.fromisoformat(grade["as_of"]) if grade else None,
                content=content,
                pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                purpose=purpose,
                channel=channel,
                issued_by=actor,
                issued_at=issued_at,
            )
    except IntegrityError:  # pragma: no cover - 80 random bits
        raise Refused.one("serial", "报告编号重复，请重试", "serial-taken") from None
    audit_append(
        event="credit_report_issue",
        object_type="employer",
        object_id=employer.uscc,
        data={
            "serial": serial,
            "grade": report.grade or "未评价",
            "channel": CHANNELS[channel],
            "purpose": purpose or "—",
            "sha256": report.pdf_sha256,
        },
    )
    report.pdf = pdf  # type: ignore[attr-defined]
    report.code = code  # type: ignore[attr-defined]
    return report


VERIFY_LIMIT = 30  # codes per address per window: enough for a person, too few to guess codes
VERIFY_WINDOW = 600  # seconds
VERIFY_ATTEMPTS = WindowCounter(
    VerifyRateWindow,
    owner="address",
    seconds=VERIFY_WINDOW,
    keep=datetime.timedelta(seconds=VERIFY_WINDOW),
    prune_every_owner=True,  # addresses are many and may never come back
)


def verify_attempt_limited(*, address: str, now: datetime.datetime | None = None) -> bool:
    """Count a verification attempt from `address`; True once it is over VERIFY_LIMIT in its
    ten-minute window. The count is in the database, so every worker process shares it."""
    return VERIFY_ATTEMPTS.count(address, now) > VERIFY_LIMIT


@transaction.atomic
def report_verify_audited(*, code: str) -> Verification:
    """Verify a code (see `selectors.report_verify`) and audit the result (AU1)."""
    result = report_verify(code)
    audit_append(
        event="credit_report_verify",
        object_type="credit_report",
        object_id=result.report.serial if result.report else "",
        outcome="success" if result.authentic else "failure",
        data={
            "result": result.message,
            "typed": "".join(ch for ch in (code or "")[:40] if ch.isalnum() or ch == "-"),
        },
    )
    return result


@transaction.atomic
def superior_report_export(
    *, period: str, year: Any, number: Any, format: str, actor: str = ""
) -> tuple[SuperiorReport, bytes]:
    """第六条: the report to superior departments as an xlsx or a PDF file (audited export)."""
    if format not in FORMATS:
        raise Refused.one("format", "文件格式应为 xlsx 或 pdf", "format-invalid")
    report = superior_report(period=period, year=year, number=number)
    data = superior_report_xlsx(report) if format == "xlsx" else superior_report_pdf(report)
    audit_append(
        event="superior_report_export",
        object_type="export",
        object_id=report.period.slug,
        data={"title": report.title, "format": format},
    )
    return report, data
