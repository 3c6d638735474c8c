"""AC1: each administrator opens its own pages and nothing else (403, not a hidden button)."""

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.helpers import PASSWORD, entries, make_user

pytestmark = pytest.mark.django_db

ACCOUNT_PAGES = ["/accounts/users/", "/accounts/users/new/"]


def logged_in_as(client, *roles):
    user = make_user("someone", *roles)
    client.force_login(user)
    return user


def test_the_audit_administrator_is_refused_the_admin_and_the_account_pages(client):
    logged_in_as(client, "audit_admin")
    target = make_user("target")
    for url in [
        "/admin/",
        "/admin/auth/user/",
        *ACCOUNT_PAGES,
        f"/accounts/users/{target.pk}/roles/",
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/accounts/users/{target.pk}/disable/").status_code == 403


def test_the_system_administrator_manages_accounts(client):
    logged_in_as(client, "system_admin")
    assert client.get("/accounts/users/").status_code == 200
    before = len(entries("user_create"))
    response = client.post(
        "/accounts/users/new/", {"username": "wangwu", "full_name": "王五", "password": PASSWORD}
    )
    assert response.status_code == 302
    wangwu = get_user_model().objects.get(username="wangwu")
    assert len(entries("user_create")) == before + 1
    assert client.post(f"/accounts/users/{wangwu.pk}/disable/").status_code == 302
    wangwu.refresh_from_db()
    assert not wangwu.is_active


def test_the_system_administrator_cannot_assign_roles_nor_open_the_admin(client):
    logged_in_as(client, "system_admin")
    target = make_user("target")
    assert client.get(f"/accounts/users/{target.pk}/roles/").status_code == 403
    assert client.get("/admin/").status_code == 403


def test_the_security_administrator_assigns_roles_but_creates_no_account(client):
    logged_in_as(client, "security_admin")
    target = make_user("target")
    url = f"/accounts/users/{target.pk}/roles/"
    assert client.post(url, {"role": "inspector", "action": "assign"}).status_code == 302
    assert target.groups.filter(name="inspector").exists()
    assert client.get("/accounts/users/new/").status_code == 403


def test_the_role_page_refuses_a_second_administrator_role_in_chinese(client):
    logged_in_as(client, "security_admin")
    target = make_user("target", "audit_admin")
    response = client.post(
        f"/accounts/users/{target.pk}/roles/", {"role": "system_admin", "action": "assign"}
    )
    assert response.status_code == 400
    assert "三员分立" in response.content.decode()


def test_an_unknown_role_is_refused_in_chinese_and_changes_nothing(client):
    logged_in_as(client, "security_admin")
    target = make_user("target")
    response = client.post(
        f"/accounts/users/{target.pk}/roles/", {"role": "bogus", "action": "assign"}
    )
    assert response.status_code == 400
    assert "所选项不在可选范围内" in response.content.decode()
    assert not target.groups.exists()


def test_anonymous_visitors_are_sent_to_login(client):
    for url in ACCOUNT_PAGES:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_health_check_stays_public(client):
    assert client.get("/healthz").status_code == 200


def test_the_navigation_shows_the_role(client):
    logged_in_as(client, "security_admin")
    assert "安全管理员" in client.get("/accounts/users/").content.decode()


def test_the_role_page_refuses_a_credit_role_to_the_system_administrator_in_chinese(client):
    logged_in_as(client, "security_admin")
    target = make_user("target", "system_admin")
    response = client.post(
        f"/accounts/users/{target.pk}/roles/", {"role": "credit_officer", "action": "assign"}
    )
    assert response.status_code == 400
    assert "三员分立：系统管理员不能兼任信用管理员" in response.content.decode()
    assert list(target.groups.values_list("name", flat=True)) == ["system_admin"]
