"""The joint-punishment list (第十七条, last paragraph) exported for the departments that apply it.

As `credit.exporting`: the legal representative masked unless the export is
allowed to show it (and then a reason is required), every spreadsheet cell
neutralised, every export audited with its row count in the same transaction.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from laborcredit.audit.services import audit_append
from laborcredit.credit.exporting import ExportResult
from laborcredit.lib.errors import Refused
from laborcredit.lib.spreadsheets import write_csv, write_xlsx
from laborcredit.measures.selectors import joint_punishment_rows

FORMATS = ("xlsx", "csv", "json")
KIND = "joint_punishment"
TITLE = "联合惩戒名单"
HEADER = ["统一社会信用代码", "单位名称", "法定代表人", "列入黑名单日期", "列入决定文书号",
          "作出决定机关", "移出黑名单日期", "责任人员及说明", "信用等级", "评价日期"]  # fmt: skip
_KEYS = ("uscc", "name", "legal_rep", "listed_on", "document_number", "authority", "removed_on",
         "responsible_persons")  # fmt: skip


def _date(value: Any) -> Any:
    return value.isoformat() if value else None


def _json(target: Path, rows: Iterable[dict[str, Any]]) -> int:
    employers = [
        {
            **{k: _date(row[k]) if k.endswith("_on") else row[k] for k in _KEYS},
            "grade": "C",
            "grade_as_of": _date(row["grade_as_of"]),
        }
        for row in rows
    ]
    document = {
        "list": TITLE,
        "article": "第十七条",
        "basis": "对因列入拖欠农民工工资“黑名单”被评价为C级(较差)的用人单位，应当按照法律法规规定进行联合惩戒。",
        "generated_on": timezone.localdate().isoformat(),
        "employers": employers,
    }
    target.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return len(employers)


def _noting(rows: Iterator[dict[str, Any]], first: list[str]) -> Iterator[dict[str, Any]]:
    for row in rows:
        if len(first) < 50:
            first.append(row["uscc"])
        yield row


def joint_punishment_export(
    target: str | os.PathLike[str], *, fmt: str = "xlsx", unmasked: bool = False, reason: str = ""
) -> ExportResult:
    """Write the list and its audit entry; refused (nothing written) when an unmasked export
    has no reason."""
    if fmt not in FORMATS:
        raise Refused.one("format", "导出格式应为 xlsx、csv 或 json", "format-invalid")
    reason = (reason or "").strip()
    if unmasked and not reason:
        raise Refused.one(
            "reason", "导出未脱敏的个人信息必须说明事由（--reason）", "reason-missing"
        )
    target = Path(target)
    try:
        with transaction.atomic():
            first: list[str] = []  # the audit entry names the first 50 employers exported
            rows = _noting(joint_punishment_rows(unmasked=unmasked), first)
            if fmt == "json":
                count = _json(target, rows)
            else:
                lines = ([*(row[k] for k in _KEYS), "C", row["grade_as_of"]] for row in rows)
                if fmt == "csv":
                    count = write_csv(target, HEADER, lines)
                else:
                    count = write_xlsx(target, TITLE, HEADER, lines)
            audit_append(
                event="export",
                object_type="export",
                object_id=f"{KIND}.{fmt}",
                data={
                    "kind": KIND,
                    "format": fmt,
                    "rows": count,
                    "reason": reason or "—",
                    "bulk": True,
                    "usccs": first,
                    "personal_info": "unmasked" if unmasked else "masked",
                    "file": target.name,
                },
            )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return ExportResult(path=target, kind=KIND, rows=count)
