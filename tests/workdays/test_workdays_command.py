"""`laborcredit workdays add|show|arrangement`: the date on standard output, provisional on standard
error, bad input refused in Chinese with exit status 2."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from laborcredit.audit.context import command_line_actor
from laborcredit.cli import USAGE
from laborcredit.rules.workdays import package_years
from laborcredit.workdays.models import YearArrangement
from tests.accounts.helpers import entries

pytestmark = pytest.mark.django_db

YEAR = max(package_years()) + 1
SOURCE = f"国务院办公厅关于{YEAR}年部分节假日安排的通知（国办发明电〔{YEAR - 1}〕7号）"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def enter_next_year() -> None:
    run(
        "arrangement", str(YEAR),
        "--holidays", f"{YEAR}-01-01..{YEAR}-01-03,{YEAR}-10-01~{YEAR}-10-07",
        "--workdays", f"{YEAR}-09-26、{YEAR}-10-09",
        "--source", SOURCE,
    )  # fmt: skip


def test_add_prints_the_nth_working_day_across_national_day_2025():
    out, err = run("add", "2025-09-26", "10")
    assert out == "2025-10-16\n" and err == ""


def test_add_counts_the_spring_festival_2026_makeup_saturday():
    assert run("add", "2026-02-13", "3")[0] == "2026-02-25\n"


def test_add_writes_nothing_to_the_database():
    run("add", "2025-09-26", "3")
    assert not YearArrangement.objects.exists() and not entries("year_arrangement_enter")


def test_add_in_a_year_without_arrangement_prints_the_date_and_says_provisional_on_stderr(
    command_line,
):
    status, out, err = command_line("workdays", "add", f"{YEAR - 1}-12-30", "3")
    assert status == 0 and out == f"{YEAR}-01-04\n"
    assert "暂定" in err and f"{YEAR}年" in err and "节假日安排尚未公布或录入" in err


def test_entering_the_arrangement_recomputes_the_date_and_ends_the_provisional_note():
    enter_next_year()
    out, err = run("add", f"{YEAR - 1}-12-30", "3")
    assert out == f"{YEAR}-01-05\n" and err == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2025-13-01", "3"), "起算日期：不存在的日期"),
        (("2025/10/01", "3"), "起算日期：日期格式应为 YYYY-MM-DD"),
        (("2025-10-01", "0"), "工作日数应为正整数"),
        (("2025-10-01", "三"), "工作日数应为正整数"),
        (("2025-10-01", "-3"), "工作日数应为正整数"),
        (("2025-10-01", "100000"), "工作日数不能超过"),
    ],
)
def test_add_refuses_bad_input_in_chinese_with_status_2(command_line, args, message):
    status, out, err = command_line("workdays", "add", *args)
    assert status == 2 and out == "" and message in err
    assert "Traceback" not in err and "CommandError" not in err


def test_add_without_a_count_is_a_usage_error_in_chinese(command_line):
    status, _, err = command_line("workdays", "add", "2025-10-01")
    assert status == 2 and "缺少必需的参数：N" in err


def test_arrangement_enters_a_year_with_ranges_and_is_audited_as_the_command_line_user():
    out, _ = run(
        "arrangement", str(YEAR), "--holidays", f"{YEAR}-10-01..{YEAR}-10-07",
        "--workdays", f"{YEAR}-10-09", "--source", SOURCE,
    )  # fmt: skip
    row = YearArrangement.objects.get()
    assert row.holidays == [f"{YEAR}-10-0{d}" for d in range(1, 8)]
    assert row.entered_by == command_line_actor() and f"已录入{YEAR}年节假日安排第1版" in out
    (entry,) = entries("year_arrangement_enter")
    assert entry.actor == command_line_actor() and entry.role == "system_admin"


def test_arrangement_for_a_year_the_package_knows_is_refused_with_status_2(command_line):
    status, _, err = command_line(
        "workdays", "arrangement", "2025", "--holidays", "2025-10-01", "--source", "x"
    )
    assert status == 2 and "2025年的节假日安排已由系统内置" in err
    assert not YearArrangement.objects.exists()


def test_arrangement_with_a_weekday_as_makeup_day_is_refused_in_chinese():
    with pytest.raises(CommandError, match="调休上班日应为周六或周日") as refused:
        run(
            "arrangement", str(YEAR), "--holidays", f"{YEAR}-10-01",
            "--workdays", f"{YEAR}-10-08", "--source", SOURCE,
        )  # fmt: skip
    assert refused.value.returncode == 2 and not YearArrangement.objects.exists()


def test_arrangement_with_a_bad_date_names_the_option():
    with pytest.raises(CommandError, match="放假日期：不存在的日期"):
        run("arrangement", str(YEAR), "--holidays", f"{YEAR}-02-30", "--source", SOURCE)
    with pytest.raises(CommandError, match=r"放假日期：区间 .* 的结束日期早于开始日期"):
        run("arrangement", str(YEAR), "--holidays", f"{YEAR}-10-07..{YEAR}-10-01", "--source", "x")


def test_show_a_package_year_lists_its_holidays_and_makeup_days():
    out, _ = run("show", "2025")
    assert "2025年节假日安排：系统内置（chinese-calendar 1.11.0）" in out
    assert "2025-10-08" in out and "调休上班（5 天）" in out and "2025-10-11" in out


def test_show_a_year_without_arrangement_says_deadlines_are_provisional():
    out, _ = run("show", str(YEAR))
    assert f"{YEAR}年尚无节假日安排" in out and "暂定" in out


def test_show_an_entered_year_names_its_version_and_source():
    enter_next_year()
    out, _ = run("show", str(YEAR))
    assert f"{YEAR}年节假日安排（第1版" in out and "国办发明电" in out
    assert "放假（10 天）" in out and f"{YEAR}-10-09" in out


def test_the_usage_names_the_workdays_command():
    assert "workdays add 日期 N" in USAGE
