"""The pages of 第六条 per role: the superior report (officers, leadership), issuing a credit
report (officers), the public verification page, and the employer's own report in the portal."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from laborcredit.reports.models import IssuedReport
from laborcredit.reports.services import VERIFY_LIMIT, report_issue
from tests.accounts.helpers import make_user
from tests.factories import EmployerFactory
from tests.portal.helpers import activated, logged_in_as
from tests.reports.helpers import pdf_text
from tests.web.helpers import log_in, penalise

pytestmark = pytest.mark.django_db

INDEX = "/reports/"
VERIFY = "/reports/verify/"


def period() -> str:
    today = timezone.localdate()
    return f"period=month&year={today.year}&number={today.month}"


@pytest.fixture
def employer():
    return EmployerFactory(name="舞钢市页面测试有限公司")


@pytest.mark.parametrize("role", ["credit_officer", "leadership"])
def test_officers_and_leadership_see_the_superior_report_and_download_both_files(
    client, employer, role
):
    log_in(client, make_user("reader", role))
    page = client.get(f"{INDEX}?{period()}")
    assert page.status_code == 200
    assert (
        "向上级主管部门报送的报表" in page.content.decode()
        and "按乡镇（街道）统计的信用等级" in page.content.decode()
    )
    xlsx = client.get(f"/reports/superior.xlsx?{period()}")
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]
    assert "按乡镇" in load_workbook(io.BytesIO(xlsx.content)).sheetnames
    pdf = client.get(f"/reports/superior.pdf?{period()}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "按行业门类统计的信用等级" in pdf_text(pdf.content)


@pytest.mark.parametrize("role", ["inspector", "licensing_window", "audit_admin"])
@pytest.mark.parametrize("url", [INDEX, "/reports/superior.xlsx", "/reports/superior.pdf"])
def test_other_roles_are_refused_the_superior_report(client, role, url):
    log_in(client, make_user("other", role))
    assert client.get(f"{url}?{period()}").status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(INDEX)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_bad_period_gets_a_chinese_answer_and_no_file(client):
    log_in(client, make_user("reader", "credit_officer"))
    response = client.get("/reports/superior.xlsx?period=quarter&year=2026&number=7")
    assert response.status_code == 400
    assert "季度报表的期数应为 1 至 4" in response.content.decode()


def test_an_officer_issues_a_credit_report_from_the_credit_file(client, employer):
    log_in(client, make_user("officer1", "credit_officer"))
    page = client.get(f"/employers/{employer.uscc}/")
    assert f"/reports/credit/{employer.uscc}/" in page.content.decode()
    response = client.post(f"/reports/credit/{employer.uscc}/", {"purpose": "评优评先"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "舞钢市页面测试有限公司" in pdf_text(response.content)
    row = IssuedReport.objects.get()
    assert (row.issued_by, row.purpose, row.channel) == ("officer1", "评优评先", "staff")


def test_leadership_may_not_issue_and_a_get_issues_nothing(client, employer):
    log_in(client, make_user("leader", "leadership"))
    assert client.post(f"/reports/credit/{employer.uscc}/").status_code == 403
    log_in(client, make_user("officer2", "credit_officer"))
    assert client.get(f"/reports/credit/{employer.uscc}/").status_code == 405
    assert client.post("/reports/credit/91410481MA00000000/").status_code == 404
    assert not IssuedReport.objects.exists()


def test_the_verify_page_needs_no_login_and_says_authentic_when_for_whom(client, employer):
    report = report_issue(employer=employer, actor="officer")
    page = client.get(VERIFY)
    assert page.status_code == 200 and "验证码" in page.content.decode()
    answer = client.get(VERIFY, {"code": report.code.lower()}).content.decode()
    assert "验证通过" in answer and employer.name in answer and employer.uscc in answer
    assert "是否仍为现行等级</th><td>是" in answer


def test_the_verify_page_says_when_the_grade_is_no_longer_current(client, employer):
    report = report_issue(employer=employer, actor="officer")
    penalise(employer)
    answer = client.get(VERIFY, {"code": report.code}).content.decode()
    assert "是否仍为现行等级</th><td>否" in answer and "现行：C级" in answer


def test_an_altered_code_is_invalid_and_shows_nothing_of_any_report(client, employer):
    report = report_issue(employer=employer, actor="officer")
    altered = report.code[:3] + ("Z" if report.code[3] != "Z" else "Y") + report.code[4:]
    answer = client.get(VERIFY, {"code": altered}).content.decode()
    assert "验证码无效" in answer and employer.name not in answer


def test_the_verify_page_slows_down_guessing(client):
    for _ in range(VERIFY_LIMIT):
        assert client.get(VERIFY, {"code": "0000-0000-0000-0000-0000"}).status_code == 200
    response = client.get(VERIFY, {"code": "0000-0000-0000-0000-0000"})
    assert response.status_code == 429 and "验证过于频繁" in response.content.decode()


def test_the_employer_downloads_its_own_credit_report_from_the_portal(client):
    mine = activated(name="舞钢市本单位有限公司")
    EmployerFactory(name="舞钢市别的单位有限公司")
    logged_in_as(client, mine)
    home = client.get("/portal/").content.decode()
    assert "/portal/credit-report/" in home
    response = client.post("/portal/credit-report/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "舞钢市本单位有限公司" in text and "舞钢市别的单位有限公司" not in text
    row = IssuedReport.objects.get()
    assert row.employer_id == mine.employer_id and row.channel == "portal"


def test_the_portal_download_is_for_employers_only(client):
    assert client.post("/portal/credit-report/").status_code == 302  # to the portal login
    log_in(client, make_user("officer3", "credit_officer"))
    assert client.post("/portal/credit-report/").status_code == 403
    assert not IssuedReport.objects.exists()
