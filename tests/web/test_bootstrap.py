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


def test_demo_accounts_open_the_portal_for_a_penalised_employer_with_an_activation_code(
    capsys, client
):
    from laborcredit.portal.services import account_activate
    from tests.factories import EmployerFactory
    from tests.web.helpers import penalise

    clean = EmployerFactory(name="舞钢市守信示范有限公司")
    penalised = EmployerFactory(name="舞钢市受罚演示有限公司")
    penalise(penalised)
    call_command("bootstrap")
    call_command("bootstrap", "--demo-accounts")
    out = capsys.readouterr().out
    found = dict(re.findall(r"统一社会信用代码 (\S+)，一次性激活码 (\S+)（", out))
    assert set(found) == {clean.uscc, penalised.uscc}
    account_activate(uscc=penalised.uscc, code=found[penalised.uscc], password="Wugang#Demo2026")
    assert (
        client.post(
            "/portal/login/", {"uscc": penalised.uscc, "password": "Wugang#Demo2026"}
        ).status_code
        == 302
    )
    assert "C级" in client.get("/portal/").content.decode()
