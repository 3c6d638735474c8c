"""`laborcredit inspections draw|show|verify|publish|export`: Chinese output and Chinese errors."""

from __future__ import annotations

import re
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from laborcredit.audit.context import command_line_actor
from laborcredit.inspections.models import InspectionPlan
from tests.accounts.helpers import entries
from tests.inspections.helpers import NEXT_YEAR, pool, roster

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("inspections", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def plan():
    pool(2)
    roster(4)
    run("draw", "--period", str(NEXT_YEAR.year), "--kind", "year", "--seed", "2027")
    return InspectionPlan.objects.get()


def test_draw_makes_a_draft_with_the_seed_and_says_how_to_check_it(plan):
    assert plan.seed == 2027 and plan.created_by == command_line_actor()
    assert plan.period_start == NEXT_YEAR
    out = run("show", str(plan.pk))
    assert "随机种子：2027" in out and "检查名单" in out
    assert re.search(r"共 \d+ 次检查：A\+级 0 次", out)


def test_draw_without_a_seed_prints_the_seed_it_made():
    pool(1)
    roster(2)
    out = run("draw", "--period", f"{NEXT_YEAR.year}Q2", "--kind", "quarter")
    plan = InspectionPlan.objects.get()
    assert f"随机种子 {plan.seed}" in out and plan.kind == "quarter"


def test_draw_with_rates_uses_them(plan):
    run("draw", "--period", str(NEXT_YEAR.year), "--seed", "1", "--rates", "A+=0,A=1,B=3,C=6")
    latest = InspectionPlan.objects.order_by("-id").first()
    assert latest.rates == {"A+": "0", "A": "1", "B": "3", "C": "6"}


def test_verify_re_runs_the_draw_and_says_the_list_is_identical(plan):
    out = run("verify", str(plan.pk))
    assert "重新抽取结果与计划完全一致" in out
    assert entries("inspection_plan_verify")


def test_publish_and_export_write_the_list_to_xlsx(plan, tmp_path):
    assert "已公布" in run("publish", str(plan.pk))
    target = tmp_path / "plan.xlsx"
    out = run("export", str(plan.pk), "-o", str(target))
    assert f"已导出第 {plan.pk} 号检查计划" in out
    book = openpyxl.load_workbook(target)
    about = {row[0]: row[1] for row in book["计划说明"].iter_rows(values_only=True)}
    assert about["随机种子"] == "2027" and about["状态"] == "已公布"
    rows = list(book["检查名单"].iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "统一社会信用代码", "单位名称")
    assert len(rows) - 1 == plan.inspections.count() and rows[1][5] == "C"
    [entry] = entries("export")
    assert entry.object_type == "inspection_plan" and entry.data["rows"] == len(rows) - 1


@pytest.mark.parametrize(
    "args,message",
    [
        (("show", "999"), "没有第 999 号检查计划"),
        (("draw", "--period", "27"), "计划期间应写作 2027"),
        (("draw", "--period", "2027", "--seed", "x"), "随机种子应为"),
        (("draw", "--period", "2027", "--rates", "A+0"), "检查频次应写作"),
    ],
)
def test_bad_input_is_a_chinese_error(args, message):
    roster(2)
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_export_needs_an_xlsx_name(plan, tmp_path):
    with pytest.raises(CommandError, match=r"\.xlsx"):
        run("export", str(plan.pk), "-o", str(tmp_path / "plan.csv"))


def test_draw_for_a_period_out_of_range_says_why_in_chinese():
    pool(1)
    roster(2)
    for period, kind, message in [
        ("0000", "year", "计划期间不能早于2022年"),
        ("9999Q4", "quarter", "计划期间最晚为明年"),
    ]:
        with pytest.raises(CommandError, match=message):
            run("draw", "--period", period, "--kind", kind)
    assert InspectionPlan.objects.count() == 0
