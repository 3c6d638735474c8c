"""年度评价 in a browser (第十三条): an officer drafts and decides, a leader approves, the grade is official."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from laborcredit.rating.models import EmployerGrade, EvaluationRun
from tests.browser.helpers import shoot
from tests.factories import EmployerFactory
from tests.rating.helpers import not_corrected, penalised

pytestmark = pytest.mark.browser

REASON = "该单位整改期限届满后仍未整改，经约谈拒不改正，认定为C级"


@pytest.fixture(autouse=True)
def inline_jobs(settings, tmp_path):
    """The evaluation and its approval run inside the request: the job page shows the outcome."""
    settings.LABORCREDIT_JOBS_INLINE = True
    settings.DATA_DIR = tmp_path / "data"


def counts_row(page, grade: str):
    counts = page.locator("#counts").get_by_role("table")
    return counts.get_by_role("row").filter(has=page.get_by_role("rowheader", name=grade))


def test_an_officer_drafts_and_decides_and_only_a_leader_approves_making_the_grades_official(
    page, sign_in, officer, leader, watch
):
    EmployerFactory(name="舞钢市垭口商贸有限公司")
    penalised()
    late = not_corrected()  # B: the correction deadline passed with no correction, to review
    assert EmployerGrade.objects.get(employer=late).needs_review

    sign_in(officer)
    page.goto("/")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="年度评价").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="年度评价", level=1)).to_be_visible()
    as_of = page.get_by_label("评价日期")
    as_of.fill(timezone.localdate().isoformat())
    as_of.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("年度评价（评价日期")
    run = EvaluationRun.objects.get()
    expect(page.get_by_text(f"已生成第 {run.pk} 次评价（草稿），共评价 3 家单位")).to_be_visible()
    page.get_by_role("link", name=f"查看第 {run.pk} 次评价").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(f"第 {run.pk} 次年度评价")
    expect(heading).to_contain_text("草稿")
    for grade, count in (
        ("A+级 优秀", "0"),
        ("A级 良好", "1"),
        ("B级 一般", "1"),
        ("C级 较差", "1"),
    ):
        expect(counts_row(page, grade).get_by_role("cell").first).to_have_text(count)
    expect(counts_row(page, "合计").get_by_role("cell").first).to_have_text("3")
    expect(page.get_by_role("link", name="批准本次评价…")).to_have_count(0)  # not the officer's

    review = page.locator("#review").get_by_role("row").filter(has_text=late.name)
    expect(review).to_contain_text("B级")
    review.get_by_label("认定等级").select_option(label="C级（较差）")
    reason = review.get_by_label("认定理由")
    reason.fill(REASON)
    reason.press("Tab")
    page.keyboard.press("Enter")  # Tab reaches 记录认定

    expect(page.get_by_role("status")).to_have_text(f"已记录对 {late.name} 的人工认定：C级")
    review = page.locator("#review").get_by_role("row").filter(has_text=late.name)
    expect(review).to_contain_text("已认定为 C级")
    expect(review).to_contain_text(REASON)
    shoot(page, "run-draft")
    assert EmployerGrade.objects.get(employer=late).grade == "B"  # a draft changes no grade

    watch.allow("status of 403")  # Chromium logs the 403 document as a console error
    refused = page.goto(f"/runs/{run.pk}/approve/")
    assert refused.status == 403
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
    run.refresh_from_db()
    assert run.status == EvaluationRun.Status.DRAFT

    page.context.clear_cookies()
    sign_in(leader)
    page.goto("/")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="年度评价").click()
    page.get_by_role("link", name=f"第 {run.pk} 次", exact=True).click()
    page.get_by_role("link", name="批准本次评价…").click()
    expect(page.get_by_role("heading", name=f"批准第 {run.pk} 次年度评价")).to_be_visible()
    expect(page.get_by_text("批准后不能撤回")).to_be_visible()
    shoot(page, "run-approve")
    page.get_by_role("button", name="确认批准").click()

    expect(
        page.get_by_text(f"第 {run.pk} 次评价已批准，其结果已成为正式信用等级。")
    ).to_be_visible()
    page.get_by_role("link", name=f"查看第 {run.pk} 次评价").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已批准")
    expect(page.get_by_role("row", name="批准人")).to_contain_text("lingdao")
    run.refresh_from_db()
    assert run.status == EvaluationRun.Status.APPROVED and run.approved_by == "lingdao"

    page.goto(f"/employers/{late.uscc}/")
    expect(page.locator("#grade .grade-now")).to_contain_text("C级（较差）")
    expect(page.locator("#grade .grade-now")).to_contain_text("已人工复核")
    expect(page.locator("#grade")).to_contain_text(f"认定为 C级，理由：{REASON}")
    official = EmployerGrade.objects.get(employer=late)
    assert (official.grade, official.official_grade) == ("B", "C")  # computed, and as decided
