"""第十八条 on a phone: employers open the portal on one, so every portal page must fit a 375 px
screen (no sideways scrolling), with its heading, the main menu and its controls in reach."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from laborcredit.credit.services import record_correct, record_create
from tests.browser.conftest import offline_page
from tests.browser.helpers import SCREENSHOTS
from tests.objections.helpers import PDF, file_paper, notified
from tests.portal.helpers import PASSWORD, open_account

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 667}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}  # fmt: skip
# A real name of this length breaks a one-line masthead (it made every page 558 px wide).
LONG_NAME = "舞钢市钢城机械制造有限责任公司第二分公司（经营部）"
CASE = "舞人社监〔2025〕第0012号"

# One evaluation per page. A mobile browser zooms out to show a page wider than the screen, so
# window.innerWidth grows with the overflow and cannot reveal it: the layout viewport
# (documentElement.clientWidth) and the zoom are what tell.
PROBLEMS = """([phoneWidth, signedIn]) => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth || window.innerWidth > phoneWidth)
    problems.push(`页面宽 ${doc.scrollWidth}px，超出屏幕 ${phoneWidth}px，需要横向滚动`);
  if (!document.querySelector('meta[name="viewport"]')) problems.push('缺少 viewport meta 标签');
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const inside = el => { const r = el.getBoundingClientRect(); return r.left >= 0 && r.right <= phoneWidth; };
  const h1 = document.querySelector('main h1');
  if (!h1 || !shown(h1) || !inside(h1)) problems.push('正文标题（h1）不可见或超出屏幕');
  const wanted = signedIn ? ['.masthead .brand', 'nav.nav-main a', '.nav-user a', '.nav-user button']
                          : ['.masthead .brand'];
  for (const selector of wanted) {
    const found = [...document.querySelectorAll(selector)];
    if (!found.length) problems.push(`缺少 ${selector}`);
    for (const el of found) {
      const r = el.getBoundingClientRect();
      if (!shown(el) || !inside(el)) problems.push(`导航“${el.textContent.trim()}”不可见或超出屏幕`);
      else if (selector !== '.masthead .brand' && r.height < 40)
        problems.push(`导航“${el.textContent.trim()}”高 ${Math.round(r.height)}px，不便点按（至少 40px）`);
    }
  }
  const controls = 'main button, main a.button, main select, main textarea, '
                 + 'main input:not([type="hidden"]):not([type="radio"]):not([type="checkbox"])';
  for (const el of document.querySelectorAll(controls)) {
    const r = el.getBoundingClientRect();
    if (!shown(el)) continue;
    if (r.height < 40) problems.push(`控件“${(el.textContent || el.name).trim()}”高 ${Math.round(r.height)}px，不便点按（至少 40px）`);
    if (!inside(el)) problems.push(`控件“${(el.textContent || el.name).trim()}”超出屏幕`);
  }
  for (const label of document.querySelectorAll('main label:has(input[type="radio"], input[type="checkbox"])'))
    if (shown(label) && label.getBoundingClientRect().height < 40)
      problems.push(`选项“${label.textContent.trim()}”高 ${Math.round(label.getBoundingClientRect().height)}px，不便点按`);
  const small = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !shown(el) || el.closest('thead')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 14) small.add(`文字“${walker.currentNode.textContent.trim().slice(0, 12)}”仅 ${size}px（至少 14px）`);
  }
  return problems.concat([...small]);
}"""


@pytest.fixture
def phone(browser: Any, live_server: Any, watch: Any) -> Iterator[Any]:
    """A 375×667 touch phone (2× screen), offline but for the live server, console watched."""
    with offline_page(browser, live_server, watch, **PHONE) as phone:
        yield phone


def test_every_portal_page_fits_a_phone_with_its_heading_menu_and_controls_in_reach(
    phone, settings, tmp_path
):
    settings.DATA_DIR = tmp_path / "data"
    account, code = open_account(password=None, name=LONG_NAME)
    employer = account.employer
    day = datetime.date.today() - datetime.timedelta(days=40)
    found = record_create(
        employer=employer,
        type="violation_found",
        date=day,
        case=CASE,
        actor="xinyong",
        description="未按时足额支付劳动者工资，涉及 23 人",
    )
    penalty = record_create(
        employer=employer,
        type="penalty_imposed",
        date=day,
        case=CASE,
        actor="xinyong",
        document_number="舞人社监罚字〔2025〕第0012-3号",
        issuing_body="舞钢市人力资源和社会保障局劳动保障监察大队",
    )
    record_correct(
        record=penalty,
        reason="文书号录入有误，依据原件更正",
        actor="xinyong",
        document_number="舞人社监罚字〔2025〕第0012-4号",
    )
    answered = notified(employer, found, received_on=day)
    waiting = file_paper(employer, [], subject="grade", received_on=datetime.date.today(),
                         attachments=[SimpleUploadedFile("补发工资签收表（全体劳动者签字确认）.pdf",
                                                         PDF, "application/pdf")])  # fmt: skip

    problems: dict[str, list[str]] = {}

    def check(name: str, signed_in: bool = True) -> None:
        phone.wait_for_load_state()  # the stylesheets too, after a tap that navigated
        seen = phone.evaluate(PROBLEMS, [PHONE["viewport"]["width"], signed_in])
        if seen:
            problems[name] = seen
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            phone.screenshot(path=SCREENSHOTS / f"portal-phone-{name}.png", full_page=True)

    # 第十八条: activation and login, typed on the phone.
    phone.goto("/portal/activate/")
    check("activate", signed_in=False)
    phone.get_by_label("统一社会信用代码").fill(employer.uscc)
    phone.get_by_label("激活码").fill(code)
    phone.get_by_label("新密码：", exact=True).fill(PASSWORD)
    phone.get_by_label("再次输入新密码").fill(PASSWORD)
    phone.get_by_role("button", name="激活并设置密码").tap()
    expect(phone.get_by_role("status")).to_contain_text("账号已激活")
    check("activated", signed_in=False)
    phone.get_by_role("link", name="去登录").tap()
    expect(phone.get_by_role("heading", name="用人单位登录", level=1)).to_be_visible()
    check("login", signed_in=False)
    phone.get_by_label("统一社会信用代码").fill(employer.uscc)
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").tap()
    expect(phone.get_by_role("heading", name=LONG_NAME, level=1)).to_be_visible()

    for name, path in (
        ("home", "/portal/"),
        ("records", "/portal/records/"),
        ("history", "/portal/history/"),
        ("objections", "/portal/objections/"),
        ("objection-new", "/portal/objections/new/"),
        ("objection-waiting", f"/portal/objections/{waiting.pk}/"),
        ("objection-answered", f"/portal/objections/{answered.pk}/"),
        ("repair", "/portal/repair/"),
        ("password", "/portal/password/"),
    ):
        phone.goto(path)
        check(name)

    assert problems == {}, (
        f"在 375×667 的手机屏幕上（截图见 {SCREENSHOTS}/portal-phone-*.png）：{problems}"
    )
