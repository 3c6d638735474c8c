"""The joint-punishment list (第十七条, last paragraph) exported for the departments that apply it.

As `credit.exporting`: the legal representative masked unless the export is
allowed to show it (and then a reason is required), every spreadsheet cell
neutralised, every export audited with its row count in the same transaction.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from laborcredit.audit.services import audit_append
from laborcredit.credit.exporting import ExportResult
from laborcredit.jobs.models import Job
from laborcredit.jobs.runner import JobFailed, Progress, job_folder, job_path, job_start
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


Counted = Callable[[int], None]
"""Told how many more employers were written (a background job's progress)."""


def _noting(
    rows: Iterator[dict[str, Any]], first: list[str], counted: Counted | None
) -> Iterator[dict[str, Any]]:
    for row in rows:
        if len(first) < 50:
            first.append(row["uscc"])
        if counted is not None:
            counted(1)
        yield row


def _export(
    target: Path, *, kind: str, fmt: str, rows: Iterator[dict[str, Any]],
    write: Callable[[Path, Iterator[dict[str, Any]]], int], reason: str, personal_info: str,
    counted: Counted | None,
) -> ExportResult:  # fmt: skip
    """Write `rows` with `write` and the audit entry (its row count and first 50 codes) in one
    transaction; the file is removed when anything fails."""
    try:
        with transaction.atomic():
            first: list[str] = []  # the audit entry names the first 50 employers exported
            count = write(target, _noting(rows, first, counted))
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


def joint_punishment_check(*, fmt: str, unmasked: bool, reason: str) -> str:
    """The reason to record, or refused: an unknown format, an unmasked export with no reason."""
    _check_format(fmt)
    reason = (reason or "").strip()
    if unmasked and not reason:
        raise Refused.one("reason", "导出未脱敏的个人信息必须说明导出事由", "reason-missing")
    return reason


def joint_punishment_export(
    target: str | os.PathLike[str], *, fmt: str = "xlsx", unmasked: bool = False, reason: str = "",
    counted: Counted | None = None,
) -> ExportResult:  # fmt: skip
    """Write the list and its audit entry; refused (nothing written) when an unmasked export
    has no reason."""
    reason = joint_punishment_check(fmt=fmt, unmasked=unmasked, reason=reason)

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
        counted=counted,
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
    target: str | os.PathLike[str], *, fmt: str = "xlsx", reason: str = "",
    counted: Counted | None = None,
) -> ExportResult:  # fmt: skip
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
        write=write, reason=(reason or "").strip(), personal_info="none", counted=counted,
    )  # fmt: skip


# ---------------------------------------------------------------- in the background

BACKGROUND_FROM = 20_000
"""A list longer than this is written by a background job and offered on the job's page: at
province scale one list takes about as long as the server's 30-second request timeout (a
million employers: 171,994 to interview, 25 s as CSV, 27 s as xlsx; docs/performance.md,
第十三轮). 20,000 takes a few seconds at most."""

KEPT_HOURS = 24
KEPT_FOR = datetime.timedelta(hours=KEPT_HOURS)
"""How long a background export's file is kept for its requester to download."""


@dataclass(frozen=True)
class ListKind:
    """A work list the web exports: its writer, names and who may read it."""

    code: str
    title: str
    ascii_name: str
    permission: str
    export: Callable[..., ExportResult]

    @property
    def job_kind(self) -> str:
        return f"export_{self.code}"


LISTS = {
    KIND: ListKind(KIND, TITLE, "joint-punishment", "measures.view_joint_punishment",
                   joint_punishment_export),
    INTERVIEWS_KIND: ListKind(INTERVIEWS_KIND, INTERVIEWS_TITLE, "interviews-due",
                              "measures.view_interview", interviews_due_export),
}  # fmt: skip


def list_export_start(kind: ListKind, *, fmt: str, total: int, actor: str, **options: Any) -> Job:
    """Start writing the whole list (about `total` employers) in a background job; the file
    and its audit entry are written together or not at all, as inline (`_export`).

    Files of earlier background exports older than `KEPT_FOR` are removed first."""
    exports_expire()

    def work(job: Job, progress: Progress) -> dict[str, Any]:
        target = job_folder(job) / _job_file_name(fmt)
        counted = progress.counter("正在写出清单", total)
        try:
            result = kind.export(target, fmt=fmt, counted=counted, **options)
        except Refused as refused:
            raise JobFailed("；".join(p.message for p in refused.problems)) from None
        return {"rows": result.rows, "file": target.name, "format": fmt}

    unmasked = bool(options.get("unmasked"))
    return job_start(
        kind=kind.job_kind,
        title=f"导出{kind.title}（{fmt.upper()}{'，不脱敏' if unmasked else ''}）",
        actor=actor,
        params={"list": kind.code, "format": fmt, "unmasked": unmasked, "total": total},
        work=work,
    )


def _job_file_name(fmt: str) -> str:
    """The file a background export writes in its job's folder."""
    return f"export.{fmt}"


def list_export_file(job: Job) -> Path | None:
    """The file a finished background export wrote, while it is kept; None otherwise."""
    name = (job.result or {}).get("file")
    if job.status != Job.Status.DONE or not name or job.finished_at is None:
        return None
    if timezone.now() - job.finished_at > KEPT_FOR:
        return None
    path = job_path(job.pk, name)
    return path if path.exists() else None


def recent_exports(kind: ListKind, actor: str) -> list[Job]:
    """The background exports of this list that `actor` started within `KEPT_FOR`, newest first."""
    return list(
        Job.objects.filter(
            kind=kind.job_kind, created_by=actor, created_at__gte=timezone.now() - KEPT_FOR
        ).order_by("-id")[:5]
    )


def exports_expire() -> int:
    """Remove the files of background exports finished more than `KEPT_FOR` ago: they may hold
    personal information (an unmasked joint-punishment list). A job still running after
    `KEPT_FOR` died with its process (a restart or a kill mid-export: nothing was audited, and
    a partly written file may be left); its file goes too, and the job is marked failed.
    Returns how many files were removed."""
    removed = 0
    kinds = [kind.job_kind for kind in LISTS.values()]
    cutoff = timezone.now() - KEPT_FOR
    finished = (
        Job.objects.filter(kind__in=kinds, status=Job.Status.DONE, finished_at__lt=cutoff)
        .exclude(result__file="")
        .values_list("pk", "result")
    )
    for pk, result in list(finished):
        removed += _remove(job_path(pk, result.get("file") or "-"))
        # The job says its file is gone, so the next sweep does not look again.
        Job.objects.filter(pk=pk).update(result={**result, "file": ""})
    dead = Job.objects.filter(kind__in=kinds, status=Job.Status.RUNNING, created_at__lt=cutoff)
    for pk, params in list(dead.values_list("pk", "params")):
        removed += _remove(job_path(pk, _job_file_name(params.get("format") or "-")))
        Job.objects.filter(pk=pk, status=Job.Status.RUNNING).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            message="导出在写出过程中中断（服务曾重启或进程被终止），没有生成文件，也没有记入审计日志；请重新导出",
        )
    return removed


def _remove(path: Path) -> int:
    if path.is_file():
        path.unlink()
        return 1
    return 0
