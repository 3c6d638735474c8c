"""Search an employer with the keyboard and open its credit file: the grade, its basis, the article."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import shoot
from tests.factories import EmployerFactory

pytestmark = pytest.mark.browser


def test_an_officer_finds_an_employer_by_name_and_reads_its_grade_and_article(
    page, sign_in, officer
):
    wanted = EmployerFactory(name="舞钢市钢城机械制造有限公司")
    EmployerFactory(name="舞钢市垭口商贸有限公司")
    sign_in(officer)
    page.goto("/employers/")
    expect(page.get_by_role("heading", name="用人单位")).to_be_visible()
    shoot(page, "employer-list")

    search = page.get_by_role("searchbox", name="查询")
    search.focus()
    page.keyboard.type("钢城机械")
    page.keyboard.press("Enter")

    expect(page.get_by_text("共 1 家单位")).to_be_visible()
    result = page.get_by_role("link", name=wanted.name)
    result.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name=wanted.name, level=1)).to_be_visible()
    grade = page.locator("#grade")
    expect(grade.locator(".grade-now")).to_contain_text("A级（良好）")
    expect(grade.locator(".basis")).to_contain_text("第十条")
    article = grade.get_by_text("用人单位在近一年内未被发现有违反人社法律法规行为的")
    expect(article).to_be_hidden()  # folded until asked for
    grade.locator("summary", has_text="第十条 全文").press("Enter")
    expect(article).to_be_visible()
    expect(page.get_by_role("link", name="登记信用记录")).to_be_visible()
    shoot(page, "credit-file")
