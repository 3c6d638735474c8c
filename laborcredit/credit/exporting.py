"""Exporting employers, credit records and grades to .xlsx and CSV (第六条, IN2, AC3).

Personal information is masked unless the export is explicitly allowed to
show it; every cell that a spreadsheet would read as a formula is neutralised;
every export is audited with its row count and reason, in the same transaction
as the reading, and an export of everything needs a reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from laborcredit.audit.services import audit_append
from laborcredit.credit.models import CreditRecord, Disclosure, Employer
from laborcredit.lib.errors import Refused
from laborcredit.lib.masking import mask_id_number, mask_name, mask_phone
from laborcredit.lib.spreadsheets import write_csv, write_xlsx
from laborcredit.rules.vocabulary import Grade, RecordType

KINDS = ("employers", "records", "grades")
FORMATS = ("xlsx", "csv")
TITLES = {"employers": "用人单位", "records": "信用记录", "grades": "信用等级"}
CHUNK = 2000

EMPLOYER_HEADER = ["统一社会信用代码", "单位名称", "法定代表人", "法定代表人身份证号码", "地址",
                   "乡镇（街道）", "行业代码", "行业", "登记注册类型", "职工人数", "联系人", "联系电话"]  # fmt: skip
RECORD_HEADER = ["统一社会信用代码", "单位名称", "记录类型", "日期", "案件编号", "整改期限",
                 "评估是否通过", "省级评价等级", "文书号", "作出机关", "说明", "公开范围",
                 "违法行为类型", "处罚类别", "罚款金额（元）", "处罚依据", "处罚内容", "来源",
                 "版本", "录入人", "录入时间"]  # fmt: skip
GRADE_HEADER = ["统一社会信用代码", "单位名称", "信用等级", "等级名称", "需人工复核", "评价日期",
                "原因", "规则版本"]  # fmt: skip

_TYPE_LABELS = {t.value: t.label for t in RecordType}
_DISCLOSURE_LABELS = dict(Disclosure.choices)


@dataclass
class ExportResult:
    path: Path
    kind: str
    rows: int


def _keep(value: str) -> str:
    return value


def _employer_rows(employers: Any, unmasked: bool) -> Iterator[list[Any]]:
    name, id_number, phone = (
        (_keep, _keep, _keep) if unmasked else (mask_name, mask_id_number, mask_phone)
    )
    for e in employers.iterator(chunk_size=CHUNK):
        yield [e.uscc, e.name, name(e.legal_rep_name) if e.legal_rep_name else "",
               id_number(e.legal_rep_id_number) if e.legal_rep_id_number else "", e.address,
               e.township, e.industry_code, e.industry_name, e.registration_type, e.employees,
               name(e.contact_name) if e.contact_name else "",
               phone(e.contact_phone) if e.contact_phone else ""]  # fmt: skip


def _record_rows(records: Any) -> Iterator[list[Any]]:
    for r in records.iterator(chunk_size=CHUNK):
        yield [r.employer.uscc, r.employer.name, _TYPE_LABELS.get(r.type, r.type), r.date,
               r.case, r.correction_deadline, r.passed, r.level, r.document_number,
               r.issuing_body, r.description, _DISCLOSURE_LABELS.get(r.disclosure, r.disclosure),
               r.violation_type, r.penalty_category, r.fine_amount, r.penalty_basis,
               r.penalty_content, r.get_source_display(), r.version, r.entered_by,
               r.entered_at]  # fmt: skip


def _grade_rows(employers: Any) -> Iterator[list[Any]]:
    from laborcredit.rating.models import EmployerGrade

    grades = (
        EmployerGrade.objects.filter(employer__in=employers)
        .select_related("employer", "decision")
        .order_by("employer_id")
    )
    for g in grades.iterator(chunk_size=CHUNK):
        official = g.official_grade
        yield [g.employer.uscc, g.employer.name, official, Grade(official).label,
               g.needs_review, g.as_of, g.get_cause_display(), g.rule_version]  # fmt: skip


def export_file(
    kind: str,
    target: str | os.PathLike[str],
    *,
    fmt: str = "xlsx",
    reason: str = "",
    usccs: Sequence[str] = (),
    unmasked: bool = False,
) -> ExportResult:
    """Write an export and its audit entry; refused (nothing written) without a required reason.

    An export of every employer (no `usccs`), or one showing personal
    information, needs a reason (AC3).
    """
    if kind not in KINDS:
        raise ValueError(kind)
    if fmt not in FORMATS:
        raise ValueError(fmt)
    reason = (reason or "").strip()
    if not usccs and not reason:
        raise Refused.one("reason", "批量导出全部单位的数据必须说明导出事由", "reason-missing")
    if unmasked and not reason:
        raise Refused.one("reason", "导出未脱敏的个人信息必须说明导出事由", "reason-missing")
    target = Path(target)
    employers = Employer.objects.order_by("id")
    if usccs:
        employers = employers.filter(uscc__in=[u.strip().upper() for u in usccs])
    if kind == "employers":
        header, rows = EMPLOYER_HEADER, _employer_rows(employers, unmasked)
    elif kind == "records":
        records = (
            CreditRecord.objects.effective()
            .filter(employer__in=employers)
            .select_related("employer")
            .order_by("employer_id", "date", "id")
        )
        header, rows = RECORD_HEADER, _record_rows(records)
    else:
        header, rows = GRADE_HEADER, _grade_rows(employers)
    try:
        with transaction.atomic():
            if fmt == "csv":
                count = write_csv(target, header, rows)
            else:
                count = write_xlsx(target, TITLES[kind], header, rows)
            audit_append(
                event="export",
                object_type="export",
                object_id=f"{kind}.{fmt}",
                data={
                    "kind": kind,
                    "format": fmt,
                    "rows": count,
                    "reason": reason or "—",
                    "bulk": not usccs,
                    "usccs": list(usccs)[:50],
                    "personal_info": "unmasked" if unmasked else "masked",
                    "file": target.name,
                },
            )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return ExportResult(path=target, kind=kind, rows=count)
