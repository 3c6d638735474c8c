"""批量导入 (issue 4): upload a file of employers or records, watch it run, read the outcome.

The upload is checked before anything starts (a kind the user may import, a
file, .xlsx or .csv, under the size cap, a spreadsheet by its content), saved
under the data folder and imported by a background job (`laborcredit.jobs`)
through `import_file`, all or nothing. The uploaded file is deleted when the job
ends; of a refused file only the error report is kept, in the job's folder.

A form carries a one-time token: posting it twice (a double click, the browser
resubmitting) shows the first import instead of starting a second one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import DatabaseError, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from laborcredit.audit.services import audit_append
from laborcredit.credit.importing import COLUMNS, ImportRefused, import_file, write_template
from laborcredit.jobs.models import Job
from laborcredit.jobs.runner import JobFailed, job_folder, job_report_path, job_start, job_state
from laborcredit.lib.spreadsheets import Limits, SpreadsheetError, sniff_kind

VIEW_PERMISSION = "credit.view_employer"
EXTENSIONS = (".xlsx", ".csv")
PROBLEMS_KEPT = 1000  # stored with the job; the report holds every one
PROBLEMS_SHOWN = 200  # on the page
RECENT_JOBS = 20
# Room for the form's other fields and the multipart boundaries: a request longer than
# the cap plus this is refused before its body is read.
_FORM_OVERHEAD = 64 * 1024
_STALE_UPLOAD_SECONDS = 24 * 3600
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
_CONTENT_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
}


@dataclass(frozen=True)
class ImportKind:
    code: str  # "employers" or "records", as `import_file` names them
    label: str
    permission: str

    @property
    def job_kind(self) -> str:
        return f"import_{self.code}"


IMPORT_KINDS = {
    k.code: k
    for k in (
        ImportKind("employers", "用人单位基础信息", "credit.add_employer"),
        ImportKind("records", "信用记录", "credit.add_creditrecord"),
    )
}
_BY_JOB_KIND = {k.job_kind: k for k in IMPORT_KINDS.values()}
_TEMPLATE_NAMES = {"employers": "用人单位导入模板", "records": "信用记录导入模板"}


class UploadRefused(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# ---------------------------------------------------------------- the upload


class _CappedUpload(FileUploadHandler):
    """Counts a file's bytes as they arrive; past the cap the rest is skipped, never stored."""

    def __init__(self, request: HttpRequest, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0
        self.too_large = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n} 字节"


def _allowed_kinds(user: Any) -> list[ImportKind]:
    return [k for k in IMPORT_KINDS.values() if user.has_perm(k.permission)]


def _incoming() -> Path:
    folder = Path(settings.DATA_DIR) / "jobs" / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _prune(folder: Path) -> None:
    """Uploads and form tokens left by a process that died mid-import."""
    limit = time.time() - _STALE_UPLOAD_SECONDS
    for entry in folder.iterdir():
        if entry.name == "claims":
            continue
        try:
            if entry.stat().st_mtime < limit:
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink()
        except OSError:
            pass


def _safe_name(name: str, extension: str) -> str:
    stem = Path(name.replace("\\", "/")).name
    if stem.lower().endswith(extension):
        stem = stem[: -len(extension)]
    stem = re.sub(r'[\x00-\x1f\x7f<>:"/\\|?*]', "_", stem).strip(" .")
    return (stem[:80] or "导入文件") + extension


