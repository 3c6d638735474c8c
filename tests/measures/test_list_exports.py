"""The two work lists exported in the background when they are long (第十七条 and 第十七条(三)):
at province scale one list takes longer than the server's request timeout."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from laborcredit.jobs.models import Job
from laborcredit.measures import exporting
from tests.accounts.helpers import entries, make_user
from tests.measures.helpers import blacklisted, penalised

pytestmark = pytest.mark.django_db

JOINT = "/measures/joint-punishment/"
INTERVIEWS = "/measures/interviews/"


@pytest.fixture(autouse=True)
def background(settings, tmp_path, monkeypatch):
    """Every list counts as long; the job runs inside the request (as in the other job tests)."""
    settings.DATA_DIR = tmp_path
    settings.LABORCREDIT_JOBS_INLINE = True
    monkeypatch.setattr(exporting, "BACKGROUND_FROM", 0)
    monkeypatch.setattr("laborcredit.measures.views.BACKGROUND_FROM", 0)


@pytest.fixture
def listed():
    employer = blacklisted(legal_rep_name="王建国")
    penalised(9104)
    return employer


def _rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_a_long_list_is_written_by_a_job_whose_page_offers_the_file(client, listed):
    client.force_login(make_user("jiancha", "inspector"))
    response = client.post(JOINT + "export/", {"format": "csv", "reason": "核对"})
    job = Job.objects.get(kind="export_joint_punishment")
    assert response.status_code == 302 and response["Location"] == f"{JOINT}exports/{job.pk}/"
    assert job.status == Job.Status.DONE and job.result["rows"] == 1
    page = client.get(response["Location"]).content.decode()
    assert f"{JOINT}exports/{job.pk}/file/" in page and "保留 24 小时" in page
    download = client.get(f"{JOINT}exports/{job.pk}/file/")
    assert download.status_code == 200
    assert "joint-punishment.csv" in download["Content-Disposition"]
    rows = _rows(download)
    assert rows[0] == exporting.HEADER and rows[1][:3] == [listed.uscc, listed.name, "王*国"]
    (entry,) = entries("export")  # written once, by the job, with its row count
    assert entry.actor == "jiancha" and entry.data["rows"] == 1
    assert entry.data["personal_info"] == "masked"
    # The list page names the requester's export, and only to the requester.
    assert f"{JOINT}exports/{job.pk}/" in client.get(JOINT).content.decode()
    client.force_login(make_user("xinyong", "credit_officer"))
    assert f"{JOINT}exports/{job.pk}/" not in client.get(JOINT).content.decode()


def test_only_the_requester_may_see_the_job_or_take_its_file(client, listed):
    client.force_login(make_user("xinyong", "credit_officer"))
    location = client.post(JOINT + "export/", {"format": "xlsx", "reason": "核对"})["Location"]
    client.force_login(make_user("xinyong2", "credit_officer"))
    assert client.get(location).status_code == 403
    assert client.get(location + "file/").status_code == 403


def test_an_unmasked_export_is_refused_before_any_job_without_a_reason(client, listed):
    client.force_login(make_user("xinyong", "credit_officer"))
    refused = client.post(JOINT + "export/", {"format": "csv", "unmasked": "on", "reason": ""})
    assert refused.status_code == 400 and "事由" in refused.content.decode()
    assert not Job.objects.exists() and not entries("export")
    location = client.post(
        JOINT + "export/", {"format": "csv", "unmasked": "on", "reason": "发改委联合惩戒"}
    )["Location"]
    assert _rows(client.get(location + "file/"))[1][2] == "王建国"
    (entry,) = entries("export")
    assert entry.data["personal_info"] == "unmasked" and entry.data["reason"] == "发改委联合惩戒"


def test_the_file_of_an_unmasked_export_needs_the_permission_still(client, listed):
    officer = make_user("xinyong", "credit_officer")
    client.force_login(officer)
    location = client.post(
        JOINT + "export/", {"format": "csv", "unmasked": "on", "reason": "发改委联合惩戒"}
    )["Location"]
    officer.groups.clear()
    officer.groups.add(*make_user("jiancha", "inspector").groups.all())
    client.force_login(officer)
    assert client.get(location + "file/").status_code == 403


def test_a_file_is_kept_for_a_day_then_removed(client, listed):
    client.force_login(make_user("jiancha", "inspector"))
    location = client.post(JOINT + "export/", {"format": "json", "reason": "核对"})["Location"]
    job = Job.objects.get()
    path = exporting.list_export_file(job)
    assert path is not None and path.exists()
    Job.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - exporting.KEPT_FOR - datetime.timedelta(minutes=1)
    )
    assert client.get(location + "file/").status_code == 404
    assert "已超过 24 小时的保留期限" in client.get(location).content.decode()
    assert path.exists()  # until the next sweep: starting an export removes it
    client.post(JOINT + "export/", {"format": "json", "reason": "核对"})
    assert not path.exists() and Job.objects.get(pk=job.pk).result["file"] == ""
    assert exporting.exports_expire() == 0


def test_the_daily_command_removes_the_files_past_their_keeping_time(client, listed):
    client.force_login(make_user("jiancha", "inspector"))
    client.post(JOINT + "export/", {"format": "csv", "reason": "核对"})
    client.post(JOINT + "export/", {"format": "json", "reason": "核对"})
    old, new = Job.objects.order_by("id")
    Job.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - exporting.KEPT_FOR - datetime.timedelta(minutes=1)
    )
    out = io.StringIO()
    call_command("measures", "exports-expire", stdout=out)
    assert "已删除超过保留期限的后台导出文件 1 个" in out.getvalue()
    assert exporting.list_export_file(new) is not None
    assert Job.objects.get(pk=old.pk).result["file"] == ""


def test_the_daily_command_removes_what_an_export_killed_midway_left(settings, tmp_path):
    """A process killed mid-export (no exception ran) leaves a job running and maybe part of
    its file: once `KEPT_FOR` has passed, the file goes and the job is marked failed; a job
    running for less than that keeps its file."""
    settings.DATA_DIR = tmp_path
    kind = exporting.LISTS["joint_punishment"].job_kind
    dead, live = (
        Job.objects.create(
            kind=kind,
            title="导出",
            params={"format": "csv", "reason": "核对"},
            created_by="jiancha",
        )
        for _ in range(2)
    )
    Job.objects.filter(pk=dead.pk).update(
        created_at=timezone.now() - exporting.KEPT_FOR - datetime.timedelta(minutes=1)
    )
    for job in (dead, live):
        folder = tmp_path / "jobs" / str(job.pk)
        folder.mkdir(parents=True)
        (folder / "export.csv").write_text("统一社会信用代码,单位名称\n9141", encoding="utf-8")
    assert exporting.exports_expire() == 1
    assert not (tmp_path / "jobs" / str(dead.pk) / "export.csv").exists()
    assert (tmp_path / "jobs" / str(live.pk) / "export.csv").exists()
    dead.refresh_from_db()
    assert dead.status == Job.Status.FAILED and "中断" in dead.message and dead.finished_at
    assert Job.objects.get(pk=live.pk).status == Job.Status.RUNNING
    assert exporting.exports_expire() == 0


def test_a_job_that_fails_leaves_no_file_and_no_audit_entry(client, listed, monkeypatch, tmp_path):
    def broken(**_):  # type: ignore[no-untyped-def]
        yield from ()
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr(exporting, "joint_punishment_rows", broken)
    client.force_login(make_user("jiancha", "inspector"))
    location = client.post(JOINT + "export/", {"format": "csv", "reason": "核对"})["Location"]
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and "内部错误" in job.message
    assert not list((tmp_path / "jobs" / str(job.pk)).glob("export.*"))
    assert not entries("export")
    page = client.get(location).content.decode()
    assert "内部错误" in page and "/file/" not in page


def test_the_interview_list_goes_the_same_way(client):
    employer = penalised(9105)
    client.force_login(make_user("xinyong", "credit_officer"))
    location = client.post(INTERVIEWS + "export/", {"format": "csv", "reason": "核对"})["Location"]
    rows = _rows(client.get(location + "file/"))
    assert rows[0] == exporting.INTERVIEWS_HEADER and rows[1][0] == employer.uscc
    (entry,) = entries("export")
    assert entry.data["kind"] == "interviews_due" and entry.data["personal_info"] == "none"
    job = Job.objects.get()
    assert location == f"{INTERVIEWS}exports/{job.pk}/"
    assert location in client.get(INTERVIEWS).content.decode()
    # The job belongs to its list: under the other list's address it is not found.
    assert client.get(f"{JOINT}exports/{job.pk}/").status_code == 404


def test_a_short_list_is_still_sent_at_once(client, listed, monkeypatch):
    monkeypatch.setattr("laborcredit.measures.views.BACKGROUND_FROM", 1)
    client.force_login(make_user("jiancha", "inspector"))
    response = client.post(JOINT + "export/", {"format": "csv", "reason": "核对"})
    assert response.status_code == 200 and not Job.objects.exists()


@pytest.mark.parametrize("path", [JOINT, INTERVIEWS])
def test_every_list_export_needs_a_reason_and_records_it(client, listed, path):
    client.force_login(make_user("xinyong", "credit_officer"))
    refused = client.post(path + "export/", {"format": "csv"})
    assert refused.status_code == 400 and "导出事由" in refused.content.decode()
    assert not Job.objects.exists() and not entries("export")
