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
