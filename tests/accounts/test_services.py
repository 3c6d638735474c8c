"""The account services: each change audited exactly once (AU1), refusals change nothing."""

import pytest
from django.contrib.auth import get_user_model

from laborcredit.accounts.models import AccountProfile
from laborcredit.accounts.services import (
    password_change,
    role_assign,
    role_revoke,
    user_create,
    user_disable,
)
from laborcredit.lib.errors import Refused
from tests.accounts.helpers import NEW_PASSWORD, PASSWORD, entries, make_user

pytestmark = pytest.mark.django_db


def test_user_create_writes_one_entry_and_forces_a_password_change():
    admin = make_user("sysadmin", "system_admin")
    before = len(entries("user_create"))
    user = user_create(username="wangwu", password=PASSWORD, actor=admin)
    created = entries("user_create")
    assert len(created) == before + 1
    assert created[-1].object_id == "wangwu"
    assert PASSWORD not in str(created[-1].data)
    assert AccountProfile.objects.get(user=user).must_change_password


def test_user_create_by_an_account_without_the_permission_is_refused():
    auditor = make_user("auditor", "audit_admin")
    with pytest.raises(Refused) as refused:
        user_create(username="wangwu", password=PASSWORD, actor=auditor)
    assert refused.value.codes == ["permission-denied"]
    assert not get_user_model().objects.filter(username="wangwu").exists()


def test_a_weak_initial_password_is_refused():
    with pytest.raises(Refused) as refused:
        user_create(username="wangwu", password="wangwu", actor=None)
    assert set(refused.value.codes) == {"weak-password"}
    assert not get_user_model().objects.filter(username="wangwu").exists()


def test_user_disable_writes_one_entry_and_deactivates(client):
    user = make_user("wangwu")
    client.force_login(user)
    user_disable(user=user, actor=None)
    assert len(entries("user_disable")) == 1
    assert entries("user_disable")[0].data["sessions"] == 1
    user.refresh_from_db()
    assert not user.is_active


def test_role_assign_and_revoke_each_write_one_role_change():
    security = make_user("secadmin", "security_admin")
    user = make_user("wangwu")
    start = len(entries("role_change"))
    role_assign(user=user, role="inspector", actor=security)
    role_revoke(user=user, role="inspector", actor=security)
    changes = entries("role_change")[start:]
    assert len(changes) == 2
    assert changes[0].data == {"from": "无", "to": "监察员"}
    assert changes[1].data == {"from": "监察员", "to": "无"}


def test_the_system_administrator_cannot_assign_roles():
    admin = make_user("sysadmin", "system_admin")
    user = make_user("wangwu")
    with pytest.raises(Refused) as refused:
        role_assign(user=user, role="credit_officer", actor=admin)
    assert refused.value.codes == ["permission-denied"]


def test_a_refused_role_writes_no_entry():
    user = make_user("wangwu", "audit_admin")
    start = len(entries("role_change"))
    with pytest.raises(Refused):
        role_assign(user=user, role="system_admin", actor=None)
    assert len(entries("role_change")) == start


def test_password_change_writes_one_entry_without_the_password():
    user = make_user("wangwu", must_change=True)
    password_change(user=user, old_password=PASSWORD, new_password=NEW_PASSWORD, actor=user)
    [entry] = entries("password_change")
    assert PASSWORD not in str(entry.data) and NEW_PASSWORD not in str(entry.data)
    profile = AccountProfile.objects.get(user=user)
    assert not profile.must_change_password and profile.password_changed_at
    assert get_user_model().objects.get(pk=user.pk).check_password(NEW_PASSWORD)


def test_password_change_needs_the_old_password():
    user = make_user("wangwu")
    with pytest.raises(Refused) as refused:
        password_change(user=user, old_password="wrong", new_password=NEW_PASSWORD, actor=user)
    assert refused.value.codes == ["wrong-password"]
    assert entries("password_change") == []


def test_a_reset_by_the_system_administrator_forces_a_new_change():
    admin = make_user("sysadmin", "system_admin")
    user = make_user("wangwu")
    password_change(user=user, new_password=NEW_PASSWORD, actor=admin)
    assert AccountProfile.objects.get(user=user).must_change_password


@pytest.mark.parametrize("name", ["employer:91410481MA00000017", "a b", "x/y"])
def test_a_staff_name_with_a_colon_space_or_slash_is_refused(name):
    from laborcredit.accounts.services import user_create

    with pytest.raises(Refused) as refused:
        user_create(username=name, password=PASSWORD, actor=None)
    assert refused.value.codes == ["username-invalid"]
    assert not get_user_model().objects.filter(username=name).exists()


def test_a_chinese_staff_name_is_accepted():
    assert make_user("张三").username == "张三"
