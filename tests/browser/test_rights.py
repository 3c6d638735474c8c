"""第十八条–第二十一条 in the browser: the employer's portal (activation, grade, objection with its
evidence, the notice), the officer's objection steps and deadlines across 国庆 2025, the repair due
list, and one employer kept out of another's objection."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from laborcredit.credit.services import record_create
from laborcredit.objections.models import Objection
from laborcredit.portal.selectors import describe
from laborcredit.portal.services import employer_account_create
from laborcredit.rating.models import EmployerGrade
from laborcredit.rules.repair import cycle_end
from laborcredit.rules.workdays import Calendar
from laborcredit.workdays.selectors import calendar
from tests.browser.conftest import VIEWPORT, offline_page, session_cookie_for
from tests.browser.helpers import check_page, shoot
from tests.factories import EmployerFactory
from tests.objections.helpers import PDF, file_paper
from tests.portal.helpers import PASSWORD, open_account
from tests.web.helpers import penalise

pytestmark = pytest.mark.browser

D = datetime.date
CASE = "舞人社监〔2025〕12号"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """Objection attachments are stored under the test's own folder."""
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def officer_page(browser: Any, live_server: Any, watch: Any, officer: Any) -> Iterator[Any]:
    """The officer's own browser beside the employer's (`page`): a second context, signed in,
    with the same offline rule and console watch as the `page` fixture."""
    with offline_page(browser, live_server, watch, viewport=VIEWPORT) as officer_page:
        session_cookie_for(officer_page, live_server, officer)
        yield officer_page


def _portal_sign_in(page: Any, live_server: Any, account: Any) -> None:
    """An employer's session without the login form (the form is used in the first test)."""
    session_cookie_for(page, live_server, get_user_model().objects.get(pk=account.user_id))


def _menu(page: Any, name: str) -> Any:
    """A link of the portal's main menu."""
    return page.get_by_role("navigation", name="主菜单").get_by_role("link", name=name, exact=True)


def _fact(page: Any, heading: str) -> Any:
    """The cell beside a row heading of a facts table."""
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=heading))


