"""The joint-punishment list (第十七条, last paragraph) exported for the departments that apply it.

As `credit.exporting`: the legal representative masked unless the export is
allowed to show it (and then a reason is required), every spreadsheet cell
neutralised, every export audited with its row count in the same transaction.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from laborcredit.audit.services import audit_append
from laborcredit.credit.exporting import ExportResult
from laborcredit.lib.errors import Refused
from laborcredit.lib.spreadsheets import write_csv, write_xlsx
from laborcredit.measures.selectors import interviews_due_rows, joint_punishment_rows

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


def _export(
    target: Path, *, kind: str, fmt: str, rows: Iterator[dict[str, Any]],
    write: Callable[[Path, Iterator[dict[str, Any]]], int], reason: str, personal_info: str,
) -> ExportResult:  # fmt: skip
    """Write `rows` with `write` and the audit entry (its row count and first 50 codes) in one
    transaction; the file is removed when anything fails."""
    try:
        with transaction.atomic():
            first: list[str] = []  # the audit entry names the first 50 employers exported
            count = write(target, _noting(rows, first))
            audit_append(
                event="export",
                object_type="export",
                object_id=f"{kind}.{fmt}",
                data={
                    "kind": kind,
                    "format": fmt,
                    "rows": count,
                    "reason": reason or "—",
                    "bulk": True,
                    "usccs": first,
                    "personal_info": personal_info,
                    "file": target.name,
                },
            )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return ExportResult(path=target, kind=kind, rows=count)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Refused.one("format", "导出格式应为 xlsx、csv 或 json", "format-invalid")


def joint_punishment_export(
    target: str | os.PathLike[str], *, fmt: str = "xlsx", unmasked: bool = False, reason: str = ""
) -> ExportResult:
    """Write the list and its audit entry; refused (nothing written) when an unmasked export
    has no reason."""
    _check_format(fmt)
    reason = (reason or "").strip()
    if unmasked and not reason:
        raise Refused.one(
            "reason", "导出未脱敏的个人信息必须说明事由（--reason）", "reason-missing"
        )

    def write(path: Path, rows: Iterator[dict[str, Any]]) -> int:
        if fmt == "json":
            return _json(path, rows)
        lines = ([*(row[k] for k in _KEYS), "C", row["grade_as_of"]] for row in rows)
        if fmt == "csv":
            return write_csv(path, HEADER, lines)
        return write_xlsx(path, TITLE, HEADER, lines)

    return _export(
        Path(target), kind=KIND, fmt=fmt, rows=joint_punishment_rows(unmasked=unmasked),
        write=write, reason=reason, personal_info="unmasked" if unmasked else "masked",
    )  # fmt: skip


# ---------------------------------------------------------------- interviews due (第十七条(三))

INTERVIEWS_KIND = "interviews_due"
INTERVIEWS_TITLE = "待约谈单位清单"
INTERVIEWS_HEADER = ["统一社会信用代码", "单位名称", "评为C级日期", "处罚案件", "上次约谈日期",
                     "已安排约谈日期"]  # fmt: skip


def _interview_line(row: dict[str, Any]) -> dict[str, Any]:
    scheduled = row["scheduled"]
    return {
        "uscc": row["uscc"],
        "name": row["employer"].name,
        "c_since": _date(row["c_since"]),
        "cases": row["cases"],
        "last_held": _date(row["last_held"]),
        "scheduled_on": _date(scheduled.scheduled_on) if scheduled else None,
    }


def interviews_due_export(
    target: str | os.PathLike[str], *, fmt: str = "xlsx", reason: str = ""
) -> ExportResult:
    """第十七条(三): the whole list of employers to interview (the page shows it 50 at a time),
    in the page's order; no personal information in it. Audited like every export."""
    _check_format(fmt)

    def write(path: Path, rows: Iterator[dict[str, Any]]) -> int:
        lines = (_interview_line(row) for row in rows)
        if fmt == "json":
            employers = list(lines)
            document = {
                "list": INTERVIEWS_TITLE,
                "article": "第十七条（三）",
                "generated_on": timezone.localdate().isoformat(),
                "employers": employers,
            }
            path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", "utf-8")
            return len(employers)
        cells = (
            [line["uscc"], line["name"], line["c_since"], "、".join(line["cases"]),
             line["last_held"], line["scheduled_on"]]
            for line in lines
        )  # fmt: skip
        if fmt == "csv":
            return write_csv(path, INTERVIEWS_HEADER, cells)
        return write_xlsx(path, INTERVIEWS_TITLE, INTERVIEWS_HEADER, cells)

    return _export(
        Path(target), kind=INTERVIEWS_KIND, fmt=fmt, rows=interviews_due_rows(),
        write=write, reason=(reason or "").strip(), personal_info="none",
    )  # fmt: skip
