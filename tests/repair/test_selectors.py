"""repair_due and repair_file: the due list is right on the day after a cycle end, not before,
overdue after the deadline, and a provisional deadline says so."""

from __future__ import annotations

import pytest

from laborcredit.rating.models import EmployerGrade
from laborcredit.rating.services import regrade_due
from laborcredit.repair.models import RepairAdjustment
from laborcredit.repair.selectors import repair_due, repair_file
from laborcredit.rules.workdays import package_years
from laborcredit.workdays.selectors import calendar
from laborcredit.workdays.services import arrangement_enter
from tests.factories import EmployerFactory
from tests.repair.helpers import CASE, DAY, graded_on, penalised, today

pytestmark = pytest.mark.django_db


def usccs(files):
    return [f.employer.uscc for f in files]


def test_a_repaired_employer_is_due_on_the_day_after_its_cycle_end():
    employer = EmployerFactory()
    end = penalised(employer, days_ago=200)
    listing = repair_due(as_of=end + DAY)
    assert usccs(listing.due) == [employer.uscc]
    (found,) = listing.due
    assert found.status.cycle_end == end
    assert found.deadline.date == calendar().add_working_days(end, 5).date
    assert found.days_left == calendar().working_days_between(end + DAY, found.deadline.date)
    assert not found.overdue
    assert listing.upcoming == [] and listing.awaiting_evidence == []


def test_it_is_due_on_the_cycle_end_itself_and_not_on_the_day_before():
    employer = EmployerFactory()
    end = penalised(employer, days_ago=200)
    assert usccs(repair_due(as_of=end).due) == [employer.uscc]
    before = repair_due(as_of=end - DAY)
    assert before.due == []
    assert usccs(before.upcoming) == [employer.uscc]
    assert before.upcoming[0].days_left == calendar().working_days_between(
        end - DAY, before.upcoming[0].deadline.date
    )


def test_a_cycle_ending_beyond_the_horizon_is_not_upcoming():
    employer = EmployerFactory()
    end = penalised(employer, days_ago=200)
    assert repair_due(as_of=end - 31 * DAY).upcoming == []
    assert usccs(repair_due(as_of=end - 30 * DAY).upcoming) == [employer.uscc]
    assert repair_due(as_of=end - 5 * DAY, horizon_days=3).upcoming == []


def test_it_is_overdue_the_day_after_the_deadline():
    employer = EmployerFactory()
    end = penalised(employer, days_ago=200)
    deadline = calendar().add_working_days(end, 5).date
    on_deadline = repair_due(as_of=deadline).due[0]
    assert not on_deadline.overdue and on_deadline.days_left == 0
    after = repair_due(as_of=deadline + DAY).due[0]
    assert after.overdue and after.days_left == 0


def test_missing_evidence_is_awaited_not_due_even_after_the_cycle_end():
    employer = EmployerFactory()
    end = penalised(employer, days_ago=200, fulfilled_after=None)
    listing = repair_due(as_of=end + DAY)
    assert listing.due == []
    assert usccs(listing.awaiting_evidence) == [employer.uscc]
    (found,) = listing.awaiting_evidence
    assert found.status.remaining == [f"履行行政处罚决定（案件 {CASE}）"]
    assert found.deadline is None and found.days_left is None


def test_an_employer_without_a_penalty_is_in_no_section():
    EmployerFactory()
    listing = repair_due(as_of=today())
    assert listing.due == listing.upcoming == listing.awaiting_evidence == []


def test_a_recorded_adjustment_takes_the_employer_off_the_due_list():
    employer = EmployerFactory()
    end = penalised(employer, days_ago=200)
    RepairAdjustment.objects.create(
        employer=employer, cases=[CASE], cycle_end=end, deadline=end + 7 * DAY,
        adjusted_on=end, grade_before="C", grade_after="A", adjusted_by="officer", on_time=True,
    )  # fmt: skip
    assert repair_due(as_of=end + DAY).due == []
    assert repair_file(employer=employer, as_of=end + DAY).adjustment is not None


def test_a_grade_the_daily_run_already_lifted_stays_due_until_the_adjustment_is_recorded():
    employer = EmployerFactory()
    end = penalised(employer, days_ago=400, regrade=False)
    graded_on(employer, end - DAY)
    assert EmployerGrade.objects.get(employer=employer).grade == "C"
    regrade_due(today=end, actor="system")
    assert EmployerGrade.objects.get(employer=employer).grade == "A"
    assert usccs(repair_due(as_of=end + DAY).due) == [employer.uscc]


def test_a_deadline_in_a_year_without_an_arrangement_is_provisional_until_one_is_entered():
    year = max(package_years()) + 1
    employer = EmployerFactory()
    end = penalised(employer, days_ago=200)
    found = repair_due(as_of=end + DAY).due[0]
    if found.deadline.date.year != year:
        pytest.skip("the deadline does not fall in the first year without an arrangement")
    assert found.deadline.provisional_years == frozenset({year})
    arrangement_enter(
        year=year, holidays=[end.replace(year=year, month=1, day=1)], workdays=[],
        source=f"国务院办公厅关于{year}年部分节假日安排的通知", actor="sysadmin",
    )  # fmt: skip
    assert not repair_due(as_of=end + DAY).due[0].deadline.provisional


def test_the_repair_file_lists_the_evidence_records_of_the_case():
    employer = EmployerFactory()
    end = penalised(employer, days_ago=200)
    found = repair_file(employer=employer, as_of=end - DAY)
    assert [r.type for r in found.evidence] == [
        "violation_found", "penalty_imposed", "violation_corrected", "penalty_fulfilled",
    ]  # fmt: skip
    assert found.status.earliest_change_on == end
    assert not found.due
    assert repair_file(employer=EmployerFactory(), as_of=end) is None