def _checked_upload(request: HttpRequest, handler: _CappedUpload, limits: Limits) -> Any:
    """The uploaded file, or `UploadRefused` naming what is wrong with it."""
    if handler.too_large:
        raise UploadRefused(
            f"文件超过大小上限 {_size(limits.max_bytes)}，请拆分后分批导入", "file-too-large"
        )
    upload = request.FILES.get("file")
    if upload is None:
        raise UploadRefused("请选择要上传的文件", "file-missing")
    extension = Path(upload.name or "").suffix.lower()
    if extension not in EXTENSIONS:
        raise UploadRefused(
            f"只能导入 Excel（.xlsx）或 CSV（.csv）文件，收到的是“{upload.name}”；"
            "旧版 .xls 文件请在 Excel 中另存为 .xlsx",
            "file-extension",
        )
    if upload.size == 0:
        raise UploadRefused("上传的文件是空的", "file-empty")
    if upload.size > limits.max_bytes:
        raise UploadRefused(
            f"文件大小 {_size(upload.size)} 超过上限 {_size(limits.max_bytes)}，请拆分后分批导入",
            "file-too-large",
        )
    upload.seek(0)
    head = upload.read(65536)
    upload.seek(0)
    try:
        sniff_kind(head)
    except SpreadsheetError as error:
        raise UploadRefused(error.message, error.code) from None
    return upload


def _save(upload: Any, extension: str) -> tuple[Path, str]:
    """The upload in a folder of its own (under its own name, which the audit entry cites)."""
    folder = _incoming() / uuid.uuid4().hex
    folder.mkdir()
    path = folder / _safe_name(upload.name, extension)
    digest = hashlib.sha256()
    with open(path, "wb") as handle:
        for chunk in upload.chunks():
            digest.update(chunk)
            handle.write(chunk)
    return path, digest.hexdigest()


# ---------------------------------------------------------------- one submission only


def _claim(token: str) -> Path | None:
    """Claim a form's token across every worker process; None if it was claimed before."""
    claims = _incoming() / "claims"
    claims.mkdir(exist_ok=True)
    _prune(claims)
    path = claims / token
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return None
    return path


def _claimed_job(token: str) -> Job | None:
    try:
        text = (_incoming() / "claims" / token).read_text(encoding="ascii").strip()
    except OSError:
        return None
    return Job.objects.filter(pk=int(text)).first() if text.isdigit() else None


def _running_same_file(kind: ImportKind, digest: str) -> Job | None:
    for job in Job.objects.filter(
        kind=kind.job_kind, status=Job.Status.RUNNING, params__sha256=digest
    ):
        if not job_state(job).interrupted:
            return job
    return None


# ---------------------------------------------------------------- the job's work


def _problem_dicts(refused: ImportRefused) -> list[dict[str, Any]]:
    return [
        {"row": p.row, "column": p.column, "message": p.message, "code": p.code}
        for p in refused.problems[:PROBLEMS_KEPT]
    ]


def _refusal_message(refused: ImportRefused) -> str:
    count = len(refused.problems)
    if refused.report is not None:
        return (
            f"导入失败，文件中有 {count} 个问题，未导入任何数据。"
            "请下载错误报告，按“错误”列改正后重新上传整个文件。"
        )
    if count == 1:
        return f"导入失败，未导入任何数据：{refused.problems[0].message}"
    return f"导入失败，文件中有 {count} 个问题，未导入任何数据。"


def _import_work(kind: ImportKind, path: Path, actor: str) -> Any:
    def work(job: Job, progress: Any) -> dict[str, Any]:
        read = 0
        last = [""]

        def step(stage: str, rows: int) -> None:
            nonlocal read
            changed = stage != last[0]
            last[0] = stage
            if stage == "读取":
                read += rows
                progress.update("读取文件", read, None, force=changed)
            else:
                progress.update(f"校验并写入（共 {read} 行）", 0, None, force=True)

        try:
            result = import_file(path, kind.code, actor=actor, progress=step)
        except ImportRefused as refused:
            report = None
            if refused.report is not None and refused.report.exists():
                # Out of the upload's folder, which goes below, into the job's.
                report = job_folder(job) / f"report{refused.report.suffix}"
                os.replace(refused.report, report)
            # The runner keeps the first problems only; the page still says how many there were.
            Job.objects.filter(pk=job.pk).update(result={"problems_total": len(refused.problems)})
            raise JobFailed(_refusal_message(refused), _problem_dicts(refused), report) from None
        except DatabaseError:
            raise JobFailed(
                "导入未完成：数据库连接中断或出错。本次导入已整体回滚，未导入任何数据，可重新上传。"
            ) from None
        finally:
            shutil.rmtree(path.parent, ignore_errors=True)
        return {**dataclasses.asdict(result.summary), "rows": result.rows}

    return work


