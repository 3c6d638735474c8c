"""第十八条, the bureau's side: credit officers open employer accounts and hand over activation codes."""

from __future__ import annotations

import pytest
from django.test import Client

from laborcredit.accounts.roles import ROLES
from laborcredit.audit.models import AuditEntry
from laborcredit.portal.models import ActivationCode, EmployerAccount
from laborcredit.portal.services import account_activate
from tests.accounts.helpers import make_user
from tests.factories import EmployerFactory, make_uscc
from tests.portal.helpers import PASSWORD, open_account

pytestmark = pytest.mark.django_db

ACCOUNTS = "/portal/staff/accounts/"
NEW = "/portal/staff/accounts/new/"


def officer(client, role="credit_officer"):
    client.force_login(make_user(f"staff_{role}", role))
    return client


@pytest.mark.parametrize("role", sorted(ROLES))
def test_only_credit_officers_may_use_the_account_pages(client, role):
    account, _ = open_account()
    officer(client, role)
    allowed = role == "credit_officer"
    pages = [("get", ACCOUNTS), ("get", NEW), ("post", NEW),
             ("post", f"{ACCOUNTS}{account.pk}/code/"),
             ("post", f"{ACCOUNTS}{account.pk}/disable/")]  # fmt: skip
    for method, path in pages:
        status = getattr(client, method)(path).status_code
        assert (status != 403) if allowed else (status == 403), (role, method, path, status)
    account.refresh_from_db()
    assert account.disabled == allowed


def test_anonymous_staff_pages_go_to_the_staff_login(client):
    response = client.get(ACCOUNTS)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_officer_opens_an_account_and_sees_the_code_once_with_its_expiry(client):
    employer = EmployerFactory(name="舞钢市开通测试有限公司")
    officer(client)
    response = client.post(NEW, {"uscc": employer.uscc.lower()})
    assert response.status_code == 200
    body = response.content.decode()
    assert "激活码只显示这一次" in body and "有效期至" in body and employer.uscc in body
    assert response["Cache-Control"].count("no-store") == 1
    code = body.split('<span class="code">')[1].split("</span>")[0]
    account = EmployerAccount.objects.get(employer=employer)
    assert account.created_by == "staff_credit_officer"
    assert code not in client.get(ACCOUNTS).content.decode()  # never shown again
    assert "待激活" in client.get(ACCOUNTS).content.decode()
    account_activate(uscc=employer.uscc, code=code, password=PASSWORD)
    assert "已激活" in client.get(ACCOUNTS).content.decode()


def test_a_bad_or_unknown_code_or_a_second_account_is_refused_in_chinese(client):
    officer(client)
    bad = client.post(NEW, {"uscc": "91410481MA0000000X"})
    assert bad.status_code == 400 and "统一社会信用代码无效" in bad.content.decode()
    unknown = client.post(NEW, {"uscc": make_uscc(888_888)})
    assert unknown.status_code == 400 and "未找到统一社会信用代码" in unknown.content.decode()
    account, _ = open_account()
    twice = client.post(NEW, {"uscc": account.employer.uscc})
    assert twice.status_code == 400 and "已开通用人单位账号" in twice.content.decode()
    assert EmployerAccount.objects.count() == 1


def test_reissuing_a_code_voids_the_old_one_and_is_audited(client):
    account, _ = open_account(password=None)
    officer(client)
    response = client.post(f"{ACCOUNTS}{account.pk}/code/")
    assert response.status_code == 200 and "此前发放的激活码已失效" in response.content.decode()
    assert ActivationCode.objects.filter(account=account, revoked_at__isnull=True).count() == 1
    assert (
        AuditEntry.objects.filter(
            event="activation_code_issue", object_id=account.user.username
        ).count()
        == 1
    )


def test_the_code_and_disable_actions_need_post(client):
    account, _ = open_account()
    officer(client)
    assert client.get(f"{ACCOUNTS}{account.pk}/code/").status_code == 405
    assert client.get(f"{ACCOUNTS}{account.pk}/disable/").status_code == 405
    assert client.post(f"{ACCOUNTS}999999/disable/").status_code == 404


def test_disabling_twice_is_refused_in_chinese(client):
    account, _ = open_account()
    officer(client)
    assert client.post(f"{ACCOUNTS}{account.pk}/disable/").status_code == 302
    again = client.post(f"{ACCOUNTS}{account.pk}/disable/")
    assert again.status_code == 400 and "该账号已停用" in again.content.decode()
    assert "已停用" in client.get(ACCOUNTS).content.decode()


def test_the_list_finds_an_account_by_code_or_name(client):
    first, _ = open_account(name="舞钢市甲查询有限公司")
    open_account(name="舞钢市乙查询有限公司")
    officer(client)
    body = client.get(ACCOUNTS, {"q": first.employer.uscc}).content.decode()
    assert "舞钢市甲查询有限公司" in body and "舞钢市乙查询有限公司" not in body
    body = client.get(ACCOUNTS, {"q": "乙查询"}).content.decode()
    assert "舞钢市乙查询有限公司" in body and "舞钢市甲查询有限公司" not in body


def test_a_new_code_for_an_activated_account_resets_its_password_and_ends_its_sessions(client):
    from tests.portal.helpers import is_logged_in, logged_in_as, portal_login

    account, _ = open_account()
    employer_client = Client()
    logged_in_as(employer_client, account)
    assert employer_client.get("/portal/").status_code == 200
    client.force_login(make_user("xinyong", "credit_officer"))
    client.post(f"{ACCOUNTS}{account.pk}/code/")
    assert employer_client.get("/portal/").status_code == 302  # its session ended
    assert portal_login(Client(), account.employer.uscc).status_code == 200  # old password refused
    assert not is_logged_in(employer_client)


def test_an_account_opened_at_the_command_line_names_it_as_the_audit_log_does(client, monkeypatch):
    from laborcredit.audit.events import actor_label

    monkeypatch.setenv("LABORCREDIT_ACTOR", "root")
    open_account()  # opened with no staff user: the command line's
    page = officer(client).get(ACCOUNTS).content.decode()
    assert "命令行（root）" in page and actor_label("cli:root") == "命令行（root）"
    assert "cli:root" not in page
