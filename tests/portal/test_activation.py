"""第十八条: the bureau opens an employer's account; the employer sets its password with a one-time code."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from laborcredit.audit.models import AuditEntry
from laborcredit.lib.errors import Refused
from laborcredit.portal.models import ActivationCode, EmployerAccount
from laborcredit.portal.services import (
    CODE_MAX_FAILURES,
    account_activate,
    activation_code_issue,
    employer_account_create,
    employer_account_disable,
)
from tests.accounts.helpers import make_user
from tests.factories import EmployerFactory, make_uscc
from tests.portal.helpers import (
    ACTIVATE,
    NEW_PASSWORD,
    PASSWORD,
    is_logged_in,
    logged_in_as,
    open_account,
    portal_login,
)
from tests.web.helpers import assert_described

pytestmark = pytest.mark.django_db


def activate_page(client, uscc, code, password=PASSWORD, again=None):
    return client.post(
        ACTIVATE,
        {"uscc": uscc, "code": code, "password": password, "password_again": again or password},
    )


def test_an_account_opened_without_a_password_waits_for_its_activation_code(client):
    account, code = open_account(password=None)
    assert code and len(code.replace("-", "")) == 16
    assert account.user.username == f"employer:{account.employer.uscc}"
    assert not account.user.has_usable_password()
    assert account.activated_at is None
    assert (
        not is_logged_in(client) and portal_login(client, account.employer.uscc).status_code == 200
    )
    assert not is_logged_in(client)


def test_the_code_is_kept_only_as_a_keyed_hash():
    account, code = open_account(password=None)
    row = ActivationCode.objects.get(account=account)
    assert code not in row.code_hash and code.replace("-", "") not in row.code_hash
    assert len(row.code_hash) == 64
    assert row.expires_at - timezone.now() > datetime.timedelta(days=13, hours=23)
    assert not AuditEntry.objects.filter(data__icontains=code.replace("-", "")[:8]).exists()


def test_the_right_code_sets_the_password_and_the_employer_can_log_in(client):
    account, code = open_account(password=None)
    response = activate_page(client, account.employer.uscc.lower(), code.lower())
    assert response.status_code == 200
    assert "账号已激活" in response.content.decode()
    account.refresh_from_db()
    assert account.activated_at is not None
    assert portal_login(client, account.employer.uscc).status_code == 302
    assert is_logged_in(client)
    assert (
        AuditEntry.objects.filter(event="account_activate", object_id=account.user.username).count()
        == 1
    )


def test_a_wrong_code_and_an_unknown_credit_code_get_the_same_answer(client):
    account, code = open_account(password=None)
    wrong = activate_page(client, account.employer.uscc, "AAAA-BBBB-CCCC-DDDD")
    unknown = activate_page(client, make_uscc(999_999), code)
    assert wrong.status_code == unknown.status_code == 400
    assert "统一社会信用代码或激活码不正确" in wrong.content.decode()
    assert "统一社会信用代码或激活码不正确" in unknown.content.decode()
    account.refresh_from_db()
    assert account.activated_at is None


def test_an_expired_code_is_refused():
    account, code = open_account(password=None)
    ActivationCode.objects.filter(account=account).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(Refused) as refused:
        account_activate(uscc=account.employer.uscc, code=code, password=PASSWORD)
    assert refused.value.codes == ["activation-expired"]
    account.user.refresh_from_db()
    assert not account.user.has_usable_password()


def test_a_code_works_once():
    account, code = open_account(password=None)
    account_activate(uscc=account.employer.uscc, code=code, password=PASSWORD)
    with pytest.raises(Refused) as refused:
        account_activate(uscc=account.employer.uscc, code=code, password=NEW_PASSWORD)
    assert refused.value.codes == ["activation-used"]
    account.user.refresh_from_db()
    assert account.user.check_password(PASSWORD)


def test_a_weak_password_is_refused_and_the_code_still_works(client):
    account, code = open_account(password=None)
    response = activate_page(client, account.employer.uscc, code, password="12345678")
    assert response.status_code == 400
    assert "密码不能全是数字" in response.content.decode()
    assert_described(response.content.decode())
    with pytest.raises(Refused) as refused:
        account_activate(uscc=account.employer.uscc, code=code, password="password")
    assert "weak-password" in refused.value.codes
    account_activate(uscc=account.employer.uscc, code=code, password=PASSWORD)
    account.user.refresh_from_db()
    assert account.user.check_password(PASSWORD)


def test_two_different_passwords_are_refused_by_the_form(client):
    account, code = open_account(password=None)
    response = activate_page(client, account.employer.uscc, code, again=NEW_PASSWORD)
    assert response.status_code == 400
    assert "两次输入的新密码不一致" in response.content.decode()
    assert_described(response.content.decode())
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ActivationCode.objects.get(account=account).used_at


def test_a_new_code_voids_the_older_one():
    account, first = open_account(password=None)
    second = activation_code_issue(account=account, actor=None)
    with pytest.raises(Refused):
        account_activate(uscc=account.employer.uscc, code=first, password=PASSWORD)
    account_activate(uscc=account.employer.uscc, code=second, password=PASSWORD)
    assert ActivationCode.objects.filter(account=account, revoked_at__isnull=False).count() == 1


def test_five_wrong_codes_void_the_open_code():
    account, code = open_account(password=None)
    for _ in range(CODE_MAX_FAILURES):
        with pytest.raises(Refused):
            account_activate(uscc=account.employer.uscc, code="WRONG-CODE", password=PASSWORD)
    with pytest.raises(Refused) as refused:
        account_activate(uscc=account.employer.uscc, code=code, password=PASSWORD)
    assert refused.value.codes == ["activation-invalid"]
    assert AuditEntry.objects.filter(event="activation_failed", outcome="failure").count() == 6
    assert not AuditEntry.objects.filter(event="login_failed").exists()


def test_a_wrong_activation_code_is_audited_as_a_failed_activation():
    account, _ = open_account(password=None)
    with pytest.raises(Refused):
        account_activate(uscc=account.employer.uscc, code="WRONG-CODE", password=PASSWORD)
    entry = AuditEntry.objects.get(event="activation_failed")
    assert entry.outcome == "failure"
    assert entry.object_id == account.user.username
    assert str(entry).startswith(f"门户账号 {account.employer.uscc} 激活失败")


def test_a_reset_code_ends_the_sessions_opened_with_the_old_password(client):
    account, _ = open_account()
    portal_login(client, account.employer.uscc)
    assert client.get("/portal/").status_code == 200
    code = activation_code_issue(account=account, actor=None)
    account_activate(uscc=account.employer.uscc, code=code, password=NEW_PASSWORD)
    assert client.get("/portal/").status_code == 302
    assert portal_login(client, account.employer.uscc, NEW_PASSWORD).status_code == 302


def test_an_account_opened_with_a_password_can_log_in_at_once(client):
    account, code = open_account()
    assert code is None and account.activated_at is not None
    assert portal_login(client, account.employer.uscc).status_code == 302
    [entry] = AuditEntry.objects.filter(
        event="employer_account_create", object_id=account.user.username
    )
    assert entry.data["employer"] == account.employer.uscc


def test_a_weak_initial_password_is_refused_and_nothing_is_created():
    employer = EmployerFactory()
    with pytest.raises(Refused) as refused:
        employer_account_create(employer=employer, actor=None, password="abc")
    assert "weak-password" in refused.value.codes
    assert not EmployerAccount.objects.exists()
    assert not get_user_model().objects.filter(username__startswith="employer:").exists()


def test_a_second_account_for_one_employer_is_refused():
    account, _ = open_account()
    with pytest.raises(Refused) as refused:
        employer_account_create(employer=account.employer, actor=None)
    assert refused.value.codes == ["duplicate-account"]
    assert EmployerAccount.objects.count() == 1


def test_an_officer_without_the_permission_cannot_open_an_account():
    inspector = make_user("wang", "inspector")
    with pytest.raises(Refused) as refused:
        employer_account_create(employer=EmployerFactory(), actor=inspector)
    assert refused.value.codes == ["permission-denied"]


def test_disabling_ends_the_sessions_and_the_open_code(client):
    account, _ = open_account()
    logged_in_as(client, account)
    assert client.get("/portal/").status_code == 200
    code = activation_code_issue(account=account, actor=None)
    employer_account_disable(account=account, actor=None)
    assert client.get("/portal/").status_code == 302
    assert portal_login(client, account.employer.uscc).status_code == 200
    assert not is_logged_in(client)
    with pytest.raises(Refused):
        account_activate(uscc=account.employer.uscc, code=code, password=NEW_PASSWORD)
    with pytest.raises(Refused) as refused:
        activation_code_issue(account=account, actor=None)
    assert refused.value.codes == ["account-disabled"]
    assert (
        AuditEntry.objects.filter(event="user_disable", object_id=account.user.username).count()
        == 1
    )
