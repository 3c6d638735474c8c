"""The first administrator is a 系统管理员 that must change its password, not a superuser."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from laborcredit.accounts.models import AccountProfile

pytestmark = pytest.mark.django_db


def test_the_first_administrator_is_a_system_administrator_and_no_superuser():
    call_command("bootstrap")
    admin = get_user_model().objects.get(username="admin")
    assert not admin.is_superuser and not admin.is_staff
    assert list(admin.groups.values_list("name", flat=True)) == ["system_admin"]
    assert AccountProfile.objects.get(user=admin).must_change_password
    assert not admin.has_perm("credit.view_employer")


def test_demo_accounts_give_every_other_role_one_account_once(capsys, settings):
    from laborcredit.web.management.commands.bootstrap import DEMO_ACCOUNTS

    call_command("bootstrap", "--demo-accounts")
    out = capsys.readouterr().out
    users = get_user_model().objects.filter(username__in=DEMO_ACCOUNTS)
    assert users.count() == len(DEMO_ACCOUNTS)
    for user in users:
        assert [g.name for g in user.groups.all()] == [DEMO_ACCOUNTS[user.username]]
        password = re.search(rf"账号 {user.username}，初始密码 (\S+)", out).group(1)
        assert user.check_password(password)
    call_command("bootstrap", "--demo-accounts")
    assert get_user_model().objects.filter(username__in=DEMO_ACCOUNTS).count() == len(DEMO_ACCOUNTS)


def test_demo_accounts_are_refused_in_production(settings):
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境"):
        call_command("bootstrap", "--demo-accounts")
    assert not get_user_model().objects.filter(username="xinyong").exists()
