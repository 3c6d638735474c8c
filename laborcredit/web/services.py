"""Writes made by the staff site's pages themselves."""

from __future__ import annotations

from django.db import transaction

from laborcredit.audit.services import audit_append
from laborcredit.credit.models import Employer


@transaction.atomic
def personal_info_view(*, employer: Employer, reason: str = "查阅信用档案") -> None:
    """AU1, DT4: every unmasked view of an employer's personal information is audited."""
    audit_append(
        event="personal_info_view",
        object_type="employer",
        object_id=employer.uscc,
        data={
            "reason": reason,
            "fields": ["法定代表人", "法定代表人身份证号码", "联系人", "联系电话"],
        },
    )
