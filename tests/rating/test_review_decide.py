"""review_decide: an officer's decision on a needs_review result is its own record; the
computed result stays as computed, the official grade follows the decision."""

from __future__ import annotations

import pytest

from laborcredit.credit.services import record_create
from laborcredit.lib.errors import Refused
from laborcredit.rating.models import EmployerGrade, GradeChange, ReviewDecision, RunResult
from laborcredit.rating.services import (
    evaluation_run_approve,
    evaluation_run_create,
    review_decide,
)
from tests.credit.helpers import audit_entries, days_ago, row_counts
from tests.factories import EmployerFactory
from tests.rating.helpers import a_plus_candidate, not_corrected, user

pytestmark = pytest.mark.django_db


def test_a_decision_is_stored_as_its_own_record_and_keeps_the_computed_grade():
    employer = not_corrected()
    current = EmployerGrade.objects.get(employer=employer)
    assert (current.grade, current.needs_review) == ("B", True)
    decision = review_decide(
        employer=employer, decided_grade="C", reason="逾期仍拒不整改", actor="张科长"
    )
    stored = ReviewDecision.objects.get(pk=decision.pk)
    assert (stored.computed_grade, stored.decided_grade, stored.reason, stored.decided_by) == (
        "B",
        "C",
        "逾期仍拒不整改",
        "张科长",
    )
    assert stored.computed_basis == current.basis
    current = EmployerGrade.objects.get(employer=employer)
    assert current.grade == "B"  # the computed result is never edited
    assert current.decision == stored
    assert current.official_grade == "C"


def test_a_decision_that_changes_the_official_grade_is_in_the_history_and_the_audit_log():
    employer = not_corrected()
    decision = review_decide(
        employer=employer, decided_grade="C", reason="拒不整改", actor="张科长"
    )
    change = GradeChange.objects.filter(employer=employer).order_by("-id").first()
    assert (change.from_grade, change.to_grade, change.cause, change.decision) == (
        "B",
        "C",
        "review",
        decision,
    )
    (entry,) = audit_entries("review_decision", employer.uscc)
    assert entry.data == {
        "computed": "B",
        "decided": "C",
        "reason": "拒不整改",
        "run": None,
    }


def test_a_decision_that_keeps_the_grade_adds_no_grade_change():
    employer = not_corrected()
    changes = GradeChange.objects.count()
    review_decide(employer=employer, decided_grade="B", reason="确认", actor="张科长")
    assert GradeChange.objects.count() == changes
    assert ReviewDecision.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_decision_without_a_reason_is_refused_and_changes_nothing(reason):
    employer = not_corrected()
    before = row_counts()
    with pytest.raises(Refused) as refused:
        review_decide(employer=employer, decided_grade="A", reason=reason, actor="张科长")
    assert refused.value.codes == ["reason-missing"]
    assert row_counts() == before
    assert ReviewDecision.objects.count() == 0


def test_a_decision_is_refused_for_an_invalid_grade_or_a_result_not_to_review():
    with pytest.raises(Refused) as refused:
        review_decide(employer=not_corrected(), decided_grade="D", reason="x", actor="张科长")
    assert refused.value.codes == ["grade-invalid"]
    with pytest.raises(Refused) as refused:
        review_decide(employer=EmployerFactory(), decided_grade="B", reason="x", actor="张科长")
    assert refused.value.codes == ["review-not-needed"]
    assert ReviewDecision.objects.count() == 0


def test_a_decision_on_a_draft_run_becomes_official_when_the_run_is_approved():
    employer = a_plus_candidate()
    run = evaluation_run_create(as_of=days_ago(0), actor="张三")
    decision = review_decide(
        employer=employer, decided_grade="A+", reason="现场评估劳动用工情况良好", actor="张科长",
        run=run,
    )  # fmt: skip
    result = RunResult.objects.get(run=run, employer=employer)
    assert (result.grade, result.needs_review) == ("A", True)
    assert EmployerGrade.objects.get(employer=employer).decision is None
    evaluation_run_approve(run=run, approver=user("王局长", can_approve=True))
    current = EmployerGrade.objects.get(employer=employer)
    assert (current.grade, current.decision, current.official_grade) == ("A", decision, "A+")
    change = GradeChange.objects.filter(employer=employer).order_by("-id").first()
    assert (change.from_grade, change.to_grade, change.cause, change.decision, change.run) == (
        "A",
        "A+",
        "review",
        decision,
        run,
    )
    assert audit_entries("grade_change", employer.uscc)[-1].data["to"] == "A+"
    with pytest.raises(Refused) as refused:
        review_decide(employer=employer, decided_grade="C", reason="改", actor="张科长", run=run)
    assert refused.value.codes == ["run-not-draft"]


# ---------------------------------------------------------------- the grades a flag leaves open


@pytest.mark.parametrize("decided", ["A+", "A"])
def test_article_11_refuses_a_grade_better_than_b_and_changes_nothing(decided):
    """第十一条: a violation not corrected is B or C; A+ (with 第十四条's incentives) or A
    would grade it as if there were no violation in the last year (第九条, 第十条)."""
    employer = not_corrected()
    before = row_counts()
    with pytest.raises(Refused) as refused:
        review_decide(employer=employer, decided_grade=decided, reason="测试", actor="张科长")
    assert refused.value.codes == ["grade-not-open"]
    assert refused.value.problems[0].place == "decided_grade"
    assert refused.value.problems[0].message == (
        f"按评价依据（第十一条）只能认定为B级或C级，不能认定为{decided}级"
    )
    assert row_counts() == before
    current = EmployerGrade.objects.get(employer=employer)
    assert (current.decision, current.official_grade) == (None, "B")


@pytest.mark.parametrize("decided", ["B", "C"])
def test_article_9_candidate_refuses_a_grade_below_a_on_a_draft_run(decided):
    """第九条(二): the open question is A+ or A; nothing in the basis makes it B or C."""
    employer = a_plus_candidate()
    run = evaluation_run_create(as_of=days_ago(0), actor="张三")
    with pytest.raises(Refused) as refused:
        review_decide(employer=employer, decided_grade=decided, reason="x", actor="张科长", run=run)
    assert refused.value.codes == ["grade-not-open"]
    assert "只能认定为A+级或A级" in refused.value.problems[0].message
    assert ReviewDecision.objects.count() == 0


def test_article_9_candidate_may_be_decided_a_plus_on_the_current_grade():
    employer = a_plus_candidate()
    review_decide(employer=employer, decided_grade="A+", reason="评估通过", actor="张科长")
    assert EmployerGrade.objects.get(employer=employer).official_grade == "A+"


def test_article_8_flag_refuses_a_grade_above_the_computed_one():
    """第八条: a provincial D may lower the grade on review, never raise it."""
    employer = EmployerFactory()
    record_create(
        employer=employer, type="provincial_credit", date=days_ago(10), level="D",
        actor="officer",
    )  # fmt: skip
    current = EmployerGrade.objects.get(employer=employer)
    assert (current.grade, current.needs_review) == ("A", True)
    with pytest.raises(Refused) as refused:
        review_decide(employer=employer, decided_grade="A+", reason="x", actor="张科长")
    assert refused.value.codes == ["grade-not-open"]
    assert "（第八条）只能认定为A级、B级或C级" in refused.value.problems[0].message
    review_decide(employer=employer, decided_grade="B", reason="省级评价为D级", actor="张科长")
    assert EmployerGrade.objects.get(employer=employer).official_grade == "B"
