"""review_decide: an officer's decision on a needs_review result is its own record; the
computed result stays as computed, the official grade follows the decision."""

from __future__ import annotations

import pytest

from laborcredit.lib.errors import Refused
from laborcredit.rating.models import EmployerGrade, GradeChange, ReviewDecision, RunResult
from laborcredit.rating.services import (
    evaluation_run_approve,
    evaluation_run_create,
    review_decide,
)
from tests.credit.helpers import audit_entries, days_ago, row_counts
from tests.factories import EmployerFactory
from tests.rating.helpers import not_corrected, user

pytestmark = pytest.mark.django_db


def test_a_decision_is_stored_as_its_own_record_and_keeps_the_computed_grade():
    employer = not_corrected()
    current = EmployerGrade.objects.get(employer=employer)
    assert (current.grade, current.needs_review) == ("B", True)
    decision = review_decide(
        employer=employer, decided_grade="A", reason="整改材料已补交", actor="张科长"
    )
    stored = ReviewDecision.objects.get(pk=decision.pk)
    assert (stored.computed_grade, stored.decided_grade, stored.reason, stored.decided_by) == (
        "B",
        "A",
        "整改材料已补交",
        "张科长",
    )
    assert stored.computed_basis == current.basis
    current = EmployerGrade.objects.get(employer=employer)
    assert current.grade == "B"  # the computed result is never edited
    assert current.decision == stored
    assert current.official_grade == "A"


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
    employer = not_corrected()
    run = evaluation_run_create(as_of=days_ago(0), actor="张三")
    decision = review_decide(
        employer=employer, decided_grade="A", reason="已整改", actor="张科长", run=run
    )
    result = RunResult.objects.get(run=run, employer=employer)
    assert (result.grade, result.needs_review) == ("B", True)
    assert EmployerGrade.objects.get(employer=employer).decision is None
    evaluation_run_approve(run=run, approver=user("王局长", can_approve=True))
    current = EmployerGrade.objects.get(employer=employer)
    assert (current.grade, current.decision, current.official_grade) == ("B", decision, "A")
    change = GradeChange.objects.filter(employer=employer).order_by("-id").first()
    assert (change.from_grade, change.to_grade, change.cause, change.decision, change.run) == (
        "B",
        "A",
        "review",
        decision,
        run,
    )
    assert audit_entries("grade_change", employer.uscc)[-1].data["to"] == "A"
    with pytest.raises(Refused) as refused:
        review_decide(employer=employer, decided_grade="C", reason="改", actor="张科长", run=run)
    assert refused.value.codes == ["run-not-draft"]
