"""`evaluate`, `regrade --due` and `runs list|show|approve|decide`: Chinese output, and
errors as CommandError in Chinese."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from laborcredit.audit.context import command_line_actor
from laborcredit.rating.models import EmployerGrade, EvaluationRun, ReviewDecision
from tests.credit.helpers import days_ago
from tests.factories import EmployerFactory
from tests.rating.helpers import not_corrected, penalised, user

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def run_command(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def employers():
    return {"clean": EmployerFactory(), "penalised": penalised(30), "review": not_corrected()}


@pytest.fixture
def draft(employers):
    run_command("evaluate", "--as-of", days_ago(0).isoformat())
    return EvaluationRun.objects.get()


def test_evaluate_drafts_a_run_and_says_so_in_chinese(employers):
    out = run_command("evaluate", "--as-of", days_ago(0).isoformat())
    run = EvaluationRun.objects.get()
    assert f"已生成第 {run.pk} 次评价（草稿）" in out
    assert "共 3 家：A+级 0 家，A级 1 家，B级 1 家，C级 1 家" in out
    assert "需人工复核 1 家" in out
    assert run.created_by == command_line_actor()


def test_evaluate_refuses_a_bad_date_in_chinese():
    with pytest.raises(CommandError, match="评价日期：不存在的日期"):
        run_command("evaluate", "--as-of", "2025-13-01")
    assert EvaluationRun.objects.count() == 0


def test_runs_list_shows_every_run_in_chinese(draft):
    out = run_command("runs", "list")
    assert f"第 {draft.pk} 次" in out and "草稿" in out


def test_runs_list_with_no_runs_says_how_to_start_one():
    assert "还没有年度评价" in run_command("runs", "list")


def test_runs_show_lists_the_counts_and_the_employers_to_review(draft, employers):
    out = run_command("runs", "show", str(draft.pk))
    assert "需人工复核（前 50 家）" in out
    assert employers["review"].uscc in out
    assert "等级变动" in out


def test_runs_show_of_a_missing_run_is_a_chinese_error():
    with pytest.raises(CommandError, match="没有第 999 次评价"):
        run_command("runs", "show", "999")


def test_runs_approve_by_a_user_with_the_permission_makes_the_grades_official(draft):
    user("王局长", can_approve=True)
    out = run_command("runs", "approve", str(draft.pk), "--by", "王局长")
    assert "已由 王局长 批准，成为正式信用等级" in out
    assert EvaluationRun.objects.get(pk=draft.pk).status == "approved"
    assert EmployerGrade.objects.filter(run=draft).count() == 0  # no grade moved
    with pytest.raises(CommandError, match="不能重复批准"):
        run_command("runs", "approve", str(draft.pk), "--by", "王局长")


def test_runs_approve_without_the_permission_is_a_chinese_error(draft):
    user("李四")
    with pytest.raises(CommandError) as error:
        run_command("runs", "approve", str(draft.pk), "--by", "李四")
    assert "无权批准" in str(error.value)
    assert EvaluationRun.objects.get(pk=draft.pk).status == "draft"


def test_runs_approve_by_an_unknown_account_is_a_chinese_error(draft):
    with pytest.raises(CommandError, match="没有有效账号 nobody"):
        run_command("runs", "approve", str(draft.pk), "--by", "nobody")


def test_runs_decide_records_a_decision_on_the_draft(draft, employers):
    user("张科长")
    review = employers["review"]
    out = run_command(
        "runs", "decide", str(draft.pk), review.uscc, "--grade", "C", "--reason", "拒不整改",
        "--by", "张科长",
    )  # fmt: skip
    assert f"已记录对 {review.name} 的人工认定：C级" in out
    decision = ReviewDecision.objects.get()
    assert (decision.run, decision.decided_grade, decision.decided_by) == (draft, "C", "张科长")


def test_runs_decide_of_a_grade_the_flag_rules_out_is_a_chinese_error(draft, employers):
    user("张科长")
    with pytest.raises(CommandError) as error:
        run_command(
            "runs", "decide", str(draft.pk), employers["review"].uscc, "--grade", "A+",
            "--reason", "测试", "--by", "张科长",
        )  # fmt: skip
    assert "只能认定为B级或C级，不能认定为A+级" in str(error.value)
    assert ReviewDecision.objects.count() == 0


def test_runs_decide_for_an_employer_not_to_review_is_a_chinese_error(draft, employers):
    user("张科长")
    with pytest.raises(CommandError) as error:
        run_command(
            "runs", "decide", str(draft.pk), employers["clean"].uscc, "--grade", "B",
            "--reason", "x", "--by", "张科长",
        )  # fmt: skip
    assert CHINESE.search(str(error.value))
    assert "无需人工复核" in str(error.value)
    assert ReviewDecision.objects.count() == 0


def test_regrade_due_reports_what_it_checked_and_changed():
    employer = penalised(300, repaired=True)
    EmployerFactory()
    later = days_ago(300) + datetime.timedelta(days=400)
    out = run_command("regrade", "--due", "--as-of", later.isoformat())
    assert "检查 1 家，等级变化 1 家" in out
    assert "C → A：1 家" in out
    assert EmployerGrade.objects.get(employer=employer).grade == "A"


def test_regrade_refuses_a_bad_date_in_chinese():
    with pytest.raises(CommandError, match="评价日期：日期格式应为 YYYY-MM-DD"):
        run_command("regrade", "--due", "--as-of", "tomorrow")


def test_evaluate_before_the_regulation_is_in_force_is_a_chinese_error(employers):
    with pytest.raises(CommandError, match="早于《办法》施行日期"):
        run_command("evaluate", "--as-of", "2000-01-01")
    assert EvaluationRun.objects.count() == 0


def test_runs_approve_by_the_person_who_drafted_is_a_chinese_error(draft):
    user(draft.created_by, can_approve=True)
    with pytest.raises(CommandError, match="须由发起人以外的人员批准"):
        run_command("runs", "approve", str(draft.pk), "--by", draft.created_by)
    assert EvaluationRun.objects.get(pk=draft.pk).status == "draft"
