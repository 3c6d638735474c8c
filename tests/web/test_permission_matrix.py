"""Every role against every page and action (issue 4, AC1–AC2): allowed, or a 403 — never a hidden button only.

Each row names a URL, a method and the roles that may use it; every other role
must get 403, and an anonymous visitor the login page. The last test walks the
URL configuration, so a new page cannot be added without a row here.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from laborcredit.accounts.roles import ROLES
from laborcredit.exchange.models import OutboxItem
from laborcredit.inspections.services import plan_draw
from laborcredit.jobs.models import Job
from laborcredit.jobs.runner import job_folder
from laborcredit.measures.exporting import INTERVIEWS_KIND, KIND, LISTS
from laborcredit.measures.services import interview_schedule, local_measure_add
from laborcredit.portal.services import employer_account_create
from laborcredit.rating.services import evaluation_run_create
from laborcredit.web.views_imports import IMPORT_KINDS
from tests.accounts.helpers import make_user
from tests.factories import EmployerFactory, make_uscc
from tests.inspections.helpers import roster
from tests.objections.helpers import PDF, file_paper, upload
from tests.web.helpers import penalise

pytestmark = pytest.mark.django_db

OFFICER, INSPECTOR, WINDOW, LEADERSHIP = (
    "credit_officer",
    "inspector",
    "licensing_window",
    "leadership",
)
SYSTEM, SECURITY, AUDIT = "system_admin", "security_admin", "audit_admin"
CREDIT_FILE_READERS = {OFFICER, INSPECTOR, LEADERSHIP}
GRADE_READERS = CREDIT_FILE_READERS | {WINDOW}

INTERVIEWS_JOB = "/measures/interviews/exports/{export_job}"
JOINT_JOB = "/measures/joint-punishment/exports/{joint_export_job}"

# (url name, method, url template, roles allowed). Templates use the keys of `objects`.
MATRIX: list[tuple[str, str, str, set[str]]] = [
    ("dashboard", "GET", "/dashboard/", {OFFICER, LEADERSHIP}),
    ("employers:list", "GET", "/employers/", GRADE_READERS),
    ("employers:export", "POST", "/employers/export/", CREDIT_FILE_READERS),
    ("employers:credit_file", "GET", "/employers/{uscc}/", CREDIT_FILE_READERS),
    ("employers:record_new", "GET", "/employers/{uscc}/records/new/", {OFFICER}),
    ("employers:record_new", "POST", "/employers/{uscc}/records/new/", {OFFICER}),
    ("employers:record_correct", "GET", "/employers/{uscc}/records/{record}/correct/", {OFFICER}),
    ("employers:record_void", "GET", "/employers/{uscc}/records/{record}/void/", {OFFICER}),
    ("employers:record_void", "POST", "/employers/{uscc}/records/{record}/void/", {OFFICER}),
    ("window:lookup", "GET", "/window/?code={uscc}", GRADE_READERS),
    ("measures:catalogue", "GET", "/measures/", GRADE_READERS),
    ("measures:local_add", "POST", "/measures/local/", {OFFICER}),
    ("measures:local_retire", "POST", "/measures/local/{measure}/retire/", {OFFICER}),
    ("measures:interviews", "GET", "/measures/interviews/", CREDIT_FILE_READERS),
    ("measures:interviews_export", "POST", "/measures/interviews/export/", CREDIT_FILE_READERS),
    ("measures:interview_new", "GET", "/measures/interviews/new/{uscc}/", {OFFICER}),
    ("measures:interview_new", "POST", "/measures/interviews/new/{uscc}/", {OFFICER}),
    ("measures:interview_detail", "GET", "/measures/interviews/{interview}/", CREDIT_FILE_READERS),
    ("measures:interview_record", "POST", "/measures/interviews/{interview}/record/", {OFFICER}),
    ("measures:interview_cancel", "POST", "/measures/interviews/{interview}/cancel/", {OFFICER}),
    ("measures:joint_punishment", "GET", "/measures/joint-punishment/", CREDIT_FILE_READERS),
    # A background export is its requester's alone (the jobs below: the credit officer's).
    ("measures:interviews_export_job", "GET", f"{INTERVIEWS_JOB}/", {OFFICER}),
    ("measures:interviews_export_file", "GET", f"{INTERVIEWS_JOB}/file/", {OFFICER}),
    ("measures:joint_punishment_export_job", "GET", f"{JOINT_JOB}/", {OFFICER}),
    ("measures:joint_punishment_export_file", "GET", f"{JOINT_JOB}/file/", {OFFICER}),
    (
        "measures:joint_punishment_export",
        "POST",
        "/measures/joint-punishment/export/",
        CREDIT_FILE_READERS,
    ),
    # The API answers an anonymous caller 401 in JSON, not the login page (see below).
    ("api:window", "GET", "/api/v1/window/{uscc}", GRADE_READERS),
    ("imports:index", "GET", "/imports/", {OFFICER}),
    ("imports:index", "POST", "/imports/", {OFFICER}),
    ("imports:template", "GET", "/imports/templates/records.xlsx", GRADE_READERS),
    ("imports:detail", "GET", "/imports/{import_job}/", {OFFICER}),
    ("imports:report", "GET", "/imports/{import_job}/report/", {OFFICER}),
    ("runs:list", "GET", "/runs/", {OFFICER, LEADERSHIP}),
    ("runs:list", "POST", "/runs/", {OFFICER}),
    ("runs:job", "GET", "/runs/jobs/{run_job}/", {OFFICER, LEADERSHIP}),
    ("runs:detail", "GET", "/runs/{run}/", {OFFICER, LEADERSHIP}),
    ("runs:decide", "POST", "/runs/{run}/decide/", {OFFICER}),
    ("runs:review", "GET", "/runs/review/", {OFFICER, LEADERSHIP}),
    ("runs:review_decide", "POST", "/runs/review/decide/", {OFFICER}),
    ("runs:approve", "GET", "/runs/{run}/approve/", {LEADERSHIP}),
    ("runs:approve", "POST", "/runs/{run}/approve/", {LEADERSHIP}),
    ("inspections:list", "GET", "/inspections/", CREDIT_FILE_READERS),
    ("inspections:list", "POST", "/inspections/", {OFFICER}),
    ("inspections:detail", "GET", "/inspections/{plan}/", CREDIT_FILE_READERS),
    ("inspections:verify", "POST", "/inspections/{plan}/verify/", CREDIT_FILE_READERS),
    ("inspections:publish", "POST", "/inspections/{plan}/publish/", {OFFICER}),
    ("inspections:download", "GET", "/inspections/{plan}/plan.xlsx", CREDIT_FILE_READERS),
    ("inspections:inputs", "GET", "/inspections/{plan}/draw.json", CREDIT_FILE_READERS),
    # Only the two inspectors drawn for it (an object-level check): no role alone is enough;
    # tests/inspections/test_pages.py shows a drawn inspector let in.
    ("inspections:result", "GET", "/inspections/results/{inspection}/", set()),
    ("inspections:result", "POST", "/inspections/results/{inspection}/", set()),
    ("inspections:roster", "GET", "/inspections/roster/", {OFFICER, LEADERSHIP}),
    ("inspections:roster_add", "POST", "/inspections/roster/add/", {OFFICER}),
    ("inspections:roster_active", "POST", "/inspections/roster/{inspector}/active/", {OFFICER}),
    ("inspections:conflict_add", "POST", "/inspections/roster/conflicts/", {OFFICER}),
    ("audit:list", "GET", "/audit/", {AUDIT}),
    ("audit:verify", "POST", "/audit/verify/", {AUDIT}),
    ("accounts:user_list", "GET", "/accounts/users/", {SYSTEM, SECURITY}),
    ("accounts:user_create", "GET", "/accounts/users/new/", {SYSTEM}),
    ("accounts:user_disable", "POST", "/accounts/users/{user}/disable/", {SYSTEM}),
    ("accounts:user_roles", "GET", "/accounts/users/{user}/roles/", {SECURITY}),
    ("accounts:user_roles", "POST", "/accounts/users/{user}/roles/", {SECURITY}),
    ("workdays:list", "GET", "/workdays/", {SYSTEM}),
    ("objections:list", "GET", "/objections/", {OFFICER, LEADERSHIP}),
    ("objections:overdue", "GET", "/objections/overdue/", {OFFICER, LEADERSHIP}),
    ("objections:new", "GET", "/objections/new/", {OFFICER}),
    ("objections:new", "POST", "/objections/new/", {OFFICER}),
    ("objections:report", "GET", "/objections/report/?month=2025-10", {OFFICER, LEADERSHIP}),
    (
        "objections:report_xlsx",
        "GET",
        "/objections/report/xlsx/?month=2025-10",
        {OFFICER, LEADERSHIP},
    ),
    ("objections:detail", "GET", "/objections/{objection}/", {OFFICER, LEADERSHIP}),
    (
        "objections:attachment",
        "GET",
        "/objections/{objection}/attachments/{attachment}/",
        {OFFICER, LEADERSHIP},
    ),
    ("objections:accept", "POST", "/objections/{objection}/accept/", {OFFICER}),
    ("objections:decide", "POST", "/objections/{objection}/decide/", {OFFICER}),
    ("objections:notify", "POST", "/objections/{objection}/notify/", {OFFICER}),
    ("objections:push", "POST", "/objections/{objection}/push/", {OFFICER}),
    ("portal:staff_accounts", "GET", "/portal/staff/accounts/", {OFFICER}),
    ("portal:staff_account_create", "GET", "/portal/staff/accounts/new/", {OFFICER}),
    ("portal:staff_account_create", "POST", "/portal/staff/accounts/new/", {OFFICER}),
    ("portal:staff_account_code", "POST", "/portal/staff/accounts/{account}/code/", {OFFICER}),
    (
        "portal:staff_account_disable",
        "POST",
        "/portal/staff/accounts/{account}/disable/",
        {OFFICER},
    ),
    (
        "portal:staff_account_enable",
        "POST",
        "/portal/staff/accounts/{account}/enable/",
        {OFFICER},
    ),
    ("repair:due", "GET", "/repair/", {OFFICER, LEADERSHIP}),
    ("repair:awaiting", "GET", "/repair/awaiting/", {OFFICER, LEADERSHIP}),
    ("repair:file", "GET", "/repair/{uscc}/", {OFFICER, LEADERSHIP}),
    ("repair:adjust", "POST", "/repair/{uscc}/adjust/", {OFFICER}),
    ("workdays:list", "POST", "/workdays/", {SYSTEM}),
    ("exchange:overview", "GET", "/exchange/", {OFFICER, LEADERSHIP}),
    ("exchange:retry", "POST", "/exchange/{outbox_item}/retry/", {OFFICER}),
    ("reports:index", "GET", "/reports/", {OFFICER, LEADERSHIP}),
    (
        "reports:superior_xlsx",
        "GET",
        "/reports/superior.xlsx?period=month&year=2026&number=10",
        {OFFICER, LEADERSHIP},
    ),
    (
        "reports:superior_pdf",
        "GET",
        "/reports/superior.pdf?period=month&year=2026&number=10",
        {OFFICER, LEADERSHIP},
    ),
    ("reports:credit_issue", "POST", "/reports/credit/{uscc}/", {OFFICER}),
    # 第六条: other departments' API keys (the key-authenticated /api/v1/ endpoints: tests/api)
    ("apikeys:list", "GET", "/apikeys/", {SYSTEM}),
    ("apikeys:list", "POST", "/apikeys/", {SYSTEM}),
    ("apikeys:revoke", "POST", "/apikeys/nosuchkey/revoke", {SYSTEM}),
]

# 第十八条: the employer portal's own pages, for an employer account only (tests/portal has the
# employer's side: its own data only); every staff role is refused, an anonymous visitor is sent
# to the portal's login.
PORTAL_PAGES = [
    ("portal:home", "/portal/"),
    ("portal:records", "/portal/records/"),
    ("portal:history", "/portal/history/"),
    ("portal:objections", "/portal/objections/"),
    ("portal:objection_new", "/portal/objections/new/"),
    ("portal:objection_detail", "/portal/objections/{objection}/"),
    ("portal:objection_attachment", "/portal/objections/{objection}/attachments/{attachment}/"),
    ("portal:repair", "/portal/repair/"),
    ("portal:credit_report", "/portal/credit-report/"),
    ("portal:password", "/portal/password/"),
]
PORTAL_OPEN = {"portal:login", "portal:activate", "portal:logout"}

# 第六条: the department API authenticates by API key and scope, not by role: every endpoint ×
# no key / expired / revoked / forged / wrong scope / right scope is in tests/api/test_api.py, and
# schemathesis fuzzes them (tests/api/test_fuzz.py). The public check of a credit report's
# verification code needs no login (tests/reports).
KEY_AUTHENTICATED = {
    "api-v1:employer-grade", "api-v1:grades-batch", "api-v1:employer-measures",
    "api-v1:employer-credit-file", "api-v1:employer-records", "api-v1:objection-status",
    "api-v1:report-verification", "api-v1:openapi-json", "api-v1:openapi-view",
    "api-v1:api-root", "api-v1:unknown",
}  # fmt: skip
PUBLIC = {"reports:verify"}

# Pages every signed-in person (or anybody) may open: the login steps, the
# password change, the home page with the rules in force, the health check.
OPEN = {
    "home", "healthz", "accounts:login", "accounts:otp", "accounts:logout",
    "accounts:password_change",
}  # fmt: skip


@pytest.fixture
def objects(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.LABORCREDIT_JOBS_INLINE = True
    employer = EmployerFactory(uscc=make_uscc(8301), name="舞钢市矩阵测试有限公司")
    _, penalty = penalise(employer)
    target = make_user("target")
    run = evaluation_run_create(as_of=datetime.date.today(), actor="drafter")
    run_job = Job.objects.create(
        kind="evaluation_run", title="年度评价", created_by="drafter",
        status=Job.Status.DONE, result={"run": run.pk},
    )  # fmt: skip
    import_job = Job.objects.create(
        kind=IMPORT_KINDS["records"].job_kind, title="导入", created_by="drafter",
        status=Job.Status.FAILED, message="文件有错误", report_name="report.csv",
        params={"name": "信用记录.csv"},
    )  # fmt: skip
    (job_folder(import_job) / "report.csv").write_text("行号,问题\n2,日期无效\n", "utf-8")
    export_job, joint_export_job = _export_done(INTERVIEWS_KIND), _export_done(KIND)
    inspectors = roster(2, prefix="matrix_jc")
    plan = plan_draw(period_start=datetime.date(2027, 1, 1), kind="year", seed=1, actor="drafter")
    inspection = plan.inspections.first()
    measure = local_measure_add(
        item="第十五条（三）", title="矩阵测试措施", legal_basis="舞人社〔2026〕1号",
        in_force_from=datetime.date(2025, 1, 1), actor="drafter",
    )  # fmt: skip
    interview = interview_schedule(
        employer=employer, case=penalty.case, scheduled_on=datetime.date.today(),
        place="市人社局", principal="张三", actor="drafter",
    )  # fmt: skip
    objection = file_paper(
        employer, [penalty], received_on=datetime.date(2025, 9, 30),
        attachments=[upload("复议决定书.pdf", PDF)],
    )  # fmt: skip
    account, _ = employer_account_create(employer=employer, actor=None)
    return {
        "outbox_item": OutboxItem.objects.filter(employer=employer).first().pk,
        "account": account.pk,
        "objection": objection.pk, "attachment": objection.attachments.get().pk,
        "measure": measure.pk, "interview": interview.pk,
        "uscc": employer.uscc, "record": penalty.pk, "user": target.pk, "run": run.pk,
        "run_job": run_job.pk, "import_job": import_job.pk, "plan": plan.pk,
        "export_job": export_job.pk, "joint_export_job": joint_export_job.pk,
        "inspection": inspection.pk, "inspector": inspectors[0].pk,
    }  # fmt: skip


def _request(client, method, template, objects):
    url = template.format(**objects)
    if method == "GET":
        return client.get(url)
    return client.post(url, {})


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_is_allowed_exactly_its_pages_and_refused_the_rest(client, objects, role):
    client.force_login(make_user(f"user_{role}", role))
    wrong = []
    for name, method, template, allowed in MATRIX:
        status = _request(client, method, template, objects).status_code
        if role in allowed and status in (403, 404, 405, 500):
            wrong.append(f"{method} {name}: 应允许，实为 {status}")
        if role not in allowed and status != 403:
            wrong.append(f"{method} {name}: 应拒绝（403），实为 {status}")
    assert not wrong, "\n".join(wrong)


def test_an_anonymous_visitor_is_sent_to_log_in_everywhere(client, objects):
    for name, method, template, _ in MATRIX:
        response = _request(client, method, template, objects)
        if template.startswith("/api/"):
            assert response.status_code == 401, name  # JSON {code, message}, no redirect
            continue
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/"), name


@pytest.mark.parametrize("role", sorted(ROLES))
def test_no_staff_role_may_open_an_employers_portal_pages(client, objects, role):
    client.force_login(make_user(f"user_{role}", role))
    for name, template in PORTAL_PAGES:
        for method in ("GET", "POST"):
            assert _request(client, method, template, objects).status_code == 403, (method, name)


def test_an_anonymous_visitor_is_sent_to_the_portal_login(client, objects):
    for name, template in PORTAL_PAGES:
        response = client.get(template.format(**objects))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/portal/login/"), name


def test_a_refusal_is_the_chinese_403_page(client, objects):
    client.force_login(make_user("inspector1", INSPECTOR))
    response = client.get(f"/employers/{objects['uscc']}/records/new/")
    assert response.status_code == 403
    assert "无权" in response.content.decode()


def _export_done(kind: str) -> Job:
    """A finished background export of list `kind`, the credit officer's."""
    job = Job.objects.create(
        kind=LISTS[kind].job_kind, title=f"导出{LISTS[kind].title}（CSV）",
        created_by=f"user_{OFFICER}", status=Job.Status.DONE, finished_at=timezone.now(),
        result={"rows": 1, "file": "export.csv", "format": "csv"}, params={"total": 1},
    )  # fmt: skip
    (job_folder(job) / "export.csv").write_text("统一社会信用代码\n", "utf-8")
    return job


def _names(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            space = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            if pattern.namespace == "admin":
                continue  # closed to every account (tests/accounts/test_role_urls.py)
            yield from _names(pattern.url_patterns, space)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name
        elif isinstance(pattern, URLPattern):
            yield f"{prefix}<unnamed {pattern.pattern}>"


def test_every_page_of_the_site_is_in_the_matrix():
    names = set(_names(get_resolver().url_patterns))
    covered = (
        {row[0] for row in MATRIX}
        | OPEN
        | {row[0] for row in PORTAL_PAGES}
        | PORTAL_OPEN
        | KEY_AUTHENTICATED
        | PUBLIC
    )
    missing = sorted(
        n for n in names - covered if not n.startswith("<unnamed") or "static" not in n
    )
    assert not missing, f"页面未列入权限矩阵：{missing}"
