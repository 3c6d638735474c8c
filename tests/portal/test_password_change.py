"""第十八条: an employer changes its own portal password (IA1, IA3), on its own account only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client

from laborcredit.accounts.models import AccountProfile
from laborcredit.audit.models import AuditEntry
from laborcredit.lib.errors import Refused
from laborcredit.portal.services import employer_account_disable, employer_password_change
from tests.accounts.helpers import make_user
from tests.portal.helpers import (
    NEW_PASSWORD,
    PASSWORD,
    is_logged_in,
    logged_in_as,
    open_account,
    portal_login,
)

pytestmark = pytest.mark.django_db

PAGE = "/portal/password/"


def change(client, old=PASSWORD, new=NEW_PASSWORD, again=None, **extra):
    data = {"old_password": old, "new_password": new, "new_password_again": again or new}
    return client.post(PAGE, data | extra)


def password_is(account, password) -> bool:
    return get_user_model().objects.get(pk=account.user_id).check_password(password)


def test_an_employer_changes_its_password_and_stays_logged_in(client):
    account, _ = open_account()
    portal_login(client, account.employer.uscc)
    response = change(client)
    assert response.status_code == 302 and response["Location"] == PAGE
    assert "密码已修改" in client.get(PAGE).content.decode()
    assert client.get("/portal/").status_code == 200 and is_logged_in(client)
    assert password_is(account, NEW_PASSWORD)
    assert portal_login(Client(), account.employer.uscc).status_code == 200  # old one refused
    assert portal_login(Client(), account.employer.uscc, NEW_PASSWORD).status_code == 302


def test_the_change_writes_one_entry_without_either_password(client):
    account, _ = open_account()
    logged_in_as(client, account)
    change(client)
    [entry] = AuditEntry.objects.filter(event="password_change")
    assert entry.object_id == account.user.username and entry.actor == account.user.username
    assert entry.data["kind"] == "employer" and entry.data["reset"] is False
    assert PASSWORD not in str(entry.data) and NEW_PASSWORD not in str(entry.data)
    # The staff's forced change and rotation stay the staff's: no profile for an employer.
    assert not AccountProfile.objects.filter(user_id=account.user_id).exists()


def test_a_wrong_current_password_is_refused_in_chinese_and_changes_nothing(client):
    account, _ = open_account()
    logged_in_as(client, account)
    response = change(client, old="Not-The-Password-9")
    assert response.status_code == 400
    assert "原密码不正确" in response.content.decode()
    assert password_is(account, PASSWORD)
    assert not AuditEntry.objects.filter(event="password_change").exists()
    assert client.get("/portal/").status_code == 200


def test_a_weak_new_password_is_refused_by_the_activation_validators(client):
    account, _ = open_account()
    logged_in_as(client, account)
    response = change(client, new="12345678")
    assert response.status_code == 400 and "密码不能全是数字" in response.content.decode()
    with pytest.raises(Refused) as refused:
        employer_password_change(account=account, old_password=PASSWORD, new_password="password")
    assert "weak-password" in refused.value.codes
    assert password_is(account, PASSWORD)


def test_the_same_password_again_is_refused():
    account, _ = open_account()
    with pytest.raises(Refused) as refused:
        employer_password_change(account=account, old_password=PASSWORD, new_password=PASSWORD)
    assert refused.value.codes == ["password-unchanged"]


def test_two_different_new_passwords_are_refused_by_the_form(client):
    account, _ = open_account()
    logged_in_as(client, account)
    response = change(client, again="Pingdingshan#2027y")
    assert response.status_code == 400 and "两次输入的新密码不一致" in response.content.decode()
    assert password_is(account, PASSWORD)


def test_the_change_ends_the_accounts_other_sessions(client):
    account, _ = open_account()
    other = Client()
    portal_login(other, account.employer.uscc)
    other_key = other.session.session_key
    portal_login(client, account.employer.uscc)
    change(client)
    assert not Session.objects.filter(session_key=other_key).exists()
    assert other.get("/portal/").status_code == 302 and not is_logged_in(other)
    assert client.get("/portal/").status_code == 200
    [entry] = AuditEntry.objects.filter(event="password_change")
    assert entry.data["sessions"] == 1


def test_the_change_touches_only_the_logged_in_employers_own_account(client):
    mine, _ = open_account(name="舞钢市甲改密有限公司")
    theirs, _ = open_account(name="舞钢市乙改密有限公司")
    logged_in_as(client, mine)
    change(client, uscc=theirs.employer.uscc, account=theirs.pk, user=theirs.user_id)
    assert password_is(mine, NEW_PASSWORD)
    assert password_is(theirs, PASSWORD)


def test_the_page_needs_an_employer_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"] == f"/portal/login/?next={PAGE}"
    client.force_login(make_user("zhangsan", "credit_officer"))
    assert client.get(PAGE).status_code == 403
    assert change(client).status_code == 403


def test_the_change_needs_the_csrf_token():
    account, _ = open_account()
    client = logged_in_as(Client(enforce_csrf_checks=True), account)
    assert change(client).status_code == 403
    assert password_is(account, PASSWORD)


def test_a_disabled_account_cannot_change_its_password(client):
    account, _ = open_account()
    logged_in_as(client, account)
    employer_account_disable(account=account, actor=None)
    assert change(client).status_code == 302 and not is_logged_in(client)
    with pytest.raises(Refused) as refused:
        employer_password_change(account=account, old_password=PASSWORD, new_password=NEW_PASSWORD)
    assert refused.value.codes == ["account-disabled"]
    assert password_is(account, PASSWORD)


def test_every_portal_page_links_to_the_password_change(client):
    account, _ = open_account()
    logged_in_as(client, account)
    for path in ("/portal/", "/portal/records/", PAGE):
        assert f'href="{PAGE}"' in client.get(path).content.decode(), path
    assert "no-store" in client.get(PAGE)["Cache-Control"]


def test_five_wrong_current_passwords_end_the_session_and_lock_the_portal_login(client):
    """IA2: as at the login page; the employer gets the portal's lockout page, not the staff's."""
    account, _ = open_account()
    portal_login(client, account.employer.uscc)
    for _ in range(4):
        response = change(client, old="Wrong-Password-1")
        assert response.status_code == 400 and "原密码不正确" in response.content.decode()
    assert is_logged_in(client)
    response = change(client, old="Wrong-Password-1")
    assert response.status_code == 429
    page = response.content.decode()
    assert "30 分钟" in page and "统一社会信用代码" in page
    assert not is_logged_in(client)
    failures = AuditEntry.objects.filter(event="login_failed").order_by("seq")
    assert [(e.data["factor"], e.data["site"]) for e in failures] == [
        ("current_password", "portal")
    ] * 5
    assert portal_login(Client(), account.employer.uscc).status_code == 429
    assert password_is(account, PASSWORD)
