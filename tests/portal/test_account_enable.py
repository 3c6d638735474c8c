"""第十八条, the bureau's side: a disabled employer account enabled again, with a fresh activation
code; the password it had before stays void."""

from __future__ import annotations

import pytest
from django.test import Client

from laborcredit.audit.models import AuditEntry
from laborcredit.lib.errors import Refused
from laborcredit.portal.models import ActivationCode, EmployerAccount
from laborcredit.portal.services import (
    account_activate,
    employer_account_disable,
    employer_account_enable,
)
from tests.accounts.helpers import make_user
from tests.portal.helpers import NEW_PASSWORD, is_logged_in, open_account, portal_login

pytestmark = pytest.mark.django_db

ACCOUNTS = "/portal/staff/accounts/"


def disabled(password_set=True):
    account, code = open_account() if password_set else open_account(password=None)
    employer_account_disable(account=account, actor=None)
    return EmployerAccount.objects.select_related("user", "employer").get(pk=account.pk), code


def officer(client):
    client.force_login(make_user("staff_officer", "credit_officer"))
    return client


def test_an_enabled_account_logs_in_only_after_setting_a_new_password_with_the_new_code():
    account, _ = disabled()
    code = employer_account_enable(account=account, actor=None)
    account.refresh_from_db()
    account.user.refresh_from_db()
    assert not account.disabled and account.user.is_active
    assert not account.user.has_usable_password()
    old = Client()
    assert portal_login(old, account.employer.uscc).status_code == 200  # the old password is void
    assert not is_logged_in(old)
    account_activate(uscc=account.employer.uscc, code=code, password=NEW_PASSWORD)
    new = Client()
    assert portal_login(new, account.employer.uscc, NEW_PASSWORD).status_code == 302
    assert new.get("/portal/").status_code == 200


def test_enabling_writes_one_enable_and_one_code_entry():
    account, _ = disabled()
    code = employer_account_enable(account=account, actor=None)
    username = account.user.username
    [enable] = AuditEntry.objects.filter(event="user_enable", object_id=username)
    assert enable.data["kind"] == "employer"
    assert AuditEntry.objects.filter(event="activation_code_issue", object_id=username).count() == 1
    assert code.replace("-", "")[:8] not in str(enable.data)


def test_the_code_open_before_disabling_stays_void():
    account, before = disabled(password_set=False)
    employer_account_enable(account=account, actor=None)
    with pytest.raises(Refused):
        account_activate(uscc=account.employer.uscc, code=before, password=NEW_PASSWORD)
    assert ActivationCode.objects.filter(account=account, revoked_at__isnull=True).count() == 1


def test_an_account_never_activated_can_be_activated_after_enabling():
    account, _ = disabled(password_set=False)
    code = employer_account_enable(account=account, actor=None)
    account_activate(uscc=account.employer.uscc, code=code, password=NEW_PASSWORD)
    account.refresh_from_db()
    assert account.activated_at is not None
    assert portal_login(Client(), account.employer.uscc, NEW_PASSWORD).status_code == 302


def test_enabling_an_account_that_is_not_disabled_is_refused_and_changes_nothing():
    account, _ = open_account()
    with pytest.raises(Refused) as refused:
        employer_account_enable(account=account, actor=None)
    assert refused.value.codes == ["account-not-disabled"]
    assert not AuditEntry.objects.filter(event="user_enable").exists()
    assert not ActivationCode.objects.filter(account=account).exists()
    assert portal_login(Client(), account.employer.uscc).status_code == 302  # password untouched


def test_enabling_needs_the_permission_that_disabling_needs():
    account, _ = disabled()
    with pytest.raises(Refused) as refused:
        employer_account_enable(account=account, actor=make_user("wang", "inspector"))
    assert refused.value.codes == ["permission-denied"]
    account.refresh_from_db()
    assert account.disabled
    employer_account_enable(account=account, actor=make_user("li", "credit_officer"))
    account.refresh_from_db()
    assert not account.disabled


def test_the_list_offers_enable_beside_a_disabled_account_only(client):
    active, _ = open_account(name="舞钢市甲启用有限公司")
    off, _ = disabled()
    body = officer(client).get(ACCOUNTS).content.decode()
    assert f"{ACCOUNTS}{off.pk}/enable/" in body and f"{ACCOUNTS}{off.pk}/disable/" not in body
    assert (
        f"{ACCOUNTS}{active.pk}/disable/" in body and f"{ACCOUNTS}{active.pk}/enable/" not in body
    )


def test_an_officer_enables_an_account_and_sees_the_new_code_once(client):
    account, _ = disabled()
    response = officer(client).post(f"{ACCOUNTS}{account.pk}/enable/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "账号已重新启用" in body and "停用前的密码已作废" in body
    assert "no-store" in response["Cache-Control"]
    code = body.split('<span class="code">')[1].split("</span>")[0]
    assert code not in client.get(ACCOUNTS).content.decode()
    account_activate(uscc=account.employer.uscc, code=code, password=NEW_PASSWORD)
    assert portal_login(Client(), account.employer.uscc, NEW_PASSWORD).status_code == 302
    assert AuditEntry.objects.get(event="user_enable").actor == "staff_officer"


def test_enabling_an_enabled_account_on_the_page_is_refused_in_chinese(client):
    account, _ = open_account()
    response = officer(client).post(f"{ACCOUNTS}{account.pk}/enable/")
    assert response.status_code == 400 and "该账号未停用" in response.content.decode()


def test_the_enable_action_needs_post_an_existing_account_and_a_credit_officer(client):
    account, _ = disabled()
    officer(client)
    assert client.get(f"{ACCOUNTS}{account.pk}/enable/").status_code == 405
    assert client.post(f"{ACCOUNTS}999999/enable/").status_code == 404
    inspector = Client()
    inspector.force_login(make_user("wang", "inspector"))
    assert inspector.post(f"{ACCOUNTS}{account.pk}/enable/").status_code == 403
    anonymous = Client().post(f"{ACCOUNTS}{account.pk}/enable/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    account.refresh_from_db()
    assert account.disabled
