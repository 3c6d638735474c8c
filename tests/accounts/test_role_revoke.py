"""`role_revoke`: never one's own role, never the last 安全管理员 from the web (AC1); the operator
at the command line can still revoke and assign."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from laborcredit.accounts.services import role_codes, role_revoke, user_disable
from laborcredit.lib.errors import Refused
from tests.accounts.helpers import entries, make_user

pytestmark = pytest.mark.django_db


def test_the_security_administrator_cannot_revoke_their_own_role():
    security = make_user("anquan", "security_admin")
    start = len(entries("role_change"))
    with pytest.raises(Refused) as refused:
        role_revoke(user=security, role="security_admin", actor=security)
    assert refused.value.codes == ["self-revoke"]
    assert refused.value.problems[0].message == "不能撤销自己的角色"
    assert role_codes(security) == ["security_admin"]
    assert len(entries("role_change")) == start


def test_revoking_ones_own_role_is_refused_even_with_a_second_security_administrator():
    security = make_user("anquan", "security_admin")
    make_user("anquan2", "security_admin")
    with pytest.raises(Refused) as refused:
        role_revoke(user=security, role="security_admin", actor=security)
    assert refused.value.codes == ["self-revoke"]
    assert role_codes(security) == ["security_admin"]


def test_a_security_administrator_revokes_another_ones_role():
    security = make_user("anquan", "security_admin")
    other = make_user("anquan2", "security_admin")
    role_revoke(user=other, role="security_admin", actor=security)
    assert role_codes(other) == []
    assert entries("role_change")[-1].data == {"from": "安全管理员", "to": "无"}


def test_the_last_active_security_administrators_role_is_not_revoked_from_the_web():
    superuser = get_user_model().objects.create_superuser("root", password="Wugang-2026x")
    security = make_user("anquan", "security_admin")
    disabled = make_user("anquan2", "security_admin")
    disabled.is_active = False
    disabled.save()
    start = len(entries("role_change"))
    with pytest.raises(Refused) as refused:
        role_revoke(user=security, role="security_admin", actor=superuser)
    assert refused.value.codes == ["last-security-admin"]
    assert "最后一名安全管理员" in refused.value.problems[0].message
    assert role_codes(security) == ["security_admin"]
    assert len(entries("role_change")) == start
    role_revoke(user=disabled, role="security_admin", actor=superuser)  # no one loses a door
    assert role_codes(disabled) == []


def test_the_operator_at_the_command_line_can_still_revoke_and_assign(capsys):
    security = make_user("anquan", "security_admin")
    role_revoke(user=security, role="security_admin", actor=None)
    assert role_codes(security) == []
    call_command("users", "assign", "anquan", "security_admin")
    assert role_codes(security) == ["security_admin"]
    call_command("users", "revoke", "anquan", "security_admin")
    assert role_codes(security) == []


def test_the_role_page_refuses_revoking_ones_own_role_in_chinese(client):
    security = make_user("anquan", "security_admin")
    client.force_login(security)
    response = client.post(
        f"/accounts/users/{security.pk}/roles/", {"role": "security_admin", "action": "revoke"}
    )
    assert response.status_code == 400
    assert "不能撤销自己的角色" in response.content.decode()
    assert role_codes(security) == ["security_admin"]
    assert client.get(f"/accounts/users/{security.pk}/roles/").status_code == 200


def test_the_last_active_security_administrators_account_is_not_disabled_from_the_web():
    """The same door as the role: a 系统管理员 disabling the only 安全管理员 account would leave
    no one to assign roles from the web."""
    system = make_user("xitong", "system_admin")
    security = make_user("anquan", "security_admin")
    with pytest.raises(Refused) as refused:
        user_disable(user=security, actor=system)
    assert refused.value.codes == ["last-security-admin"]
    assert "停用系统中最后一名安全管理员的账号" in refused.value.problems[0].message
    security.refresh_from_db()
    assert security.is_active and not entries("user_disable")
    make_user("anquan2", "security_admin")
    user_disable(user=security, actor=system)
    security.refresh_from_db()
    assert not security.is_active
