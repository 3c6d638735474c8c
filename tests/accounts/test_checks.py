"""AC1, IA4: production refuses a superuser and a switched-off second factor."""

import pytest
from django.contrib.auth import get_user_model

from laborcredit.accounts.checks import production_accounts

pytestmark = pytest.mark.django_db


def ids(settings):
    return [error.id for error in production_accounts()]


def test_outside_production_nothing_is_reported(settings):
    settings.PRODUCTION = False
    settings.LABORCREDIT_REQUIRE_2FA = False
    get_user_model().objects.create_superuser("root", password="Wugang-2026")
    assert ids(settings) == []


def test_a_superuser_in_production_is_an_error(settings):
    settings.PRODUCTION = True
    assert ids(settings) == []
    get_user_model().objects.create_superuser("root", password="Wugang-2026")
    assert ids(settings) == ["laborcredit.accounts.E002"]


def test_production_without_the_second_factor_is_an_error(settings):
    settings.PRODUCTION = True
    settings.LABORCREDIT_REQUIRE_2FA = False
    assert ids(settings) == ["laborcredit.accounts.E001"]


def test_accounts_whose_roles_clash_from_before_the_guard_are_a_warning():
    from django.contrib.auth.models import Group

    from laborcredit.accounts.checks import clashing_roles
    from tests.accounts.helpers import make_user

    make_user("lingdao", "leadership", "credit_officer")
    sysadmin = make_user("sysadmin", "system_admin")
    assert clashing_roles() == []
    # As an older version let it be saved: the through table sends no m2m_changed.
    through = get_user_model().groups.through
    through.objects.create(user=sysadmin, group=Group.objects.get(name="credit_officer"))
    [warning] = clashing_roles()
    assert warning.id == "laborcredit.accounts.W003"
    assert "sysadmin" in warning.msg and "lingdao" not in warning.msg
