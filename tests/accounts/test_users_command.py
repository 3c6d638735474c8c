"""`laborcredit users`: the operator's account commands, audited like the web."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from laborcredit.accounts.models import AccountProfile
from tests.accounts.helpers import PASSWORD, entries

pytestmark = pytest.mark.django_db


def test_create_assign_list_revoke_disable(monkeypatch, capsys):
    monkeypatch.setenv("INITIAL_PASSWORD", PASSWORD)
    call_command(
        "users", "create", "zhaoliu", "--role", "inspector", "--password-env", "INITIAL_PASSWORD"
    )
    user = get_user_model().objects.get(username="zhaoliu")
    assert AccountProfile.objects.get(user=user).must_change_password
    call_command("users", "assign", "zhaoliu", "leadership")
    call_command("users", "roles")
    assert "zhaoliu\t监察员、领导" in capsys.readouterr().out
    call_command("users", "revoke", "zhaoliu", "inspector")
    call_command("users", "disable", "zhaoliu")
    user.refresh_from_db()
    assert not user.is_active
    assert len(entries("user_create")) == 1
    assert len(entries("role_change")) == 3
    assert len(entries("user_disable")) == 1
    assert entries("user_create")[0].actor.startswith("cli:")


def test_two_administrator_roles_are_refused_in_chinese(monkeypatch):
    monkeypatch.setenv("INITIAL_PASSWORD", PASSWORD)
    call_command(
        "users", "create", "zhaoliu", "--role", "system_admin", "--password-env", "INITIAL_PASSWORD"
    )
    with pytest.raises(CommandError, match="三员分立"):
        call_command("users", "assign", "zhaoliu", "audit_admin")


def test_an_unknown_account_is_named(monkeypatch):
    with pytest.raises(CommandError, match="没有账号 nobody"):
        call_command("users", "disable", "nobody")
