"""`laborcredit bootstrap` makes the first administrator once, with a strong password."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_first_administrator_is_created_with_a_valid_strong_password(capsys, settings):
    call_command("bootstrap")
    out = capsys.readouterr().out
    password = re.search(r"初始密码 (\S+)", out).group(1)
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password(password)
    validate_password(password, admin)
    assert len(password) >= 16
    note = settings.DATA_DIR / "initial-admin.txt"
    assert password in note.read_text()
    assert note.stat().st_mode & 0o077 == 0


def test_a_second_run_creates_no_account_and_changes_no_password(capsys):
    call_command("bootstrap")
    password = re.search(r"初始密码 (\S+)", capsys.readouterr().out).group(1)
    call_command("bootstrap")
    assert "initial-admin.txt" in capsys.readouterr().out
    assert get_user_model().objects.count() == 1
    assert get_user_model().objects.get().check_password(password)


@pytest.mark.django_db
def test_demo_accounts_put_six_inspectors_on_the_roster_so_a_plan_can_be_drawn(capsys):
    import datetime

    from django.core.management import call_command

    from laborcredit.inspections.models import Inspector
    from laborcredit.inspections.services import plan_draw
    from tests.factories import EmployerFactory

    call_command("bootstrap")
    call_command("bootstrap", "--demo-accounts")
    assert Inspector.objects.count() == 6
    assert "jiancha2" in capsys.readouterr().out
    EmployerFactory()
    plan = plan_draw(period_start=datetime.date(2027, 1, 1), kind="year", actor="xinyong")
    assert plan.seed is not None
