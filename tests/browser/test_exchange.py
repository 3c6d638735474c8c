"""第六条 in the browser: the report to superior departments (xlsx and PDF), an employer's credit
report issued from its credit file and verified by an anonymous visitor, the system
administrator's API keys (created, used, revoked), the API's Swagger UI served offline, and the
push page's counts."""

from __future__ import annotations

import io
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from laborcredit.api.models import ApiKey
from laborcredit.exchange.models import OutboxItem, State
from laborcredit.rating.models import EmployerGrade
from laborcredit.reports.codes import ALPHABET
from laborcredit.reports.models import IssuedReport
from tests.accounts.helpers import make_user
from tests.browser.conftest import VIEWPORT, offline_page
from tests.browser.helpers import (
    check_page,
    fits_the_screen,
    level_one_headings,
    shoot,
    unnamed_controls,
)
from tests.factories import EmployerFactory
from tests.reports.helpers import pdf_text
from tests.web.helpers import penalise

pytestmark = pytest.mark.browser

EMPLOYER = "舞钢市钢城机械制造有限公司"
CASE = "舞人社监〔2026〕7号"
CODE = re.compile(r"验证码：?([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})")


@pytest.fixture(autouse=True)
def fresh_rate_limit() -> Iterator[None]:
    """The verification page's and the API's per-address counters start at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sysadmin(roles: None) -> Any:
    """系统管理员: keeps the other departments' API keys (三员分立)."""
    return make_user("xitong", "system_admin")


@pytest.fixture
def visitor(browser: Any, live_server: Any, watch: Any) -> Iterator[Any]:
    """A member of the public: a second browser context, never signed in, with the same offline
    rule and console watch as the `page` fixture."""
    with offline_page(browser, live_server, watch, viewport=VIEWPORT) as visitor:
        yield visitor


def _fact(page: Any, heading: str) -> Any:
    """The row of a facts table with this row heading."""
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=heading))


def _grade_call(live_server: Any, uscc: str, token: str) -> tuple[int, dict[str, Any]]:
    """GET /api/v1/employers/<uscc>/grade with the key, as another department's system calls it."""
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/employers/{uscc}/grade",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_an_officer_downloads_the_monthly_report_to_superior_departments_as_xlsx_and_pdf(
    page, sign_in, officer
):
    penalise(EmployerFactory(name=EMPLOYER, township="尚店镇", industry_code="C34"), case=CASE)
    sign_in(officer)
    page.goto("/reports/")
    expect(page.get_by_role("heading", name="向上级主管部门报送的报表", level=1)).to_be_visible()
    page.get_by_label("报表类型").select_option(label="月度")
    page.get_by_label("年份").fill("2026")
    page.get_by_label("期数").fill("10")
    page.get_by_role("button", name="查看").click()
    title = "舞钢市用人单位劳动保障信用月度报表"
    expect(page.get_by_role("heading", name=title, level=2)).to_contain_text("2026")
    expect(page.get_by_text("统计期间 2026-10-01 至 2026-10-31")).to_be_visible()
    check_page(page, "reports-superior")

    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Excel（.xlsx）").click()
    xlsx = info.value
    assert xlsx.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.path().read_bytes()), read_only=True)
    assert book.sheetnames and "数据推送" in book.sheetnames

    with page.expect_download() as info:
        page.get_by_role("link", name="下载 PDF（含图表）").click()
    pdf = info.value
    assert pdf.suggested_filename.endswith(".pdf")
    data = pdf.path().read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "舞钢市" in text and "月度报表" in text


def test_an_officer_issues_a_credit_report_and_a_visitor_verifies_its_code(
    page, sign_in, officer, visitor
):
    employer = EmployerFactory(name=EMPLOYER)
    penalise(employer, case=CASE)
    assert EmployerGrade.objects.get(employer=employer).grade == "C"
    sign_in(officer)
    page.goto(f"/employers/{employer.uscc}/")
    expect(page.get_by_role("heading", name=EMPLOYER, level=1)).to_be_visible()
    page.get_by_label("信用报告用途").fill("招投标资格审查")
    with page.expect_download() as info:
        page.get_by_role("button", name="出具信用报告（PDF）").click()
    download = info.value
    assert download.suggested_filename.startswith(f"信用报告-{employer.uscc}-")
    data = download.path().read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert EMPLOYER in text and "C级（较差）" in text
    found = CODE.search(text)
    assert found, "信用报告 PDF 中找不到验证码"
    code = found.group(1)
    issued = IssuedReport.objects.get(employer_uscc=employer.uscc)
    assert (issued.issued_by, issued.purpose) == (officer.username, "招投标资格审查")

    # Anyone, without an account: the verification page.
    visitor.goto("/reports/verify/")
    expect(visitor.get_by_role("heading", name="信用报告验证", level=1)).to_be_visible()
    visitor.get_by_label("验证码").fill(code)
    visitor.get_by_role("button", name="验证").click()
    result = visitor.get_by_role("status")
    expect(result).to_contain_text("验证通过")
    expect(result).to_contain_text("C级 仍为该单位现行信用等级")
    expect(_fact(visitor, "单位名称")).to_contain_text(EMPLOYER)
    expect(_fact(visitor, "统一社会信用代码")).to_contain_text(employer.uscc)
    expect(_fact(visitor, "是否仍为现行等级")).to_contain_text("是")
    shoot(visitor, "reports-verify-authentic")
    # A public page without the staff menu: one <h1>, every control named, fits 1366×768.
    assert len(level_one_headings(visitor)) == 1
    assert unnamed_controls(visitor) == []
    assert fits_the_screen(visitor)
    assert visitor.get_by_role("link", name="退出").count() == 0

    first = code[0]
    altered = ALPHABET[(ALPHABET.index(first) + 1) % len(ALPHABET)] + code[1:]
    visitor.get_by_label("验证码").fill(altered)
    visitor.get_by_role("button", name="验证").click()
    expect(visitor.get_by_role("alert")).to_contain_text("验证码无效")
    expect(visitor.get_by_role("status")).to_have_count(0)
    expect(visitor.get_by_text(EMPLOYER)).to_have_count(0)
    shoot(visitor, "reports-verify-refused")


