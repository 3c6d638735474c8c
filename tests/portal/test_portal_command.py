"""`laborcredit portal account CODE [--password-file F]`."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from laborcredit.portal.models import EmployerAccount
from laborcredit.portal.services import account_activate
from tests.factories import EmployerFactory, make_uscc
from tests.portal.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_command_opens_an_account_and_prints_a_working_code(capsys):
    employer = EmployerFactory()
    call_command("portal", "account", employer.uscc.lower())
    out = capsys.readouterr().out
    assert "已开通" in out and "有效期至" in out
    code = out.split("激活码：")[1].split()[0]
    account_activate(uscc=employer.uscc, code=code, password=PASSWORD)
    assert EmployerAccount.objects.get(employer=employer).activated_at is not None


def test_the_command_takes_a_password_from_a_file(tmp_path, capsys):
    employer = EmployerFactory()
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    call_command("portal", "account", employer.uscc, "--password-file", str(secret))
    assert "激活码" not in capsys.readouterr().out
    account = EmployerAccount.objects.get(employer=employer)
    assert account.user.check_password(PASSWORD)


def test_the_command_refuses_bad_input_in_chinese(tmp_path):
    with pytest.raises(CommandError, match="统一社会信用代码无效"):
        call_command("portal", "account", "123")
    with pytest.raises(CommandError, match="未找到"):
        call_command("portal", "account", make_uscc(777_777))
    employer = EmployerFactory()
    weak = tmp_path / "pw"
    weak.write_text("12345678", encoding="utf-8")
    with pytest.raises(CommandError, match="开通被拒绝"):
        call_command("portal", "account", employer.uscc, "--password-file", str(weak))
    assert not EmployerAccount.objects.exists()
