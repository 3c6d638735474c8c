"""regrade_due (第十三条): time alone moves a grade when a window edge passes; only the
employers whose result may have changed are regraded."""

from __future__ import annotations

import datetime

import pytest

from laborcredit.rating.models import EmployerGrade, GradeChange
from laborcredit.rating.services import employer_regrade, regrade_due
from tests.credit.helpers import days_ago
from tests.factories import EmployerFactory
from tests.rating.helpers import penalised

pytestmark = pytest.mark.django_db


def test_a_repaired_penalty_leaving_the_last_year_lifts_c_on_the_first_due_run():
    employer = penalised(300, repaired=True)
    current = EmployerGrade.objects.get(employer=employer)
    assert current.grade == "C"
    before = GradeChange.objects.count()
    summary = regrade_due(today=current.next_change_on - datetime.timedelta(days=1), actor="cron")
    assert (summary.checked, summary.changed) == (0, 0)
    assert GradeChange.objects.count() == before
    later = days_ago(300) + datetime.timedelta(days=400)
    summary = regrade_due(today=later, actor="cron")
    current = EmployerGrade.objects.get(employer=employer)
    assert (current.grade, current.cause, current.as_of) == ("A", "time", later)
    change = GradeChange.objects.filter(employer=employer).order_by("-id").first()
    assert (change.from_grade, change.to_grade, change.cause, change.record) == (
        "C",
        "A",
        "time",
        None,
    )
    assert summary.changed == 1


def test_a_penalty_400_days_old_graded_while_it_was_recent_is_lifted_by_the_due_run():
    employer = penalised(400, repaired=True)
    assert EmployerGrade.objects.get(employer=employer).grade == "A"
    employer_regrade(employer=employer, cause="time", actor="cron", as_of=days_ago(60))
    assert EmployerGrade.objects.get(employer=employer).grade == "C"
    summary = regrade_due(today=days_ago(0), actor="cron")
    assert EmployerGrade.objects.get(employer=employer).grade == "A"
    assert summary.transitions == {("C", "A"): 1}


def test_an_unrepaired_penalty_keeps_c_after_the_year_under_article_21():
    employer = penalised(300)
    regrade_due(today=days_ago(300) + datetime.timedelta(days=400), actor="cron")
    current = EmployerGrade.objects.get(employer=employer)
    assert current.grade == "C"
    assert [entry["rule"] for entry in current.basis] == ["c_penalty_not_repaired"]


def test_only_due_employers_are_regraded():
    due = penalised(300, repaired=True)
    recent = penalised(10, repaired=True)
    clean = EmployerFactory()
    ungraded_before = {
        e.pk: EmployerGrade.objects.get(employer=e).updated_at for e in (recent, clean)
    }
    today = days_ago(300) + datetime.timedelta(days=370)
    summary = regrade_due(today=today, actor="cron")
    assert summary.checked == 1
    assert summary.changed == 1
    assert EmployerGrade.objects.get(employer=due).grade == "A"
    for employer in (recent, clean):
        current = EmployerGrade.objects.get(employer=employer)
        assert current.updated_at == ungraded_before[employer.pk]
        assert current.as_of == days_ago(0)
    assert EmployerGrade.objects.get(employer=recent).grade == "C"


def test_a_second_run_on_the_same_day_finds_nothing_due():
    penalised(300, repaired=True)
    today = days_ago(300) + datetime.timedelta(days=400)
    regrade_due(today=today, actor="cron")
    again = regrade_due(today=today, actor="cron")
    assert (again.checked, again.changed) == (0, 0)


def test_many_due_employers_are_stored_as_one_regrade_each_would_store_them():
    """Thirty due employers: on PostgreSQL the batch path (one COPY and one UPDATE) stores
    every row as `employer_regrade` stores one; on SQLite the same through save()."""
    from laborcredit.rating.services import effective_records, grade_records
    from laborcredit.rules.adjustment import next_change_on

    employers = [penalised(300, repaired=n % 2 == 0) for n in range(30)]
    later = days_ago(300) + datetime.timedelta(days=400)
    before = {g.pk: g.updated_at for g in EmployerGrade.objects.all()}
    summary = regrade_due(today=later, actor="cron")
    assert summary.checked == 30
    # Repaired: A; not repaired: still C, now under 第二十一条 (a new basis, so a change too).
    assert summary.transitions == {("C", "A"): 15, ("C", "C"): 15}
    records = effective_records([e.pk for e in employers])
    for employer in employers:
        stored = EmployerGrade.objects.get(employer=employer)
        mine = records[employer.pk]
        expected = grade_records(mine, later)
        assert stored.grade == expected.grade.value
        assert stored.basis == [entry.as_dict() for entry in expected.basis]
        assert (stored.as_of, stored.rule_version) == (later, expected.rule_version)
        assert stored.next_change_on == next_change_on(mine, later)
        assert stored.updated_at > before[employer.pk]
        assert stored.cause == "time"
