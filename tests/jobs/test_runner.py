"""Jobs: the work runs off the request, its outcome is kept, a dead job shows as interrupted."""

from __future__ import annotations

import os
import time

import pytest

from laborcredit.jobs.models import Job
from laborcredit.jobs.runner import (
    STALE_AFTER_SECONDS,
    JobFailed,
    job_report_path,
    job_start,
    job_state,
)

pytestmark = pytest.mark.django_db


def test_a_finished_job_keeps_its_result_and_shows_as_done():
    def work(job, progress):
        progress.update("计算", 5, 10, force=True)
        return {"count": 10}

    job = job_start(kind="demo", title="测试", actor="officer", params={"a": 1}, work=work)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result == {"count": 10}
    state = job_state(job)
    assert state.finished and state.percent == 100 and not state.interrupted


def test_a_refused_job_keeps_its_message_problems_and_report(tmp_path):
    report = tmp_path / "incoming.错误报告.xlsx"

    def work(job, progress):
        report.write_bytes(b"report")
        raise JobFailed("文件有 1 处错误", [{"row": 2, "message": "日期无效"}], report)

    job = job_start(kind="demo", title="测试", actor="officer", params={}, work=work)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "文件有 1 处错误"
    assert job.problems == [{"row": 2, "message": "日期无效"}]
    path = job_report_path(job)
    assert path is not None and path.read_bytes() == b"report"
    assert path.parent.name == str(job.pk)


def test_an_unexpected_error_is_a_chinese_message_not_a_traceback():
    def work(job, progress):
        raise ZeroDivisionError("boom")

    job = job_start(kind="demo", title="测试", actor="officer", params={}, work=work)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "内部错误" in job.message and "boom" not in job.message


def test_a_running_job_whose_progress_went_stale_shows_as_interrupted(data_dir):
    job = Job.objects.create(kind="demo", title="测试", created_by="officer")
    folder = data_dir / "jobs" / str(job.pk)
    folder.mkdir(parents=True)
    progress = folder / "progress.json"
    progress.write_text('{"stage": "写入", "done": 3, "total": 9}', encoding="utf-8")
    state = job_state(job)
    assert not state.interrupted and state.percent == 33 and state.stage == "写入"
    old = time.time() - STALE_AFTER_SECONDS - 5
    os.utime(progress, (old, old))
    assert job_state(job).interrupted


def test_the_work_writes_audit_entries_as_the_person_who_started_it():
    from laborcredit.audit.context import acting_as
    from laborcredit.audit.models import AuditEntry
    from laborcredit.audit.services import audit_append

    def work(job, progress):
        audit_append(event="evaluation_run_create", object_type="evaluation_run",
                     object_id="1", data={})  # fmt: skip
        return {}

    with acting_as(actor="officer", role="信用管理员", address="10.0.0.1"):
        job_start(kind="demo", title="测试", actor="officer", params={}, work=work)
    entry = AuditEntry.objects.latest("seq")
    assert (entry.actor, entry.address) == ("officer", "10.0.0.1")


def test_a_counter_adds_up_what_a_service_reports_by_chunk(data_dir):
    job = Job.objects.create(kind="demo", title="测试", created_by="officer")
    from laborcredit.jobs.runner import Progress

    progress = Progress(job)
    advance = progress.counter("评价用人单位", 10)
    advance(4)
    progress._written = 0.0  # let the next write through at once
    advance(3)
    state = job_state(job)
    assert (state.stage, state.done, state.total) == ("评价用人单位", 7, 10)
