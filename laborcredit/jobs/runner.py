"""Run a long operation off the request, and let any page or process see how far it got.

A page starts a job and answers at once; the work runs in a thread of the same
process. The outcome goes to the `Job` row when the work's own transaction has
ended. Progress goes to a small file beside it (`<data>/jobs/<id>/progress.json`)
rather than to the database: the work holds one transaction for all or nothing,
and on SQLite a second writer would wait for it. Any worker process can read
the file, and its age tells a live job from one whose process died (a restart
mid-import): such a job shows as interrupted, and its transaction was rolled
back by the database, so nothing of it was written.

`LABORCREDIT_JOBS_INLINE` (tests) runs the work in the request itself.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from laborcredit.audit.context import acting_as, current_context
from laborcredit.jobs.models import Job
from laborcredit.lib.locks import waiting_unbounded

log = logging.getLogger(__name__)

# A running job whose progress file is older than this is taken for dead.
STALE_AFTER_SECONDS = 120
_WRITE_EVERY_SECONDS = 0.3


class JobFailed(Exception):
    """The work refused its input: a message, row problems and, if written, a report file."""

    def __init__(
        self,
        message: str,
        problems: list[dict[str, Any]] | None = None,
        report: Path | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []
        self.report = report


def job_path(job_id: int, name: str) -> Path:
    """A file of job `job_id` (its folder is not made)."""
    return Path(settings.DATA_DIR) / "jobs" / str(job_id) / name


def job_folder(job: Job) -> Path:
    folder = Path(settings.DATA_DIR) / "jobs" / str(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Progress:
    """What the work says of itself: a stage in Chinese and how many of how many are done."""

    def __init__(self, job: Job) -> None:
        self.path = job_folder(job) / "progress.json"
        self._written = 0.0
        self.update("排队等待", 0, None, force=True)

    def update(self, stage: str, done: int, total: int | None, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written < _WRITE_EVERY_SECONDS:
            return
        self._written = now
        partial = self.path.with_suffix(".tmp")
        partial.write_text(
            json.dumps({"stage": stage, "done": done, "total": total}, ensure_ascii=False),
            encoding="utf-8",
        )
        os.replace(partial, self.path)

    def counter(self, stage: str, total: int | None) -> Callable[[int], None]:
        """A callback for a service that tells how many more it has done (a chunk's size)."""
        done = 0
        self.update(stage, 0, total, force=True)

        def advance(count: int) -> None:
            nonlocal done
            done += count
            self.update(stage, done, total)

        return advance


@dataclass(frozen=True)
class JobState:
    """What a page shows of a job."""

    job: Job
    stage: str
    done: int
    total: int | None
    interrupted: bool

    @property
    def finished(self) -> bool:
        return self.job.status != Job.Status.RUNNING or self.interrupted

    @property
    def percent(self) -> int | None:
        if self.job.status == Job.Status.DONE:
            return 100
        if not self.total:
            return None
        return min(99, int(self.done * 100 / self.total))


def job_state(job: Job) -> JobState:
    path = job_path(job.pk, "progress.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        age = time.time() - path.stat().st_mtime
    except (OSError, ValueError):
        data, age = {}, float("inf")
    interrupted = job.status == Job.Status.RUNNING and age > STALE_AFTER_SECONDS
    return JobState(
        job=job,
        stage=data.get("stage", ""),
        done=int(data.get("done") or 0),
        total=data.get("total"),
        interrupted=interrupted,
    )


Work = Callable[[Job, Progress], dict[str, Any]]


def job_start(*, kind: str, title: str, actor: str, params: dict[str, Any], work: Work) -> Job:
    """Record the job and start `work(job, progress)`; returns at once (unless inline).

    `work` returns the result to keep, or raises `JobFailed`.
    """
    job = Job.objects.create(kind=kind, title=title, params=params, created_by=actor)
    progress = Progress(job)
    context = current_context()

    def run() -> None:
        with acting_as(
            actor=context.actor,
            role=context.role,
            address=context.address,
            request_id=context.request_id,
        ):
            _run(job, progress, work)

    if settings.LABORCREDIT_JOBS_INLINE:
        run()
    else:
        transaction.on_commit(lambda: _thread(run, job))
    return job


def _thread(run: Callable[[], None], job: Job) -> None:
    def target() -> None:
        close_old_connections()
        try:
            # A job waits for the locks it needs however long another holds them; the
            # requests of the process it runs in do not (laborcredit.lib.locks).
            with waiting_unbounded():
                run()
        finally:
            connections.close_all()

    # Not a daemon: a worker that is told to stop lets the job finish first.
    threading.Thread(target=target, name=f"job-{job.pk}", daemon=False).start()


def _run(job: Job, progress: Progress, work: Work) -> None:
    try:
        result = work(job, progress)
    except JobFailed as failed:
        _finish(
            job,
            Job.Status.FAILED,
            message=failed.message,
            problems=failed.problems,
            report_name=_keep_report(job, failed.report),
        )
    except Exception:
        log.exception("后台任务 %s 出错", job.pk)
        _finish(
            job,
            Job.Status.FAILED,
            message=f"任务执行时发生内部错误，未写入任何数据（任务编号 {job.pk}），请联系系统管理员查看日志",
        )
    else:
        _finish(job, Job.Status.DONE, result=result)
    progress.update("结束", 0, None, force=True)


def _keep_report(job: Job, report: Path | None) -> str:
    if report is None or not report.exists():
        return ""
    target = job_folder(job) / f"report{report.suffix}"
    if report.resolve() != target.resolve():
        os.replace(report, target)
    return target.name


def _finish(job: Job, status: str, **fields: Any) -> None:
    Job.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), **fields)


def job_report_path(job: Job) -> Path | None:
    if not job.report_name:
        return None
    path = job_path(job.pk, job.report_name)
    return path if path.exists() else None