def test_a_system_administrator_creates_an_api_key_that_works_until_it_is_revoked(
    page, sign_in, sysadmin, live_server
):
    employer = EmployerFactory(name=EMPLOYER)
    penalise(employer, case=CASE)
    sign_in(sysadmin)
    page.goto("/apikeys/")
    expect(page.get_by_role("heading", name="接口密钥", level=1)).to_be_visible()
    expect(page.get_by_text("尚无接口密钥。")).to_be_visible()
    check_page(page, "apikeys")

    page.get_by_label("部门（系统）").fill("舞钢市市场监督管理局 企业登记系统")
    page.get_by_role("checkbox", name="查询信用等级及适用措施").check()
    page.get_by_label("有效期至（含当日）").fill("2099-12-31")
    page.get_by_label("每分钟调用上限").fill("30")
    page.get_by_role("button", name="新建", exact=True).click()

    shown = page.locator("#new-key")
    expect(shown).to_contain_text("已为舞钢市市场监督管理局 企业登记系统新建密钥")
    expect(shown).to_contain_text("完整密钥只显示这一次")
    token = page.locator("#token").inner_text().strip()
    assert re.fullmatch(r"lc_[A-Za-z0-9]+_\S+", token), token
    key = ApiKey.objects.get()
    assert token.split("_")[1] == key.prefix
    assert key.scopes == ["read_grades"] and key.rate_limit_per_minute == 30
    row = page.locator(f"#key-{key.prefix}")
    # Valid through 31 December (含当日): the list shows the instant it stops working.
    expect(row).to_contain_text("2099-12-31（含当日）")
    expect(row).to_contain_text("查询信用等级及适用措施")
    shoot(page, "apikeys-created")

    # Shown once: the list, opened again, has the prefix but never the full key.
    page.goto("/apikeys/")
    expect(page.locator(f"#key-{key.prefix}")).to_be_visible()
    assert token not in page.content()

    status, body = _grade_call(live_server, employer.uscc, token)
    assert status == 200, body
    assert (body["uscc"], body["grade"]) == (employer.uscc, "C")

    page.locator(f"#key-{key.prefix}").get_by_label("确认吊销").check()
    page.locator(f"#key-{key.prefix}").get_by_role("button", name="吊销").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"已吊销舞钢市市场监督管理局 企业登记系统的接口密钥 {key.prefix}"
    )
    expect(page.locator(f"#key-{key.prefix}").get_by_role("button", name="吊销")).to_have_count(0)
    status, body = _grade_call(live_server, employer.uscc, token)
    assert status == 401 and body["code"] == "api-key-revoked", body


def test_the_api_documentation_is_a_chinese_page_of_the_server_itself(page):
    page.goto("/api/v1/docs")
    expect(page.locator("h1")).to_contain_text("舞钢市用人单位劳动保障信用监管 数据接口")
    expect(
        page.locator("#endpoints code", has_text="/api/v1/employers/{uscc}/grade").first
    ).to_be_visible()
    page.locator("#endpoints a", has_text="一家用人单位的信用等级").first.click()
    expect(page.locator("#schema-GradeOut")).to_contain_text("现行信用等级")
    shoot(page, "api-docs")
    # The `page` fixture fails the test if the page asked any other host for anything.


def _count(page: Any, label: str) -> Any:
    """The number on the push page's card with this label."""
    return page.locator(".dash-card").filter(has_text=label).locator(".dash-number")


def test_an_officer_sees_the_push_counts_after_a_penalty_and_retries_a_failed_item(
    page, sign_in, officer
):
    _, penalty = penalise(EmployerFactory(name=EMPLOYER), case=CASE)
    pending = OutboxItem.objects.filter(state=State.PENDING).count()
    assert pending >= 1
    assert OutboxItem.objects.filter(idempotency_key=f"penalty:{penalty.pk}").exists()
    sign_in(officer)
    page.goto("/exchange/")
    expect(page.get_by_role("heading", name="推送至市信用信息共享平台", level=1)).to_be_visible()
    expect(_count(page, "待推送")).to_have_text(str(pending))
    expect(_count(page, "推送失败")).to_have_text("0")
    expect(page.get_by_text("没有推送失败的条目。")).to_be_visible()
    check_page(page, "exchange")

    # The platform kept refusing the penalty (双公示): it stops, and the officer puts it back.
    key = f"penalty:{penalty.pk}"
    OutboxItem.objects.filter(idempotency_key=key).update(
        state=State.FAILED, attempts=8, last_error="平台返回 HTTP 500"
    )
    page.reload()
    expect(_count(page, "待推送")).to_have_text(str(pending - 1))
    expect(_count(page, "推送失败")).to_have_text("1")
    row = page.get_by_role("row").filter(has_text=key)
    expect(row).to_contain_text("平台返回 HTTP 500")
    expect(row).to_contain_text(EMPLOYER)
    check_page(page, "exchange-failed")
    row.get_by_role("button", name="重试").click()
    expect(page.get_by_role("status")).to_contain_text(f"已重新加入推送队列：{key}")
    expect(_count(page, "推送失败")).to_have_text("0")
    expect(_count(page, "待推送")).to_have_text(str(pending))
    item = OutboxItem.objects.get(idempotency_key=key)
    assert (item.state, item.attempts) == (State.PENDING, 0)
