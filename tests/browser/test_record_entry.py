"""An officer enters a violation, then its penalty: the preview shows C and 第十二条, then the file does."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from laborcredit.rating.models import EmployerGrade
from tests.browser.helpers import shoot
from tests.factories import EmployerFactory

pytestmark = pytest.mark.browser

CASE = "舞人社监〔2026〕7号"


def _days_ago(days: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


def _fill_record(page, type_label: str, date: str, **fields: str) -> None:
    page.get_by_label("记录类型").select_option(label=type_label)
    page.get_by_label("日期").fill(date)
    for label, value in fields.items():
        page.get_by_label(label).fill(value)


def test_a_penalty_previewed_then_confirmed_makes_the_grade_c_with_article_12(
    page, sign_in, officer
):
    employer = EmployerFactory(name="舞钢市钢城机械制造有限公司")
    sign_in(officer)
    page.goto(f"/employers/{employer.uscc}/")
    expect(page.locator("#grade .grade-now")).to_contain_text("A级")

    page.get_by_role("link", name="登记信用记录").click()
    expect(page.get_by_role("heading", name="登记信用记录")).to_be_visible()
    _fill_record(page, "违反人社法律法规行为被查处", _days_ago(30), 案件编号=CASE)
    page.get_by_role("button", name="预览等级变化").click()
    expect(page.get_by_role("heading", name="确认前预览：信用等级变化")).to_be_visible()
    page.get_by_role("button", name="确认登记").click()
    expect(page.get_by_role("status")).to_contain_text("信用记录已登记")

    page.get_by_role("link", name="登记信用记录").click()
    _fill_record(page, "行政处罚", _days_ago(10), 案件编号=CASE, 文书号="舞人社罚〔2026〕3号")
    page.get_by_role("button", name="预览等级变化").click()
    preview = page.locator("section.preview")
    expect(preview).to_contain_text("C级（较差）")
    expect(preview.locator(".basis")).to_contain_text("第十二条")
    assert EmployerGrade.objects.get(employer=employer).grade != "C"  # a preview writes nothing
    shoot(page, "record-form-preview")
    page.get_by_role("button", name="确认登记").click()

    expect(page.get_by_role("heading", name=employer.name, level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("信用记录已登记")
    expect(page.locator("#grade .grade-now")).to_contain_text("C级（较差）")
    expect(page.locator("#grade .basis")).to_contain_text("第十二条")
    expect(page.get_by_text("文书号：舞人社罚〔2026〕3号")).to_be_visible()
    assert EmployerGrade.objects.get(employer=employer).grade == "C"
