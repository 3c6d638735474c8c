"""/imports/: upload a file, watch the job, read the counts or the problems and the error report."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
import uuid
from urllib.parse import unquote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from laborcredit.accounts.roles import ROLES
from laborcredit.audit.models import AuditEntry
from laborcredit.credit.models import CreditRecord, Employer
from laborcredit.jobs.models import Job
from tests.credit.test_import import EMPLOYER_HEADER, RECORD_HEADER, employer_row, record_row
from tests.factories import EmployerFactory, make_uscc
from tests.web.helpers import assert_no_outside_assets, log_in, user_with

INDEX = "/imports/"
OFFICER_PERMS = ("credit.view_employer", "credit.add_employer", "credit.add_creditrecord")


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.LABORCREDIT_JOBS_INLINE = True
    return settings.DATA_DIR


# No module-wide django_db mark: the threaded test below needs `transactional_db` alone, so that
# the append-only triggers are lifted before its flush (tests/conftest.py).
@pytest.fixture
def officer(db, client):
    log_in(client, user_with(*OFFICER_PERMS))
    return client


@pytest.fixture
def inspector(db):
    client = Client()
    user = user_with("credit.view_employer", "credit.view_creditrecord", username="inspector")
    return log_in(client, user)


def xlsx_bytes(header, rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def upload(client, kind, name, content, token=None):
    data = {"kind": kind, "token": token or uuid.uuid4().hex}
    if name is not None:
        data["file"] = SimpleUploadedFile(name, content)
    return client.post(INDEX, data)


def only_job() -> Job:
    (job,) = Job.objects.all()
    return job


def uploads_left(data_dir) -> list[str]:
    incoming = data_dir / "jobs" / "incoming"
    if not incoming.exists():
        return []
    return [p.name for p in incoming.iterdir() if p.name != "claims"]


# ---------------------------------------------------------------- the page


def test_the_page_offers_both_kinds_the_templates_the_columns_and_the_rule(officer):
    page = officer.get(INDEX).content.decode()
    assert 'value="employers"' in page and 'value="records"' in page
    for kind in ("employers", "records"):
        for fmt in ("xlsx", "csv"):
            assert reverse("imports:template", args=[kind, fmt]) in page
    assert "法定代表人身份证号码" in page and "评估是否通过" in page
    assert "全部不导入" in page
    assert 'enctype="multipart/form-data"' in page and 'accept=".xlsx,.csv' in page
    assert_no_outside_assets(page)


def test_a_user_who_may_import_only_records_is_offered_only_records(db, client):
    log_in(client, user_with("credit.view_employer", "credit.add_creditrecord"))
    page = client.get(INDEX).content.decode()
    assert 'value="records"' in page and 'value="employers"' not in page


# ---------------------------------------------------------------- good files


def test_a_good_employer_file_imports_and_the_result_page_shows_the_counts(officer, data_dir):
    content = xlsx_bytes(EMPLOYER_HEADER, [employer_row(9001), employer_row(9002)])
    response = upload(officer, "employers", "单位名单.xlsx", content)
    job = only_job()
    assert response.status_code == 303
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    assert job.status == Job.Status.DONE and job.kind == "import_employers"
    assert job.result["employers_created"] == 2 and job.result["rows"] == 2
    assert Employer.objects.filter(uscc__in=[make_uscc(9001), make_uscc(9002)]).count() == 2
    page = officer.get(response["Location"]).content.decode()
    assert "新增单位</th><td>2 家" in page and "数据行数</th><td>2 行" in page
    assert 'http-equiv="refresh"' not in page
    assert uploads_left(data_dir) == []
    # The audit entry of the import names the file as the user called it.
    assert AuditEntry.objects.filter(event="import_run", object_id="单位名单.xlsx").exists()


def test_a_good_record_csv_adds_the_records(officer):
    EmployerFactory(uscc=make_uscc(9011))
    content = csv_bytes(
        RECORD_HEADER,
        [
            record_row(9011, "违反人社法律法规行为被查处", 案件编号="K1"),
            record_row(9011, "行政处罚", 案件编号="K1", 文书号="舞人社罚〔2026〕1号"),
        ],
    )
    response = upload(officer, "records", "记录.csv", content)
    job = only_job()
    assert job.status == Job.Status.DONE
    assert job.result["records_created"] == 2
    assert CreditRecord.objects.filter(employer__uscc=make_uscc(9011)).count() == 2
    page = officer.get(response["Location"]).content.decode()
    assert "新增信用记录</th><td>2 条" in page


def test_the_list_of_recent_imports_shows_the_job_its_status_and_who_ran_it(officer):
    upload(officer, "employers", "名单.xlsx", xlsx_bytes(EMPLOYER_HEADER, [employer_row(9021)]))
    job = only_job()
    page = officer.get(INDEX).content.decode()
    assert reverse("imports:detail", args=[job.pk]) in page
    assert "名单.xlsx" in page and "已完成" in page and "officer" in page
    assert "新增单位 1 家" in page


# ---------------------------------------------------------------- refused files


def test_a_file_with_errors_imports_nothing_and_lists_its_problems(officer, data_dir):
    rows = [employer_row(9031), employer_row(9032, 统一社会信用代码="91410481MA0000000X")]
    response = upload(officer, "employers", "有错.xlsx", xlsx_bytes(EMPLOYER_HEADER, rows))
    job = only_job()
    assert job.status == Job.Status.FAILED
    assert not Employer.objects.filter(uscc=make_uscc(9031)).exists()
    assert job.problems and job.problems[0]["row"] == 3
    assert set(job.problems[0]) == {"row", "column", "message", "code"}
    page = officer.get(response["Location"]).content.decode()
    assert '<th scope="col">行号</th>' in page and "第 3 行" in page
    assert "统一社会信用代码" in page
    assert reverse("imports:report", args=[job.pk]) in page
    assert uploads_left(data_dir) == []


def test_the_error_report_downloads_as_the_users_sheet_with_the_problems(officer):
    rows = [employer_row(9041), employer_row(9042, 职工人数="很多")]
    upload(officer, "employers", "有错.xlsx", xlsx_bytes(EMPLOYER_HEADER, rows))
    job = only_job()
    response = officer.get(reverse("imports:report", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert "filename*=UTF-8''" in disposition
    assert unquote(disposition.split("UTF-8''")[1]) == "有错-错误报告.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    assert header[-1] == "错误"
    assert "应为非负整数" in (sheet.cell(row=3, column=len(header)).value or "")
    assert sheet.cell(row=2, column=len(header)).value is None
    # Its reading is logged, as any other way personal data leaves the system.
    entry = AuditEntry.objects.filter(event="export", object_type="import").latest("seq")
    assert entry.object_id == str(job.pk) and entry.actor == "officer"


def test_a_refused_csv_gives_a_csv_report(officer):
    rows = [record_row(9051, "没有这种类型")]
    upload(officer, "records", "记录.csv", csv_bytes(RECORD_HEADER, rows))
    job = only_job()
    response = officer.get(reverse("imports:report", args=[job.pk]))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == "行号,列,问题" and "没有这种类型" in text


def test_a_file_with_wrong_headers_says_so_without_a_report(officer):
    upload(officer, "employers", "错表头.xlsx", xlsx_bytes(["名称"], [["某公司"]]))
    job = only_job()
    assert job.status == Job.Status.FAILED
    page = officer.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert 'data-code="header-missing"' in page
    assert reverse("imports:report", args=[job.pk]) not in page
    assert officer.get(reverse("imports:report", args=[job.pk])).status_code == 404


def test_one_upload_lists_every_bad_row_so_that_one_fixed_file_imports(officer):
    """改正后重新上传整个文件即可: a bad cell, a case without its violation and a future date, all
    in the first answer; the file with all three put right imports."""
    EmployerFactory(uscc=make_uscc(9061))
    bad = [
        record_row(9061, "劳动用工情况评估", 评估是否通过="也许"),
        record_row(9061, "违法行为已纠正", 案件编号="舞人社监〔2026〕404号"),
        record_row(9061, "劳动人事争议仲裁败诉", 案件编号="仲1", 日期="2030-01-01"),
    ]
    upload(officer, "records", "记录.xlsx", xlsx_bytes(RECORD_HEADER, bad))
    job = only_job()
    assert job.status == Job.Status.FAILED
    assert [(p["row"], p["code"]) for p in job.problems] == [
        (2, "cell-invalid"),
        (3, "case-unknown"),
        (4, "date-in-future"),
    ]
    assert not CreditRecord.objects.filter(employer__uscc=make_uscc(9061)).exists()
    fixed = [
        record_row(9061, "劳动用工情况评估", 评估是否通过="是"),
        record_row(9061, "违反人社法律法规行为被查处", 案件编号="舞人社监〔2026〕404号"),
        record_row(9061, "违法行为已纠正", 案件编号="舞人社监〔2026〕404号"),
        record_row(9061, "劳动人事争议仲裁败诉", 案件编号="仲1"),
    ]
    upload(officer, "records", "记录.xlsx", xlsx_bytes(RECORD_HEADER, fixed))
    assert Job.objects.latest("pk").status == Job.Status.DONE
    assert CreditRecord.objects.filter(employer__uscc=make_uscc(9061)).count() == 4


def test_only_the_first_problems_are_kept_and_the_page_says_how_many_there_were(officer):
    rows = [employer_row(9100 + n, 职工人数="很多") for n in range(1005)]
    upload(officer, "employers", "大.xlsx", xlsx_bytes(EMPLOYER_HEADER, rows))
    job = only_job()
    assert len(job.problems) == 1000 and job.result["problems_total"] == 1005
    page = officer.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "共 1005 个问题，以下列出前 200 个" in page
    assert page.count("<tr data-code=") == 200


# ---------------------------------------------------------------- refused uploads


@pytest.mark.parametrize(
    ("kind", "name", "content", "code"),
    [
        ("employers", "名单.xls", b"PK\x03\x04whatever", "file-extension"),
        ("employers", "名单.txt", b"a,b\n1,2\n", "file-extension"),
        ("employers", "名单.xlsx", b"", "file-empty"),
        ("employers", None, b"", "file-missing"),
        ("employers", "图片.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not-a-spreadsheet"),
        ("", "名单.csv", b"a,b\n", "kind-missing"),
    ],
)
def test_a_bad_upload_is_refused_on_the_page_and_starts_nothing(
    officer, data_dir, kind, name, content, code
):
    response = upload(officer, kind, name, content)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'data-code="{code}"' in page and 'role="alert"' in page
    assert Job.objects.count() == 0
    assert uploads_left(data_dir) == []


def test_a_post_without_the_forms_token_is_refused(officer):
    content = xlsx_bytes(EMPLOYER_HEADER, [employer_row(9061)])
    response = officer.post(
        INDEX, {"kind": "employers", "file": SimpleUploadedFile("a.xlsx", content)}
    )
    assert response.status_code == 400 and 'data-code="form-stale"' in response.content.decode()
    assert Job.objects.count() == 0


def test_a_file_over_the_size_cap_is_skipped_while_it_arrives(officer, settings, data_dir):
    settings.LABORCREDIT_IMPORT_MAX_BYTES = 1000
    response = upload(officer, "employers", "大.csv", b"a,b\n" + b"1,2\n" * 1000)
    page = response.content.decode()
    assert response.status_code == 400 and 'data-code="file-too-large"' in page
    assert "超过大小上限 1000 字节" in page
    assert Job.objects.count() == 0 and uploads_left(data_dir) == []


def test_a_request_far_over_the_size_cap_is_refused_before_its_body_is_read(officer, settings):
    settings.LABORCREDIT_IMPORT_MAX_BYTES = 1000
    response = upload(officer, "employers", "大.csv", b"a,b\n" + b"1,2\n" * 50_000)
    assert response.status_code == 400
    assert 'data-code="file-too-large"' in response.content.decode()
    assert Job.objects.count() == 0


def test_the_upload_form_is_protected_against_cross_site_requests(db, data_dir):
    client = Client(enforce_csrf_checks=True)
    log_in(client, user_with(*OFFICER_PERMS))
    content = xlsx_bytes(EMPLOYER_HEADER, [employer_row(9071)])
    response = upload(client, "employers", "a.xlsx", content)
    assert response.status_code == 403
    assert Job.objects.count() == 0


# ---------------------------------------------------------------- one submission, one import


def test_the_same_form_posted_twice_starts_one_import(officer):
    content = xlsx_bytes(EMPLOYER_HEADER, [employer_row(9081)])
    token = uuid.uuid4().hex
    first = upload(officer, "employers", "a.xlsx", content, token=token)
    second = upload(officer, "employers", "a.xlsx", content, token=token)
    job = only_job()
    assert first.status_code == second.status_code == 303
    assert second["Location"] == reverse("imports:detail", args=[job.pk])
    page = officer.get(second["Location"]).content.decode()
    assert "已经提交过" in page


def test_a_file_already_being_imported_is_not_started_again(officer, data_dir):
    content = xlsx_bytes(EMPLOYER_HEADER, [employer_row(9091)])
    running = Job.objects.create(
        kind="import_employers", title="导入", created_by="colleague",
        params={"sha256": hashlib.sha256(content).hexdigest()},
    )  # fmt: skip
    folder = data_dir / "jobs" / str(running.pk)
    folder.mkdir(parents=True)
    (folder / "progress.json").write_text('{"stage": "读取文件", "done": 0, "total": null}')
    response = upload(officer, "employers", "a.xlsx", content)
    assert response["Location"] == reverse("imports:detail", args=[running.pk])
    assert Job.objects.count() == 1 and uploads_left(data_dir) == []


# ---------------------------------------------------------------- a running import


def test_the_page_of_a_running_import_shows_its_progress_and_reloads_itself(officer, data_dir):
    job = Job.objects.create(
        kind="import_records", title="导入信用记录：记录.xlsx", created_by="officer",
        params={"kind": "records", "file_name": "记录.xlsx"},
    )  # fmt: skip
    folder = data_dir / "jobs" / str(job.pk)
    folder.mkdir(parents=True)
    (folder / "progress.json").write_text(
        json.dumps({"stage": "读取文件", "done": 3000, "total": None}, ensure_ascii=False),
        encoding="utf-8",
    )
    page = officer.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "读取文件" in page and "已处理 3000" in page and "<progress" in page
    assert "导入结果" not in page


# ---------------------------------------------------------------- templates


@pytest.mark.parametrize(
    ("kind", "header"), [("employers", EMPLOYER_HEADER), ("records", RECORD_HEADER)]
)
def test_the_xlsx_template_opens_and_has_the_columns(officer, kind, header):
    response = officer.get(reverse("imports:template", args=[kind, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook.worksheets[0][1]] == header
    assert "说明" in workbook.sheetnames


@pytest.mark.parametrize(
    ("kind", "header"), [("employers", EMPLOYER_HEADER), ("records", RECORD_HEADER)]
)
def test_the_csv_template_has_the_columns(officer, kind, header):
    response = officer.get(reverse("imports:template", args=[kind, "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == header and len(rows) == 2


def test_an_unknown_template_is_not_found(officer):
    assert officer.get("/imports/templates/grades.xlsx").status_code == 404
    assert officer.get("/imports/templates/records.xls").status_code == 404


def test_templates_need_the_view_permission(db, client):
    log_in(client, user_with("credit.add_creditrecord"))
    assert client.get(reverse("imports:template", args=["records", "xlsx"])).status_code == 403


# ---------------------------------------------------------------- who may


def test_an_inspector_may_not_open_the_page_nor_upload(inspector):
    assert inspector.get(INDEX).status_code == 403
    content = xlsx_bytes(EMPLOYER_HEADER, [employer_row(9201)])
    for kind in ("employers", "records"):
        assert upload(inspector, kind, "a.xlsx", content).status_code == 403
    assert Job.objects.count() == 0


def test_an_inspector_may_not_see_an_officers_import_nor_its_report(officer, inspector):
    rows = [employer_row(9211, 职工人数="很多")]
    upload(officer, "employers", "a.xlsx", xlsx_bytes(EMPLOYER_HEADER, rows))
    job = only_job()
    assert inspector.get(reverse("imports:detail", args=[job.pk])).status_code == 403
    assert inspector.get(reverse("imports:report", args=[job.pk])).status_code == 403
    assert officer.get(reverse("imports:report", args=[job.pk])).status_code == 200


def test_importing_employers_needs_the_add_employer_permission(officer):
    client = log_in(
        Client(), user_with("credit.view_employer", "credit.add_creditrecord", username="clerk")
    )
    content = xlsx_bytes(EMPLOYER_HEADER, [employer_row(9221)])
    assert upload(client, "employers", "a.xlsx", content).status_code == 403
    assert Job.objects.count() == 0
    upload(officer, "employers", "a.xlsx", content)
    job = only_job()
    assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 403
    assert reverse("imports:detail", args=[job.pk]) not in client.get(INDEX).content.decode()


def test_an_import_job_page_does_not_show_other_kinds_of_job(officer):
    job = Job.objects.create(kind="evaluation", title="年度评价", created_by="officer")
    assert officer.get(reverse("imports:detail", args=[job.pk])).status_code == 404


def test_in_a_thread_the_upload_answers_at_once_and_the_import_finishes_after(
    transactional_db, client, settings, data_dir
):
    from django.db import connection

    if connection.vendor == "sqlite":
        # The test database is shared-cache in-memory SQLite, whose table locks fail at once
        # instead of waiting as a file database does (busy_timeout); tests/jobs covers threads there.
        pytest.skip("线程导入与请求并发写入：在 PostgreSQL 上测试")
    settings.LABORCREDIT_JOBS_INLINE = False
    log_in(client, user_with(*OFFICER_PERMS))
    response = upload(
        client, "employers", "a.xlsx", xlsx_bytes(EMPLOYER_HEADER, [employer_row(9301)])
    )
    assert response.status_code == 303
    job = only_job()
    for _ in range(200):
        job.refresh_from_db()
        if job.status != Job.Status.RUNNING:
            break
        time.sleep(0.05)
    assert job.status == Job.Status.DONE and job.result["employers_created"] == 1
    assert Employer.objects.filter(uscc=make_uscc(9301)).exists()
    assert uploads_left(data_dir) == []


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_may_import_and_read_imports_only_as_its_permissions_say(db, role):
    from tests.accounts.helpers import make_user

    officer = log_in(Client(), make_user("officer1", "credit_officer"))
    rows = [employer_row(9401, 职工人数="很多")]
    upload(officer, "employers", "a.xlsx", xlsx_bytes(EMPLOYER_HEADER, rows))
    job = only_job()
    client = log_in(Client(), make_user(f"user_{role}", role))
    pages = {
        ("GET", INDEX): role == "credit_officer",
        ("POST", INDEX): role == "credit_officer",
        ("GET", reverse("imports:detail", args=[job.pk])): role == "credit_officer",
        ("GET", reverse("imports:report", args=[job.pk])): role == "credit_officer",
        ("GET", reverse("imports:template", args=["records", "xlsx"])): "credit.view_employer"
        in ROLES[role].permissions,
    }
    wrong = []
    for (method, url), allowed in pages.items():
        status = (client.get(url) if method == "GET" else client.post(url, {})).status_code
        if allowed != (status != 403) or status >= 500:
            wrong.append(f"{method} {url}: {status}")
    assert not wrong
    assert Job.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    for response in (client.get(INDEX), client.post(INDEX, {}), client.get("/imports/1/")):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
