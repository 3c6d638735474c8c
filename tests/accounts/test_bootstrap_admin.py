"""The first administrator is a 系统管理员 that must change its password, not a superuser."""

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
