"""evaluation_run_create / evaluation_run_approve (第十三条 评价周期为一年): a draft run with its
counts, moved list and needs_review count; approval by another person with the permission."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from laborcredit.audit.chain import verify
from laborcredit.credit.models import CreditRecord
from laborcredit.credit.services import record_correct, record_create, record_void
from laborcredit.lib.errors import Refused
from laborcredit.rating import services
from laborcredit.rating.models import EmployerGrade, EvaluationRun, GradeChange, RunResult
from laborcredit.rating.services import (
    employer_regrade,
    evaluation_run_approve,
    evaluation_run_create,
)
from tests.credit.helpers import audit_entries, days_ago, row_counts
from tests.factories import EmployerFactory
from tests.rating.helpers import not_corrected, penalised, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def employers():
    return {"clean": EmployerFactory(), "penalised": penalised(30), "review": not_corrected()}


@pytest.fixture
def approver():
    return user("王局长", can_approve=True)


def test_a_run_counts_employers_by_grade_and_those_to_review(employers):
    run = evaluation_run_create(as_of=days_ago(0), actor="张三")
    assert run.status == "draft"
    assert run.employer_count == 3
    assert run.counts == {"A+": 0, "A": 1, "B": 1, "C": 1}
    assert run.needs_review_count == 1
    assert run.moved_count == 0
    assert RunResult.objects.filter(run=run).count() == 3
    assert RunResult.objects.get(run=run, employer=employers["review"]).needs_review
    (entry,) = audit_entries("evaluation_run_create", str(run.pk))
    assert entry.data["counts"] == run.counts


def test_a_draft_run_does_not_change_any_grade(employers):
    grades = dict(EmployerGrade.objects.values_list("employer_id", "grade"))
    changes = GradeChange.objects.count()
    evaluation_run_create(as_of=days_ago(0), actor="张三")
    assert dict(EmployerGrade.objects.values_list("employer_id", "grade")) == grades
    assert GradeChange.objects.count() == changes


def test_the_moved_list_compares_with_the_previous_approved_run(employers, approver):
    first = evaluation_run_create(as_of=days_ago(1), actor="张三")
    evaluation_run_approve(run=first, approver=approver)
    clean = employers["clean"]
    record_create(
        employer=clean, type="violation_found", date=days_ago(0), case="N1", actor="officer"
    )
    second = evaluation_run_create(as_of=days_ago(0), actor="张三")
    assert second.previous == first
    assert second.moved_count == 1
    moved = [r for r in RunResult.objects.filter(run=second) if r.moved]
    assert [(r.employer, r.previous_grade, r.grade) for r in moved] == [(clean, "A", "B")]


def test_approval_is_refused_without_the_permission(employers):
    run = evaluation_run_create(as_of=days_ago(0), actor="张三")
    with pytest.raises(Refused) as refused:
        evaluation_run_approve(run=run, approver=user("李四"))
    assert refused.value.codes == ["permission-denied"]
    assert EvaluationRun.objects.get(pk=run.pk).status == "draft"


def test_approval_is_refused_for_the_person_who_drafted_the_run(employers):
    creator = user("张三", can_approve=True)
    run = evaluation_run_create(as_of=days_ago(0), actor="张三")
    before = row_counts()
    with pytest.raises(Refused) as refused:
        evaluation_run_approve(run=run, approver=creator)
    assert refused.value.codes == ["four-eyes"]
    assert row_counts() == before


def test_a_run_cannot_be_approved_twice(employers, approver):
    run = evaluation_run_create(as_of=days_ago(0), actor="张三")
    evaluation_run_approve(run=run, approver=approver)
    before = row_counts()
    with pytest.raises(Refused) as refused:
        evaluation_run_approve(run=run, approver=approver)
    assert refused.value.codes == ["run-not-draft"]
    assert row_counts() == before


def test_a_run_older_than_the_latest_approved_one_is_refused(employers, approver):
    older = evaluation_run_create(as_of=days_ago(30), actor="张三")
    newer = evaluation_run_create(as_of=days_ago(0), actor="张三")
    evaluation_run_approve(run=newer, approver=approver)
    with pytest.raises(Refused) as refused:
        evaluation_run_approve(run=older, approver=approver)
    assert refused.value.codes == ["run-outdated"]
    assert EvaluationRun.objects.get(pk=older.pk).status == "draft"


def test_approval_makes_the_grades_follow_the_run_except_a_later_adjustment(approver):
    # Graded 20 days ago, while the repaired penalty of 380 days ago was still in the last year.
    stale = penalised(380, repaired=True)
    employer_regrade(employer=stale, cause="time", actor="cron", as_of=days_ago(20))
    assert EmployerGrade.objects.get(employer=stale).grade == "C"
    # A penalty 2 days ago: after the run's date, so the run (5 days ago) still says A.
    adjusted = EmployerFactory()
    run = evaluation_run_create(as_of=days_ago(5), actor="张三")
    for record_type in ("violation_found", "penalty_imposed"):
        record_create(
            employer=adjusted, type=record_type, date=days_ago(2), case="K1", actor="officer"
        )
    results = dict(RunResult.objects.filter(run=run).values_list("employer_id", "grade"))
    assert results == {stale.pk: "A", adjusted.pk: "A"}

    evaluation_run_approve(run=run, approver=approver)

    followed = EmployerGrade.objects.get(employer=stale)
    assert (followed.grade, followed.cause, followed.run, followed.as_of) == (
        "A",
        "run",
        run,
        days_ago(5),
    )
    change = GradeChange.objects.filter(employer=stale).order_by("-id").first()
    assert (change.from_grade, change.to_grade, change.run, change.actor) == (
        "C",
        "A",
        run,
        "王局长",
    )
    kept = EmployerGrade.objects.get(employer=adjusted)
    assert (kept.grade, kept.cause, kept.as_of) == ("C", "record", days_ago(0))
    approved = EvaluationRun.objects.get(pk=run.pk)
    assert (approved.status, approved.approved_by) == ("approved", "王局长")
    assert approved.approved_at is not None
    assert len(audit_entries("evaluation_run_approve", str(run.pk))) == 1
    assert verify().ok, verify().problem


def test_a_run_grades_the_latest_version_of_corrected_and_voided_records(monkeypatch):
    """第七条: a correction or a void supersedes the record's version; the run reads the latest
    versions a chunk of employers at a time, each chunk finding its own employers' later
    versions (CreditRecord.objects.effective(employers=…))."""
    monkeypatch.setattr(services, "EVALUATION_CHUNK", 2)  # two chunks of two employers
    kept = penalised(30)
    moved = penalised(30)  # both records corrected out of the last year, the violation twice
    violation = CreditRecord.objects.get(employer=moved, type="violation_found")
    violation = record_correct(record=violation, reason="日期录错", actor="officer",
                               date=days_ago(200))  # fmt: skip
    record_correct(record=violation, reason="再次核对", actor="officer", date=days_ago(400))
    penalty = CreditRecord.objects.get(employer=moved, type="penalty_imposed")
    record_correct(record=penalty, reason="日期录错", actor="officer", date=days_ago(390))
    voided = penalised(30)
    penalty = CreditRecord.objects.get(employer=voided, type="penalty_imposed")
    record_void(record=penalty, reason="重复录入", actor="officer")
    clean = EmployerFactory()
    employers = (kept, moved, voided, clean)

    run = evaluation_run_create(as_of=days_ago(0), actor="张三")

    results = {
        employer_id: (grade, [entry["rule"] for entry in basis])
        for employer_id, grade, basis in RunResult.objects.filter(run=run).values_list(
            "employer_id", "grade", "basis"
        )
    }
    assert [results[e.pk] for e in employers] == [
        ("C", ["c_penalty_in_last_year"]),
        ("C", ["c_penalty_not_repaired"]),  # 第二十一条: a year on, the penalty is not repaired
        ("B", ["b_not_corrected"]),  # the violation alone, its penalty voided
        ("A", ["a_no_violation_in_last_year"]),
    ]
    # The same grades and bases as each employer's own regrade, which reads its records alone.
    for employer in employers:
        employer_regrade(employer=employer, cause="time", actor="cron")
    regraded = {
        e.pk: (grade.grade, [entry["rule"] for entry in grade.basis])
        for e in employers
        for grade in [EmployerGrade.objects.get(employer=e)]
    }
    assert results == regraded


def test_a_run_on_a_date_before_a_penalty_ignores_it():
    employer = penalised(10)
    run = evaluation_run_create(as_of=days_ago(11), actor="张三")
    assert RunResult.objects.get(run=run, employer=employer).grade == "A"
    assert run.as_of == days_ago(0) - datetime.timedelta(days=11)


def test_a_penalty_entered_between_drafting_and_approval_on_the_same_day_is_kept(approver):
    employer = EmployerFactory()
    run = evaluation_run_create(as_of=days_ago(0), actor="张三")
    for record_type in ("violation_found", "penalty_imposed"):
        record_create(
            employer=employer, type=record_type, date=days_ago(0), case="K1", actor="officer"
        )
    assert RunResult.objects.get(run=run, employer=employer).grade == "A"
    evaluation_run_approve(run=run, approver=approver)
    current = EmployerGrade.objects.get(employer=employer)
    assert (current.grade, current.cause) == ("C", "record")


def test_when_a_result_is_decided_twice_the_latest_decision_is_the_official_grade(
    employers, approver
):
    from laborcredit.rating.services import review_decide

    run = evaluation_run_create(as_of=days_ago(0), actor="张三")
    review = employers["review"]
    review_decide(employer=review, decided_grade="B", reason="整改中", actor="张三", run=run)
    review_decide(employer=review, decided_grade="C", reason="逾期未整改", actor="张三", run=run)
    evaluation_run_approve(run=run, approver=approver)
    assert EmployerGrade.objects.get(employer=review).official_grade == "C"


def test_a_decision_outside_the_open_grades_stored_before_the_check_stops_approval(
    employers, approver
):
    from laborcredit.rating.models import ReviewDecision
    from laborcredit.rating.services import evaluation_run_approval_problems, review_decide

    run = evaluation_run_create(as_of=days_ago(0), actor="张三")
    review = employers["review"]
    result = RunResult.objects.get(run=run, employer=review)
    ReviewDecision.objects.create(  # as a draft decided before decisions were checked
        employer=review, run=run, computed_grade=result.grade, computed_as_of=run.as_of,
        computed_basis=result.basis, decided_grade="A+", reason="测试", decided_by="张三",
    )  # fmt: skip
    problems = evaluation_run_approval_problems(run=run, approver=approver)
    assert [p.code for p in problems] == ["decision-not-open"]
    assert review.uscc in problems[0].message
    with pytest.raises(Refused):
        evaluation_run_approve(run=run, approver=approver)
    review_decide(employer=review, decided_grade="C", reason="逾期未整改", actor="张三", run=run)
    assert evaluation_run_approval_problems(run=run, approver=approver) == []


def test_approval_reports_its_progress_by_chunk(employers, approver):
    run = evaluation_run_create(as_of=days_ago(0), actor="张三")
    told: list[int] = []
    evaluation_run_approve(run=run, approver=approver, progress=told.append)
    assert sum(told) == 3


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SET CONSTRAINTS: PostgreSQL's deferred keys"
)
def test_the_results_foreign_keys_are_deferred_again_after_an_evaluation(employers):
    """The evaluation checks its results' keys as it writes them (rating.services); the rest
    of the caller's transaction keeps Django's deferred checks."""
    run = evaluation_run_create(as_of=days_ago(0), actor="张三")
    # Deferred: a result naming no employer is refused only at the commit, not here.
    orphan = RunResult.objects.create(run=run, employer_id=10**12, grade="A", basis=[])
    orphan.delete()  # the check at the commit skips a row deleted meanwhile
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(IntegrityError):
            with transaction.atomic():
                RunResult.objects.create(run=run, employer_id=10**12, grade="A", basis=[])
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_approval_stores_many_grades_together_with_each_change_in_the_history(approver):
    """Enough employers for the stores of a batch (a COPY and one UPDATE on PostgreSQL): every
    grade follows the run, and each change has its history row, audit entry and platform item;
    an unchanged grade has none."""
    from laborcredit.exchange.models import OutboxItem

    stale = [penalised(380, repaired=True) for _ in range(12)]
    for employer in stale:
        employer_regrade(employer=employer, cause="time", actor="cron", as_of=days_ago(20))
    steady = [EmployerFactory() for _ in range(25)]
    run = evaluation_run_create(as_of=days_ago(0), actor="张三")
    changes_before = GradeChange.objects.count()
    items_before = OutboxItem.objects.count()

    evaluation_run_approve(run=run, approver=approver)

    grades = EmployerGrade.objects.filter(employer__in=[*stale, *steady])
    assert {(g.grade, g.as_of) for g in grades} == {("A", days_ago(0))}
    assert {(g.cause, g.run_id) for g in grades if g.employer in stale} == {("run", run.pk)}
    assert {g.run_id for g in grades if g.employer in steady} == {None}  # unchanged
    moved = GradeChange.objects.filter(run=run)
    assert sorted(c.employer_id for c in moved) == sorted(e.pk for e in stale)
    assert {(c.from_grade, c.to_grade, c.actor) for c in moved} == {("C", "A", "王局长")}
    assert GradeChange.objects.count() - changes_before == 12
    assert sorted(
        e.object_id for e in audit_entries("grade_change") if e.data["run"] == run.pk
    ) == (sorted(e.uscc for e in stale))
    assert OutboxItem.objects.count() - items_before == 12
    assert verify().ok, verify().problem


def test_approval_replaces_each_stored_grade_by_its_result(approver):
    """Every stored field comes from the run's result. Only a grade that changes takes the run
    as its cause and loses an officer's decision on the grade it replaces; the same grade for
    the same reasons (on a later date) keeps both; an employer never graded gets its first."""
    from laborcredit.rating.services import review_decide

    kept = not_corrected()
    review_decide(employer=kept, decided_grade="C", reason="逾期未整改", actor="张三")
    kept_before = EmployerGrade.objects.get(employer=kept)
    moved = penalised(380, repaired=True)
    employer_regrade(employer=moved, cause="time", actor="cron", as_of=days_ago(20))
    first = EmployerFactory()
    EmployerGrade.objects.filter(employer=first).delete()
    run = evaluation_run_create(as_of=days_ago(0), actor="张三")
    changes_before = set(GradeChange.objects.values_list("pk", flat=True))

    evaluation_run_approve(run=run, approver=approver)

    for employer in (kept, moved, first):
        stored = EmployerGrade.objects.get(employer=employer)
        result = RunResult.objects.get(run=run, employer=employer)
        assert (
            stored.grade, stored.needs_review, stored.provincial_level, stored.basis,
            stored.next_change_on, stored.as_of, stored.rule_version,
        ) == (
            result.grade, result.needs_review, result.provincial_level, result.basis,
            result.next_change_on, run.as_of, run.rule_version,
        )  # fmt: skip
    stored = EmployerGrade.objects.get(employer=kept)
    assert stored.updated_at > kept_before.updated_at
    assert (stored.cause, stored.run_id, stored.decision_id) == (
        kept_before.cause,
        kept_before.run_id,
        kept_before.decision_id,
    )
    assert kept_before.decision_id is not None
    assert stored.official_grade == "C"
    assert {
        (c.employer_id, c.from_grade, c.to_grade, c.cause)
        for c in GradeChange.objects.exclude(pk__in=changes_before)
    } == {(moved.pk, "C", "A", "run"), (first.pk, "", "A", "run")}
    for employer in (moved, first):
        stored = EmployerGrade.objects.get(employer=employer)
        assert (stored.cause, stored.run_id, stored.decision_id) == ("run", run.pk, None)
    assert verify().ok, verify().problem
