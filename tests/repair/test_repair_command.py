"""`laborcredit repair due --as-of DATE`: the due list in Chinese; bad input exits 2."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from laborcredit.workdays.selectors import calendar
from tests.factories import EmployerFactory
from tests.repair.helpers import CASE, DAY, penalised

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("repair", *args, stdout=out)
    return out.getvalue()


def test_the_due_list_names_the_employer_its_case_and_deadline_the_day_after_the_cycle_end():
    employer = EmployerFactory()
    end = penalised(employer, days_ago=200)
    out = run("due", "--as-of", (end + DAY).isoformat())
    assert f"截至 {end + DAY}" in out
    assert "待调整（含逾期）：1 家" in out
    deadline = calendar().add_working_days(end, 5)
    assert f"{employer.uscc} {employer.name}  案件 {CASE}" in out
    assert f"调整期限 {deadline.describe()}" in out
    assert "即将期满（30 日内）：0 家" in out


def test_the_day_before_the_cycle_end_it_is_upcoming():
    employer = EmployerFactory()
    end = penalised(employer, days_ago=200)
    out = run("due", "--as-of", (end - DAY).isoformat())
    assert "待调整（含逾期）：0 家" in out and "即将期满（30 日内）：1 家" in out


def test_missing_evidence_is_listed_with_the_steps():
    employer = EmployerFactory()
    end = penalised(employer, days_ago=200, corrected_after=None)
    out = run("due", "--as-of", end.isoformat())
    assert "待补充证据：1 家" in out and f"尚需：纠正违法行为（案件 {CASE}）" in out


def test_a_bad_date_is_refused_in_chinese():
    with pytest.raises(CommandError, match="日期"):
        run("due", "--as-of", "2026-13-01")


def test_a_bad_date_on_the_command_line_exits_2(command_line):
    status, out, err = command_line("repair", "due", "--as-of", "2026-02-30")
    assert status == 2 and out == ""
    assert "日期" in err and "Traceback" not in err


def test_a_bad_horizon_exits_2(command_line):
    status, out, err = command_line("repair", "due", "--horizon", "三十")
    assert out == ""
    assert status == 2 and "天数应为" in err