# ---------------------------------------------------------------- pages


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _recent_jobs(kinds: list[ImportKind]) -> list[dict[str, Any]]:
    jobs = Job.objects.filter(kind__in=[k.job_kind for k in kinds])[:RECENT_JOBS]
    return [
        {
            "job": job,
            "label": _BY_JOB_KIND[job.kind].label,
            "interrupted": job.status == Job.Status.RUNNING and job_state(job).interrupted,
            "problem_count": job.result.get("problems_total") or len(job.problems),
        }
        for job in jobs
    ]


def _index_page(
    request: HttpRequest,
    kinds: list[ImportKind],
    *,
    chosen: str = "",
    error: UploadRefused | None = None,
    status: int = 200,
) -> HttpResponse:
    limits = Limits.from_settings()
    context = {
        "kinds": kinds,
        "chosen": chosen or (kinds[0].code if len(kinds) == 1 else ""),
        "error": error,
        "token": uuid.uuid4().hex,
        "max_size": _size(limits.max_bytes),
        "max_rows": limits.max_rows,
        "columns": [(k, COLUMNS[k.code]) for k in IMPORT_KINDS.values()],
        "jobs": _recent_jobs(kinds),
        "can_download_templates": request.user.has_perm(VIEW_PERMISSION),
    }
    return render(request, "web/imports/index.html", context, status=status)


@csrf_exempt  # checked below, once the upload's size cap is in place (Django's documented way)
@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
def import_index(request: HttpRequest) -> HttpResponse:
    """批量导入: the form, the templates, the columns and the recent imports; POST starts one."""
    kinds = _allowed_kinds(request.user)
    if not kinds:
        raise PermissionDenied
    if request.method != "POST":
        return _index_page(request, kinds)
    limits = Limits.from_settings()
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limits.max_bytes + _FORM_OVERHEAD:
        return _index_page(
            request,
            kinds,
            error=UploadRefused(
                f"文件超过大小上限 {_size(limits.max_bytes)}，请拆分后分批导入", "file-too-large"
            ),
            status=400,
        )
    handler = _CappedUpload(request, limits.max_bytes)
    request.upload_handlers.insert(0, handler)
    return _import_upload(request, kinds, handler, limits)


@csrf_protect
def _import_upload(
    request: HttpRequest, kinds: list[ImportKind], handler: _CappedUpload, limits: Limits
) -> HttpResponse:
    kind = IMPORT_KINDS.get(request.POST.get("kind", ""))
    if kind is not None and kind not in kinds:
        raise PermissionDenied
    token = request.POST.get("token", "")
    try:
        if kind is None:
            raise UploadRefused("请选择导入内容：用人单位基础信息或信用记录", "kind-missing")
        upload = _checked_upload(request, handler, limits)
        if not _TOKEN_RE.match(token):
            raise UploadRefused("表单已失效，请重新选择文件后上传", "form-stale")
    except UploadRefused as refused:
        chosen = kind.code if kind else ""
        return _index_page(request, kinds, chosen=chosen, error=refused, status=400)

    claim = _claim(token)
    if claim is None:
        earlier = _claimed_job(token)
        if earlier is not None:
            messages.info(request, "该表单已经提交过，没有重复导入；以下是第一次提交的导入任务。")
            return _see_other(reverse("imports:detail", args=[earlier.pk]))
        messages.info(request, "该表单已经提交过，正在处理，没有重复导入；请在下方列表中查看。")
        return _see_other(reverse("imports:index"))
    _prune(_incoming())
    try:
        path, digest = _save(upload, Path(upload.name).suffix.lower())
    except OSError:
        claim.unlink(missing_ok=True)
        return _index_page(
            request,
            kinds,
            chosen=kind.code,
            error=UploadRefused(
                "服务器无法保存上传的文件，请稍后重试或联系系统管理员", "save-failed"
            ),
            status=503,
        )
    running = _running_same_file(kind, digest)
    if running is not None:
        shutil.rmtree(path.parent, ignore_errors=True)
        claim.write_text(str(running.pk), encoding="ascii")
        messages.info(request, "同一文件的导入正在进行中，没有重复导入；以下是进行中的任务。")
        return _see_other(reverse("imports:detail", args=[running.pk]))

    actor = request.user.get_username()
    job = job_start(
        kind=kind.job_kind,
        title=f"导入{kind.label}：{upload.name}",
        actor=actor,
        params={
            "kind": kind.code,
            "file_name": upload.name,
            "size": upload.size,
            "sha256": digest,
        },
        work=_import_work(kind, path, actor),
    )
    claim.write_text(str(job.pk), encoding="ascii")
    return _see_other(reverse("imports:detail", args=[job.pk]))


