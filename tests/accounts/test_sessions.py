"""IA3: idle and absolute session expiry; logout and disabling destroy the server-side session."""

import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from laborcredit.accounts.services import password_change, user_disable
from laborcredit.accounts.signals import SESSION_LOGIN_AT
from tests.accounts.helpers import NEW_PASSWORD, PASSWORD, entries, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_client(settings):
    settings.LABORCREDIT_REQUIRE_2FA = False
    user = make_user()
    client = Client()
    client.post("/accounts/login/", {"username": "zhangsan", "password": PASSWORD})
    assert client.get("/accounts/password/").status_code == 200
    client.user = user
    return client


def replay(cookie):
    """A new browser presenting the old session cookie."""
    other = Client()
    other.cookies["sessionid"] = cookie
    return other.get("/accounts/password/")


def test_the_idle_timeout_is_30_minutes_renewed_by_each_request(settings, session_client):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    key = session_client.cookies["sessionid"].value
    expires = Session.objects.get(session_key=key).expire_date
    assert expires - timezone.now() <= datetime.timedelta(minutes=30)


def test_an_idle_session_has_expired_on_the_server(session_client):
    key = session_client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = session_client.get("/accounts/password/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_session_ends_at_its_absolute_lifetime_however_active(settings, session_client):
    settings.LABORCREDIT_SESSION_MAX_HOURS = 12
    session = session_client.session
    session[SESSION_LOGIN_AT] = time.time() - 12 * 3600 - 1
    session.save()
    response = session_client.get("/accounts/password/")
    assert response.status_code == 302 and "expired=1" in response["Location"]
    assert not Session.objects.filter(session_key=session.session_key).exists()


def test_eleven_hours_after_login_the_session_still_works(session_client):
    session = session_client.session
    session[SESSION_LOGIN_AT] = time.time() - 11 * 3600
    session.save()
    assert session_client.get("/accounts/password/").status_code == 200


def test_logout_destroys_the_session_and_the_old_cookie_is_worthless(session_client):
    cookie = session_client.cookies["sessionid"].value
    session_client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=cookie).exists()
    response = replay(cookie)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert len(entries("logout")) == 1


def test_disabling_the_user_destroys_the_session(session_client):
    cookie = session_client.cookies["sessionid"].value
    user_disable(user=session_client.user, actor=None)
    assert not Session.objects.filter(session_key=cookie).exists()
    assert replay(cookie).status_code == 302


def test_login_writes_one_entry(session_client):
    assert len(entries("login")) == 1


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(session_client):
    other = Client()
    other.post("/accounts/login/", {"username": "zhangsan", "password": PASSWORD})
    other_cookie = other.cookies["sessionid"].value
    assert Session.objects.filter(session_key=other_cookie).exists()
    response = session_client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=other_cookie).exists()
    assert replay(other_cookie).status_code == 302
    assert session_client.get("/accounts/password/").status_code == 200  # still logged in
    [entry] = entries("password_change")
    assert entry.data["sessions"] == 1


def test_a_reset_by_the_system_administrator_ends_every_session_of_the_account(session_client):
    cookie = session_client.cookies["sessionid"].value
    admin = make_user("sysadmin", "system_admin")
    password_change(user=session_client.user, new_password=NEW_PASSWORD, actor=admin)
    assert not Session.objects.filter(session_key=cookie).exists()
    assert replay(cookie).status_code == 302


def wrong_current(client, password="Wrong-Password-1"):
    return client.post(
        "/accounts/password/",
        {"old_password": password, "new_password": NEW_PASSWORD,
         "new_password_again": NEW_PASSWORD},
    )  # fmt: skip


def test_a_wrong_current_password_counts_as_a_failed_login_and_the_fifth_ends_the_session(
    session_client,
):
    """IA2: a signed-in session cannot guess the password without limit."""
    key = session_client.cookies["sessionid"].value
    for _ in range(4):
        response = wrong_current(session_client)
        assert response.status_code == 200 and "原密码不正确" in response.content.decode()
    assert Session.objects.filter(session_key=key).exists()
    response = wrong_current(session_client)
    assert response.status_code == 429 and "30 分钟" in response.content.decode()
    assert not Session.objects.filter(session_key=key).exists()
    assert replay(key).status_code == 302  # logged out
    failures = entries("login_failed")
    assert [e.data["factor"] for e in failures] == ["current_password"] * 5
    assert [e.outcome for e in failures] == ["failure"] * 4 + ["denied"]
    assert len(entries("lockout")) == 1
    # The right password is refused at the login page for the cool-off, and the password
    # is unchanged.
    again = Client()
    response = again.post("/accounts/login/", {"username": "zhangsan", "password": PASSWORD})
    assert response.status_code == 429
    session_client.user.refresh_from_db()
    assert session_client.user.check_password(PASSWORD)


def test_a_right_current_password_after_wrong_ones_changes_it(session_client):
    for _ in range(2):
        wrong_current(session_client)
    response = wrong_current(session_client, PASSWORD)
    assert response.status_code == 302
    session_client.user.refresh_from_db()
    assert session_client.user.check_password(NEW_PASSWORD)
