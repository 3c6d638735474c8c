"""第十八条: the employer's login by credit code and password (IA2, IA3), and the staff login kept apart."""

from __future__ import annotations

import time

import pytest

from laborcredit.accounts.signals import SESSION_LOGIN_AT
from laborcredit.audit.models import AuditEntry
from laborcredit.portal.models import EmployerAccount
from laborcredit.portal.services import account_for_verified_claim, employer_account_disable
from tests.accounts.helpers import PASSWORD as STAFF_PASSWORD
from tests.accounts.helpers import make_user
from tests.portal.helpers import (
    LOGIN,
    PASSWORD,
    is_logged_in,
    logged_in_as,
    open_account,
    portal_login,
)

pytestmark = pytest.mark.django_db


def test_the_right_credit_code_and_password_log_in_and_are_audited(client):
    account, _ = open_account()
    response = portal_login(client, account.employer.uscc)
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert is_logged_in(client)
    [entry] = AuditEntry.objects.filter(event="login")
    assert entry.object_id == account.user.username and entry.data["site"] == "portal"
    assert account.employer.name in client.get("/portal/").content.decode()


def test_the_credit_code_is_normalised_before_login(client):
    account, _ = open_account()
    typed = " " + account.employer.uscc.lower()[:9] + " " + account.employer.uscc.lower()[9:]
    assert portal_login(client, typed).status_code == 302


def test_a_credit_code_typed_in_full_width_characters_logs_in(client):
    account, _ = open_account()
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in account.employer.uscc)
    assert portal_login(client, full_width).status_code == 302


def test_a_wrong_password_and_an_unknown_code_get_the_same_generic_answer(client):
    account, _ = open_account()
    wrong = portal_login(client, account.employer.uscc, "Wrong-Password-1").content.decode()
    unknown = portal_login(client, "91410481MA00000000", PASSWORD).content.decode()
    assert "统一社会信用代码或密码不正确" in wrong
    assert "统一社会信用代码或密码不正确" in unknown
    assert not is_logged_in(client)
    assert AuditEntry.objects.filter(event="login_failed").count() == 2


def test_five_failures_lock_the_employer_out_even_with_the_right_password(client):
    account, _ = open_account()
    statuses = [
        portal_login(client, account.employer.uscc, "Wrong-Password-1").status_code
        for _ in range(5)
    ]
    assert statuses[:4] == [200, 200, 200, 200] and statuses[4] == 429
    response = portal_login(client, account.employer.uscc)
    assert response.status_code == 429
    page = response.content.decode()
    assert "30 分钟" in page and "用人单位登录" in page  # the portal's own page, not the staff one
    assert not is_logged_in(client)
    assert AuditEntry.objects.filter(event="lockout").count() == 1


def test_failures_on_the_portal_lock_the_portal_address_but_never_the_staff_login(client):
    """IA2 on each site: five wrong passwords on the public portal lock that address for the
    portal (another employer from there too), not the bureau's staff login from it."""
    from laborcredit.accounts.lockout import portal_address

    first, _ = open_account()
    second, _ = open_account()
    make_user("xinyong")
    for _ in range(5):
        portal_login(client, first.employer.uscc, "Wrong-Password-1")
    assert portal_login(client, second.employer.uscc).status_code == 429
    staff = client.post("/accounts/login/", {"username": "xinyong", "password": STAFF_PASSWORD})
    assert staff.status_code == 302
    [lockout] = AuditEntry.objects.filter(event="lockout")
    assert lockout.data["address"] == "127.0.0.1"  # the real address, not the stand-in
    assert portal_address("127.0.0.1") == portal_address("127.0.0.1") != "127.0.0.1"


def test_a_staff_account_cannot_log_in_on_the_portal(client):
    make_user("zhangsan", "credit_officer")
    response = portal_login(client, "zhangsan", STAFF_PASSWORD)
    assert "统一社会信用代码或密码不正确" in response.content.decode()
    assert not is_logged_in(client)