def _import_job(request: HttpRequest, job_id: int) -> tuple[Job, ImportKind]:
    job = get_object_or_404(Job, pk=job_id, kind__in=list(_BY_JOB_KIND))
    kind = _BY_JOB_KIND[job.kind]
    if not request.user.has_perm(kind.permission):
        raise PermissionDenied
    return job, kind


@require_GET
@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """One import: its progress while it runs, then its counts or its refusal."""
    job, kind = _import_job(request, job_id)
    state = job_state(job)
    total = job.result.get("problems_total") or len(job.problems)
    context = {
        "job": job,
        "kind": kind,
        "state": state,
        "problems": job.problems[:PROBLEMS_SHOWN],
        "problems_total": total,
        "problems_more": total > PROBLEMS_SHOWN,
        "problems_shown": PROBLEMS_SHOWN,
        "has_report": job_report_path(job) is not None,
    }
    return render(request, "web/imports/detail.html", context)


@require_GET
@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
def import_report(request: HttpRequest, job_id: int) -> HttpResponse:
    """The error report of a refused import: the uploaded rows, each problem beside its cell."""
    job, kind = _import_job(request, job_id)
    path = job_report_path(job)
    if path is None:
        raise Http404("该导入任务没有错误报告")
    suffix = path.suffix.lower()
    stem = Path(str(job.params.get("file_name") or "导入文件")).stem
    with transaction.atomic():
        # The report repeats the uploaded rows, personal information included: its reading is logged.
        audit_append(
            event="export",
            object_type="import",
            object_id=job.pk,
            data={"reason": f"下载第 {job.pk} 号导入任务的错误报告", "kind": kind.code},
        )
    response = FileResponse(path.open("rb"), content_type=_CONTENT_TYPES.get(suffix, "text/csv"))
    response["Content-Disposition"] = _attachment(f"{stem}-错误报告{suffix}", f"report{suffix}")
    return response


def _attachment(filename: str, fallback: str) -> str:
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


@require_GET
@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """A blank import file with one example row (and, in .xlsx, a 说明 sheet and dropdowns)."""
    if kind not in IMPORT_KINDS or fmt not in ("xlsx", "csv"):
        raise Http404("没有这种导入模板")
    with tempfile.TemporaryDirectory() as folder:
        target = write_template(kind, Path(folder) / f"template.{fmt}", fmt)
        content = target.read_bytes()
    response = HttpResponse(content, content_type=_CONTENT_TYPES[f".{fmt}"])
    response["Content-Disposition"] = _attachment(
        f"{_TEMPLATE_NAMES[kind]}.{fmt}", f"{kind}-template.{fmt}"
    )
    return response
