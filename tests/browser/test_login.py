"""The login form in a real browser: password, then the TOTP second factor (IA1–IA4), by keyboard."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from laborcredit.audit.models import AuditEntry
from tests.accounts.helpers import PASSWORD, make_user
from tests.browser.helpers import shoot

pytestmark = pytest.mark.browser


def code_from_secret(secret: str) -> str:
    """What the authenticator app shows for the secret printed on the enrolment page."""
    totp = TOTP(base64.b32decode(secret), step=30, t0=0, digits=6)
    return f"{totp.token():06d}"  # leading zeros kept, as the app shows them


@pytest.fixture
def two_factor(settings):
    settings.LABORCREDIT_REQUIRE_2FA = True  # the production default, whatever a demo sets


def test_a_new_account_logs_in_by_keyboard_enrolling_its_authenticator(page, two_factor):
    user = make_user("wangwu", must_change=False)
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    shoot(page, "login")

    page.get_by_label("账号").fill("wangwu")  # the field has focus (autofocus) …
    expect(page.get_by_label("账号")).to_be_focused()
    page.keyboard.press("Tab")  # … Tab moves to the password
    expect(page.get_by_label("密码")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="动态验证码")).to_be_visible()
    expect(page.get_by_text("首次登录")).to_be_visible()
    secret = page.locator("code").inner_text()
    shoot(page, "otp-enrolment")
    token = page.get_by_label("动态验证码")
    expect(token).to_be_focused()
    token.fill(code_from_secret(secret))
    token.press("Enter")

    expect(page.get_by_role("heading", name="信用等级评价规则")).to_be_visible()
    expect(page.get_by_text("wangwu", exact=False).first).to_be_visible()
    assert TOTPDevice.objects.get(user=user).confirmed
    login = AuditEntry.objects.filter(event="login").latest("seq")
    assert login.object_id == "wangwu" and login.data["second_factor"] == "totp"


def test_a_wrong_password_gets_the_generic_chinese_message_and_no_second_step(page, two_factor):
    make_user("wangwu", must_change=False)
    page.goto("/accounts/login/")
    page.get_by_label("账号").fill("wangwu")
    page.get_by_label("密码").fill("Not-The-Password-1")
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("alert")).to_have_text("账号或密码不正确")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    expect(page.get_by_label("账号")).to_have_value("wangwu")
    assert "/accounts/login/" in page.url
    assert AuditEntry.objects.filter(event="login_failed").count() == 1