def test_an_employer_account_is_refused_on_the_staff_login_with_the_generic_message(client):
    account, _ = open_account()
    response = client.post(
        "/accounts/login/", {"username": account.user.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "账号或密码不正确" in response.content.decode()
    assert not is_logged_in(client)
    assert not client.session.get("laborcredit_pending_login")
    assert AuditEntry.objects.filter(event="login_failed", object_id=account.user.username).exists()


def test_a_disabled_account_cannot_log_in(client):
    account, _ = open_account()
    employer_account_disable(account=account, actor=None)
    response = portal_login(client, account.employer.uscc)
    assert "统一社会信用代码或密码不正确" in response.content.decode()
    assert not is_logged_in(client)


def test_a_staff_user_logged_in_gets_403_on_every_employer_page(client):
    client.force_login(make_user("zhangsan", "credit_officer"))
    for path in ("/portal/", "/portal/records/", "/portal/history/", "/portal/objections/",
                 "/portal/objections/new/", "/portal/objections/1/", "/portal/repair/",
                 "/portal/objections/1/attachments/1/"):  # fmt: skip
        assert client.get(path).status_code == 403, path


def test_anonymous_visitors_go_to_the_portal_login(client):
    for path in ("/portal/", "/portal/records/", "/portal/history/", "/portal/objections/",
                 "/portal/objections/new/", "/portal/objections/1/", "/portal/repair/"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next={path}"


def test_an_employer_is_sent_back_to_the_portal_from_staff_pages(client):
    account, _ = open_account()
    logged_in_as(client, account)
    for path in ("/employers/", "/dashboard/", "/objections/", "/accounts/password/", "/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/portal/"), path
    assert client.get("/portal/staff/accounts/").status_code == 403


def test_logout_ends_the_session(client):
    account, _ = open_account()
    portal_login(client, account.employer.uscc)
    response = client.post("/portal/logout/")
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not is_logged_in(client)
    assert client.get("/portal/").status_code == 302
    assert AuditEntry.objects.filter(event="logout", object_id=account.user.username).count() == 1


def test_a_session_past_its_lifetime_goes_back_to_the_portal_login(client, settings):
    account, _ = open_account()
    portal_login(client, account.employer.uscc)
    session = client.session
    session[SESSION_LOGIN_AT] = time.time() - (settings.LABORCREDIT_SESSION_MAX_HOURS * 3600 + 60)
    session.save()
    response = client.get("/portal/records/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?expired=1"
    assert "登录已超时" in client.get(response["Location"]).content.decode()


def test_the_next_page_must_be_a_portal_page(client):
    account, _ = open_account()
    response = client.post(
        LOGIN,
        {"uscc": account.employer.uscc, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/portal/"
    client.post("/portal/logout/")
    response = client.post(
        LOGIN, {"uscc": account.employer.uscc, "password": PASSWORD, "next": "/portal/history/"}
    )
    assert response["Location"] == "/portal/history/"


def test_no_single_sign_on_entry_without_configuration(client):
    assert "统一身份认证" not in client.get(LOGIN).content.decode()


def test_the_single_sign_on_entry_shows_when_configured(client, settings):
    settings.LABORCREDIT_PORTAL_OIDC = {
        "start_url": "/portal/oidc/authenticate/",
        "uscc_claim": "tyshxydm",
    }
    page = client.get(LOGIN).content.decode()
    assert "使用河南省统一身份认证登录" in page and "/portal/oidc/authenticate/" in page


def test_a_verified_claim_maps_to_its_enabled_employer_account_only(settings):
    settings.LABORCREDIT_PORTAL_OIDC = {"start_url": "/sso/", "uscc_claim": "tyshxydm"}
    account, _ = open_account()
    other, _ = open_account()
    found = account_for_verified_claim({"tyshxydm": account.employer.uscc.lower()})
    assert isinstance(found, EmployerAccount) and found.pk == account.pk
    assert account_for_verified_claim({"uscc": account.employer.uscc}) is None  # wrong claim
    assert account_for_verified_claim({"tyshxydm": "not-a-code"}) is None
    employer_account_disable(account=other, actor=None)
    assert account_for_verified_claim({"tyshxydm": other.employer.uscc}) is None
