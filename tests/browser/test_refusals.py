"""A role that may not act is refused by the server (403), not only by a missing button."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from laborcredit.credit.models import CreditRecord
from tests.browser.helpers import shoot
from tests.factories import EmployerFactory

pytestmark = pytest.mark.browser


def test_an_inspector_sees_no_entry_button_and_the_entry_page_refuses_in_chinese(
    page, sign_in, inspector, watch
):
    employer = EmployerFactory(name="舞钢市钢城机械制造有限公司")
    sign_in(inspector)
    page.goto(f"/employers/{employer.uscc}/")
    expect(page.get_by_role("heading", name=employer.name, level=1)).to_be_visible()
    expect(page.locator("#grade .grade-now")).to_contain_text("A级")
    expect(page.get_by_role("link", name="登记信用记录")).to_have_count(0)

    watch.allow("status of 403")  # Chromium logs the 403 document as a console error
    response = page.goto(f"/employers/{employer.uscc}/records/new/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
    expect(page.get_by_text("请联系安全管理员")).to_be_visible()
    shoot(page, "forbidden")
    assert not CreditRecord.objects.filter(employer=employer).exists()
