"""The main pages, each as its role sees it: a screenshot at 1366×768, one <h1>, every form
control named, and the main menu reached by Tab (tests/browser/helpers.py `check_page`)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from laborcredit.credit.services import record_create
from laborcredit.rating.models import EmployerGrade
from laborcredit.rating.services import evaluation_run_create
from tests.browser.helpers import check_page
from tests.credit.helpers import days_ago
from tests.factories import EmployerFactory
from tests.rating.helpers import not_corrected

pytestmark = pytest.mark.browser


def graded(grade: str, township: str, name: str):
    """An employer of `township` whose credit file makes it `grade` (第九条–第十二条)."""
    employer = EmployerFactory(name=name, township=township)
    records = {
        "A+": [
            ("harmonious_certified", 100, {}),
            ("labor_practice_assessed", 50, {"passed": True}),
        ],
        "A": [],
        "B": [("violation_found", 200, {"case": "K1", "correction_deadline": days_ago(100)})],
        "C": [("violation_found", 40, {"case": "K2"}), ("penalty_imposed", 30, {"case": "K2"})],
    }[grade]
    for type_, days, fields in records:
        record_create(employer=employer, type=type_, date=days_ago(days), actor="xinyong", **fields)
    assert EmployerGrade.objects.get(employer=employer).grade == grade
    return employer


def test_the_dashboard_draws_its_charts_from_the_app_for_a_leader(page, sign_in, leader):
    graded("A+", "八台镇", "舞钢市和谐纺织有限公司")
    graded("A", "垭口街道", "舞钢市垭口商贸有限公司")
    graded("A", "尚店镇", "舞钢市尚店建材有限公司")
    graded("B", "尚店镇", "舞钢市尚店物流有限公司")
    graded("C", "寺坡街道", "舞钢市寺坡建筑工程有限公司")
    sign_in(leader)
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", name="统计看板", level=1)).to_be_visible()

    donut = page.locator("svg.chart-donut")
    expect(donut.locator("title").first).to_contain_text("A+级")
    expect(donut.locator("circle > title")).to_have_count(4)  # one segment per grade present
    townships = page.locator("#dash-township-chart-title")
    expect(townships).to_contain_text("各乡镇（街道）各信用等级单位数")
    stacked = page.locator("svg.chart-stacked").first
    expect(stacked.locator(".chart-row")).to_have_count(4)  # 八台镇、垭口街道、尚店镇、寺坡街道
    expect(stacked.locator("rect > title").filter(has_text="尚店镇")).to_have_count(2)
    assert page.locator("svg.chart").count() >= 3 and page.locator("svg title").count() >= 10
    check_page(page, "dashboard")


def test_the_window_looks_up_a_c_employer_by_keyboard_and_reads_its_measures(
    page, sign_in, window_clerk
):
    employer = graded("C", "寺坡街道", "舞钢市寺坡建筑工程有限公司")
    sign_in(window_clerk)
    page.goto("/window/")
    code = page.get_by_label("统一社会信用代码")
    expect(code).to_be_focused()  # autofocus: the clerk types at once
    page.keyboard.type(employer.uscc)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=employer.name, level=2)).to_be_visible()
    expect(page.locator(".grade-now")).to_contain_text("C级（较差）")
    expect(page.get_by_text("第十七条（一）").first).to_be_visible()
    check_page(page, "window")


def test_an_officer_reads_the_import_runs_run_and_review_pages(
    page, sign_in, officer, settings, tmp_path
):
    settings.DATA_DIR = tmp_path / "data"
    graded("A", "垭口街道", "舞钢市垭口商贸有限公司")
    graded("C", "寺坡街道", "舞钢市寺坡建筑工程有限公司")
    late = not_corrected()
    run = evaluation_run_create(as_of=timezone.localdate(), actor="xinyong")
    sign_in(officer)

    page.goto("/imports/")
    expect(page.get_by_role("heading", name="批量导入", level=1)).to_be_visible()
    check_page(page, "imports")

    page.goto("/runs/")
    expect(page.get_by_role("link", name=f"第 {run.pk} 次", exact=True)).to_be_visible()
    check_page(page, "runs")

    page.goto(f"/runs/{run.pk}/")
    expect(page.locator("#review").get_by_role("row").filter(has_text=late.name)).to_be_visible()
    check_page(page, "run")

    page.goto("/runs/review/")
    expect(page.get_by_role("row").filter(has_text=late.name)).to_contain_text("B级")
    check_page(page, "runs-review")


def test_an_audit_admin_reads_the_audit_log_with_an_employer_s_registration(page, sign_in, auditor):
    employer = EmployerFactory(name="舞钢市垭口商贸有限公司")
    sign_in(auditor)
    page.goto("/audit/")
    expect(page.get_by_role("heading", name="审计日志", level=1)).to_be_visible()
    expect(
        page.get_by_role("row").filter(has_text=f"登记了用人单位 {employer.uscc}")
    ).to_be_visible()
    check_page(page, "audit")


def test_an_officer_pages_through_the_work_lists_and_each_control_is_named(
    page, sign_in, officer, monkeypatch
):
    from laborcredit.measures import selectors as measures
    from laborcredit.repair import views as repair

    monkeypatch.setattr(measures, "PAGE_SIZE", 1)
    monkeypatch.setattr(repair, "PAGE_SIZE", 1)
    for name in ("舞钢市甲建筑工程有限公司", "舞钢市乙建筑工程有限公司"):
        graded("C", "寺坡街道", name)
    sign_in(officer)
    page.goto("/measures/interviews/")
    expect(page.get_by_role("heading", name="待约谈单位（2 家）")).to_be_visible()
    pager = page.get_by_role("navigation", name="待约谈单位翻页")
    expect(pager).to_contain_text("第 1–1 家，共 2 家（第 1/2 页）")
    check_page(page, "measures-interviews-paged")
    pager.get_by_role("link", name="下一页").click()
    expect(page.get_by_role("navigation", name="待约谈单位翻页")).to_contain_text("第 2/2 页")
    expect(page.get_by_role("combobox", name="格式")).to_be_visible()

    page.goto("/repair/awaiting/")
    expect(page.get_by_role("heading", name="待补充证据（2 家）")).to_be_visible()
    expect(page.get_by_role("link", name="待补充证据")).to_have_attribute("aria-current", "page")
    check_page(page, "repair-awaiting-paged")
    page.get_by_role("navigation", name="待补充证据翻页").get_by_role("link", name="下一页").click()
    expect(page).to_have_url(re.compile(r"/repair/awaiting/\?awaiting_page=2#awaiting$"))
    expect(page.get_by_role("navigation", name="待补充证据翻页")).to_contain_text("第 2/2 页")


def test_an_officer_exports_a_long_list_in_the_background_and_downloads_it(
    page, sign_in, officer, monkeypatch, settings, tmp_path
):
    """A list over BACKGROUND_FROM employers (here: any) is written by a job; its page offers
    the file, and the list page names the job."""
    settings.LABORCREDIT_JOBS_INLINE = True
    settings.DATA_DIR = tmp_path / "data"
    monkeypatch.setattr("laborcredit.measures.views.BACKGROUND_FROM", 0)
    employer = graded("C", "寺坡街道", "舞钢市丙建筑工程有限公司")
    sign_in(officer)
    page.goto("/measures/interviews/")
    page.get_by_role("combobox", name="格式").select_option("csv")
    page.get_by_role("textbox", name="导出事由").fill("季度约谈安排")
    page.get_by_role("button", name="导出全部待约谈单位").click()
    expect(page.get_by_role("heading", name="导出待约谈单位清单", level=1)).to_be_visible()
    expect(page.get_by_text("已完成")).to_be_visible()
    check_page(page, "measures-export-job")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("下载 CSV 文件（1 家单位）")).click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    assert employer.uscc in download.path().read_text("utf-8-sig")
    page.get_by_role("link", name="约谈").first.click()
    expect(page.get_by_role("link", name=re.compile("导出待约谈单位清单（CSV）"))).to_be_visible()
