"""IA2–IA4: password then TOTP, enrolment, replay, lockout and cool-off, forced password change."""

import base64
import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.helpers import NEW_PASSWORD, PASSWORD, code_for, entries, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
OTP = "/accounts/login/otp/"


def password_step(client, username="zhangsan", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def logged_in(client):
    return "_auth_user_id" in client.session


def test_password_alone_does_not_log_in_when_2fa_is_required(client):
    make_user(device=True)
    response = password_step(client)
    assert response.status_code == 302 and response["Location"].startswith(OTP)
    assert not logged_in(client)
    assert client.get("/accounts/password/").status_code == 302


def test_password_and_a_fresh_code_log_in_once_audited(client):
    user = make_user(device=True)
    password_step(client)
    response = client.post(OTP, {"token": code_for(user.totpdevice_set.get())})
    assert response.status_code == 302
    assert logged_in(client)
    [entry] = entries("login")
    assert entry.object_id == "zhangsan" and entry.data == {"second_factor": "totp"}


def test_a_code_works_once(client):
    user = make_user(device=True)
    device = user.totpdevice_set.get()
    code = code_for(device)
    password_step(client)
    client.post(OTP, {"token": code})
    client.post("/accounts/logout/")
    other = Client()
    password_step(other)
    response = other.post(OTP, {"token": code})
    assert response.status_code == 200
    assert "已使用过" in response.content.decode()
    assert not logged_in(other)
    assert len(entries("login")) == 1


def test_a_wrong_code_is_refused_and_audited(client):
    make_user(device=True)
    password_step(client)
    response = client.post(OTP, {"token": "000000"})
    assert response.status_code == 200 and not logged_in(client)
    [entry] = entries("login_failed")
    assert entry.data == {"factor": "totp"}


def test_five_wrong_codes_lock_the_account_like_five_wrong_passwords(client):
    user = make_user(device=True)
    password_step(client)
    statuses = [client.post(OTP, {"token": "000000"}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert not client.session.get("laborcredit_pending_login")
    assert len(entries("lockout")) == 1
    # Locked: the right password and a right code do not help for 30 minutes.
    assert password_step(client).status_code == 429
    client.post(OTP, {"token": code_for(user.totpdevice_set.get())})
    assert not logged_in(client)


def test_wrong_codes_and_wrong_passwords_add_up(client):
    make_user(device=True)
    for _ in range(3):
        password_step(client, password="Wrong-Password-1")
    password_step(client)
    assert client.post(OTP, {"token": "000000"}).status_code == 200
    assert client.post(OTP, {"token": "000000"}).status_code == 429


def test_first_login_enrols_a_device_with_a_qr_code_and_its_secret(client):
    make_user()
    password_step(client)
    page = client.get(OTP).content.decode()
    assert "<svg" in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    device = TOTPDevice.objects.get(user__username="zhangsan")
    assert not device.confirmed
    assert base64.b32encode(device.bin_key).decode() in page
    client.post(OTP, {"token": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed and logged_in(client)


def test_the_otp_page_without_a_password_goes_back_to_login(client):
    response = client.get(OTP)
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_the_demo_may_switch_2fa_off_and_says_so(client, settings):
    settings.LABORCREDIT_REQUIRE_2FA = False
    make_user()
    assert "演示环境：未启用双因素认证" in client.get(LOGIN).content.decode()
    password_step(client)
    assert logged_in(client)
    assert entries("login")[0].data == {"second_factor": "none"}


def test_the_login_page_with_2fa_on_makes_no_demo_claim(client):
    assert "演示环境" not in client.get(LOGIN).content.decode()


def test_a_failed_login_is_audited_once_without_the_password(client):
    make_user(device=True)
    response = password_step(client, password="Wrong-Password-1")
    page = response.content.decode()
    assert "账号或密码不正确" in page
    [entry] = entries("login_failed")
    assert entry.object_id == "zhangsan"
    assert "Wrong-Password-1" not in str(entry.data) + entry.object_id


def test_an_unknown_account_gets_the_same_message(client):
    make_user(device=True)
    unknown = password_step(client, username="nobody").content.decode()
    wrong = password_step(client, password="Wrong-Password-1").content.decode()
    assert "账号或密码不正确" in unknown and "账号或密码不正确" in wrong


def test_a_disabled_account_cannot_log_in(client):
    user = make_user(device=True)
    user.is_active = False
    user.save()
    assert "账号或密码不正确" in password_step(client).content.decode()


def fail_five_times(client, username="zhangsan", **extra):
    for _ in range(5):
        password_step(client, username=username, password="Wrong-Password-1", **extra)


def test_five_failures_lock_the_account_even_for_the_right_password(client):
    make_user(device=True)
    fail_five_times(client)
    response = password_step(client)
    assert response.status_code == 429
    assert "30 分钟" in response.content.decode()
    assert "密码不正确" not in response.content.decode()
    assert not client.session.get("laborcredit_pending_login")
    [entry] = entries("lockout")
    assert entry.object_id == "zhangsan"


def test_the_lockout_is_audited_once_however_often_it_is_hit(client):
    make_user(device=True)
    fail_five_times(client)
    for _ in range(3):
        password_step(client)
    assert len(entries("lockout")) == 1


def test_the_source_address_is_locked_too(client):
    make_user("lisi", device=True)
    for name in ("a1", "a2", "a3", "a4", "a5"):
        password_step(client, username=name, password="Wrong-Password-1")
    assert password_step(client, username="lisi").status_code == 429


def test_the_account_is_locked_from_another_address(client):
    make_user(device=True)
    fail_five_times(client, REMOTE_ADDR="10.0.0.1")
    assert password_step(client, REMOTE_ADDR="10.0.0.2").status_code == 429


def test_after_the_30_minute_cool_off_the_right_password_works(client):
    make_user(device=True)
    fail_five_times(client)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=29))
    assert password_step(client).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    response = password_step(client)
    assert response.status_code == 302 and response["Location"].startswith(OTP)


def test_first_login_forces_a_password_change(client, settings):
    settings.LABORCREDIT_REQUIRE_2FA = False
    make_user(must_change=True)
    password_step(client)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/password/")
    client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )
    assert logged_in(client)
    assert client.get("/").status_code == 200
    assert len(entries("password_change")) == 1


def test_a_weak_new_password_is_explained_in_chinese(client, settings):
    settings.LABORCREDIT_REQUIRE_2FA = False
    make_user(must_change=True)
    password_step(client)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": "abcdefgh", "new_password_again": "abcdefgh"},
    )
    assert response.status_code == 200
    assert "至少包含" in response.content.decode()


def test_an_expired_password_must_be_changed_when_rotation_is_on(client, settings):
    settings.LABORCREDIT_REQUIRE_2FA = False
    settings.LABORCREDIT_PASSWORD_MAX_AGE_DAYS = 90
    user = make_user()
    user.account_profile.password_changed_at = timezone.now() - datetime.timedelta(days=91)
    user.account_profile.save()
    password_step(client)
    assert client.get("/")["Location"].startswith("/accounts/password/?why=expired")
    settings.LABORCREDIT_PASSWORD_MAX_AGE_DAYS = 0
    assert client.get("/").status_code == 200


def test_the_admin_login_form_is_not_a_way_around_the_second_factor(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