def test_an_employer_objects_online_and_reads_the_officer_s_upheld_decision_and_its_new_grade(
    page, officer_page, tmp_path
):
    employer = EmployerFactory(name="舞钢市钢城机械制造有限公司")
    _, penalty = penalise(employer, case=CASE)
    assert EmployerGrade.objects.get(employer=employer).grade == "C"
    _, code = employer_account_create(employer=employer, actor=None, password=None)

    # 第十八条: the bureau's activation code, then the login by the credit code.
    page.goto("/portal/activate/")
    page.get_by_label("统一社会信用代码").fill(employer.uscc)
    page.get_by_label("激活码").fill(code)
    page.get_by_label("新密码：", exact=True).fill(PASSWORD)
    page.get_by_label("再次输入新密码").fill(PASSWORD)
    page.get_by_role("button", name="激活并设置密码").click()
    expect(page.get_by_role("status")).to_contain_text("账号已激活")
    page.get_by_role("link", name="去登录").click()
    page.get_by_label("统一社会信用代码").fill(employer.uscc)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", name=employer.name, level=1)).to_be_visible()
    expect(page.locator("#grade .grade-now")).to_contain_text("C级（较差）")
    expect(page.locator("#grade .basis")).to_contain_text("第十二条")
    check_page(page, "portal-home")

    # 第十九条: an objection to the penalty record, with a PDF.
    _menu(page, "异议申请").click()
    page.get_by_role("link", name="提出异议申请").click()
    expect(page.get_by_role("heading", name="提出异议申请", level=1)).to_be_visible()
    check_page(page, "portal-objection-form")
    page.get_by_role("radio", name="信用记录", exact=True).check()
    page.get_by_role("checkbox", name=describe(penalty)).check()
    page.get_by_label("异议理由").fill("该处罚决定已被行政复议撤销，复议决定书附后。")
    evidence = tmp_path / "复议决定书.pdf"
    evidence.write_bytes(PDF)
    page.get_by_label("证明材料").set_input_files(evidence)
    page.get_by_role("button", name="提交异议申请").click()

    objection = Objection.objects.get(employer=employer)
    expect(page.get_by_role("heading", name=f"异议申请 {objection.number}")).to_be_visible()
    expect(page.get_by_role("link", name="复议决定书.pdf")).to_be_visible()
    due = calendar().add_working_days(timezone.localdate(), 3).date
    _menu(page, "异议申请").click()
    row = page.get_by_role("row").filter(has_text=objection.number)
    expect(row).to_contain_text("已收到")
    expect(row).to_contain_text(due.isoformat())
    shoot(page, "portal-objections")

    # 第二十条: the officer accepts it (3 working days), upholds it voiding the penalty, tells.
    staff = officer_page
    staff.goto(f"/objections/{objection.pk}/")
    expect(staff.get_by_role("link", name="复议决定书.pdf")).to_be_visible()
    staff.get_by_role("radio", name="本局自行处理（3个工作日）").check()
    staff.get_by_role("button", name="受理").click()
    expect(staff.get_by_role("status")).to_contain_text("异议已受理")
    expect(_fact(staff, "处理并告知期限")).to_contain_text(due.isoformat())

    staff.get_by_role("radio", name="异议成立").check()
    staff.get_by_label("处理理由").fill("经核实，该处罚决定已被行政复议撤销。")
    staff.get_by_label("异议成立时").select_option(label="作废")
    staff.get_by_role("button", name="作出决定").click()
    expect(staff.get_by_role("status")).to_contain_text("处理决定已作出")
    expect(staff.locator("#records")).to_contain_text("已作废")
    staff.get_by_role("button", name="告知").click()
    expect(staff.get_by_role("status")).to_contain_text("已告知申请人")
    shoot(staff, "objection-notified")

    staff.goto(f"/employers/{employer.uscc}/")
    expect(staff.locator("#grade .grade-now")).not_to_contain_text("C级")
    assert EmployerGrade.objects.get(employer=employer).grade != "C"

    # Back in the portal: the notice, and the grade no longer C.
    page.get_by_role("link", name=objection.number).click()
    expect(page.get_by_role("status")).to_contain_text("异议成立")
    expect(page.get_by_role("status")).to_contain_text("信用等级已重新评价")
    shoot(page, "portal-objection-notified")
    _menu(page, "信用等级").click()
    expect(page.locator("#grade .grade-now")).to_be_visible()
    expect(page.locator("#grade .grade-now")).not_to_contain_text("C级")


def test_a_paper_objection_received_on_the_eve_of_national_day_2025_is_due_after_the_holiday(
    page, sign_in, officer
):
    eve = D(2025, 9, 30)
    cal = Calendar()
    # By hand: Oct 1–8 off; Oct 9 (Thu), 10 (Fri) and the 调休 Saturday Oct 11 are working days 1–3;
    # then Oct 13–17 and 20–21 are 4–10.
    self_due, verify_due = cal.add_working_days(eve, 3), cal.add_working_days(eve, 10)
    assert (self_due.date, verify_due.date) == (D(2025, 10, 11), D(2025, 10, 21))
    assert not self_due.provisional and not verify_due.provisional

    employer = EmployerFactory(name="舞钢市垭口商贸有限公司")
    record_create(employer=employer, type="violation_found", date=D(2025, 8, 20), case=CASE,
                  actor="xinyong")  # fmt: skip
    penalty = record_create(employer=employer, type="penalty_imposed", date=D(2025, 9, 1),
                            case=CASE, actor="xinyong")  # fmt: skip
    sign_in(officer)

    # 第十九条: registered on paper with the day the bureau received it; accepted as self-handled.
    page.goto("/objections/new/")
    page.get_by_label("统一社会信用代码").fill(employer.uscc)
    page.get_by_role("button", name="查找单位").click()
    expect(page.get_by_role("heading", name=employer.name, level=2)).to_be_visible()
    form = page.locator("form[method=post]")
    form.get_by_label("收到日期").fill(eve.isoformat())
    form.get_by_label("异议事项").select_option(label="信用记录")
    form.get_by_role("checkbox", name=f"2025-09-01 {penalty.get_type_display()} {CASE}").check()
    form.get_by_label("异议理由").fill("处罚决定书送达地址有误")
    check_page(page, "objection-paper-form")
    form.get_by_role("button", name="登记").click()
    expect(page.get_by_role("status")).to_contain_text("书面异议已登记")
    expect(_fact(page, "收到日期")).to_contain_text("2025-09-30")
    page.get_by_role("radio", name="本局自行处理（3个工作日）").check()
    page.get_by_role("button", name="受理").click()
    expect(page.get_by_role("status")).to_contain_text("异议已受理")
    expect(_fact(page, "处理并告知期限")).to_contain_text(self_due.date.isoformat())
    check_page(page, "objection-detail")

    # 第二十条: another, to be verified with another department: 10 working days, with the reason.
    other = file_paper(employer, [], subject="grade", received_on=eve, actor="xinyong")
    page.goto(f"/objections/{other.pk}/")
    page.get_by_role("radio", name="需向有关部门核实（10个工作日）").check()
    page.get_by_label("需向有关部门核实的原因").fill("需向市场监管部门核实登记信息")
    page.get_by_role("button", name="受理").click()
    expect(page.get_by_role("status")).to_contain_text("异议已受理")
    expect(_fact(page, "处理方式")).to_contain_text("需向市场监管部门核实登记信息")
    expect(_fact(page, "处理并告知期限")).to_contain_text(verify_due.date.isoformat())


