"""Shared helpers for the credit service tests: dates relative to today, row counts."""

from __future__ import annotations

import datetime

from django.utils import timezone

from laborcredit.audit.models import AuditEntry
from laborcredit.credit.models import CreditRecord, Employer, EmployerName
from laborcredit.rating.models import EmployerGrade, GradeChange

ID_NUMBER = "11010519491231002X"  # valid GB 11643 check digit
PHONE = "13812345678"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def row_counts() -> dict[str, int]:
    """How many rows each table the credit services write holds."""
    return {
        "employers": Employer.objects.count(),
        "names": EmployerName.objects.count(),
        "records": CreditRecord.objects.count(),
        "grades": EmployerGrade.objects.count(),
        "grade_changes": GradeChange.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def audit_entries(event: str, object_id: str | None = None):
    entries = AuditEntry.objects.filter(event=event)
    if object_id is not None:
        entries = entries.filter(object_id=object_id)
    return list(entries.order_by("seq"))