def test_the_repair_due_list_shows_an_employer_to_adjust_from_its_cycle_end_not_the_day_before(
    page, sign_in, officer
):
    penalty_date = D(2025, 3, 10)
    employer = EmployerFactory(name="舞钢市寺坡建筑工程有限公司")
    for type_, day in (("violation_found", penalty_date), ("penalty_imposed", penalty_date),
                       ("violation_corrected", D(2025, 4, 1)),
                       ("penalty_fulfilled", D(2025, 5, 6))):  # fmt: skip
        record_create(employer=employer, type=type_, date=day, case=CASE, actor="xinyong")
    end = cycle_end(penalty_date)
    deadline = Calendar().add_working_days(end, 5).date
    assert (end, deadline) == (D(2026, 3, 10), D(2026, 3, 17))  # Mar 11–13, 16, 17
    sign_in(officer)

    page.goto(f"/repair/?as_of={(end - datetime.timedelta(days=1)).isoformat()}")
    expect(page.get_by_role("heading", name="信用修复（第二十一条）", level=1)).to_be_visible()
    expect(page.locator("#due")).not_to_contain_text(employer.name)
    expect(
        page.locator("#upcoming").get_by_role("row").filter(has_text=employer.name)
    ).to_contain_text(end.isoformat())

    page.get_by_label("日期").fill(end.isoformat())
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_text(f"截至 {end.isoformat()}。")).to_be_visible()
    row = page.locator("#due").get_by_role("row").filter(has_text=employer.name)
    expect(row).to_contain_text(end.isoformat())
    expect(row).to_contain_text(deadline.isoformat())
    expect(page.locator("#due h2")).to_contain_text("待调整")
    check_page(page, "repair-due")


def test_an_employer_typing_another_employer_s_objection_address_gets_a_not_found_page(
    page, live_server, watch
):
    account_a, _ = open_account(name="舞钢市八台纺织有限公司")
    b = EmployerFactory(name="舞钢市尚店物流有限公司")
    objection_b = file_paper(b, [], subject="grade", received_on=D(2025, 9, 30))
    _portal_sign_in(page, live_server, account_a)
    page.goto("/portal/objections/")
    expect(page.get_by_role("heading", name="异议申请", level=1)).to_be_visible()
    expect(page.get_by_text(objection_b.number)).to_have_count(0)

    watch.allow("status of 404")
    response = page.goto(f"/portal/objections/{objection_b.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_contain_text("不存在")
    body = page.locator("body").inner_text()
    assert b.name not in body and objection_b.number not in body and b.uscc not in body
