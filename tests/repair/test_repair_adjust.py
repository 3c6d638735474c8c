"""repair_adjust: refusals with stable codes (nothing changed), the grade before and after,
who and when, on time or late, one audit entry, and a second call refused."""

from __future__ import annotations

import pytest

from laborcredit.audit.models import AuditEntry
from laborcredit.credit.services import record_create
from laborcredit.lib.errors import Refused
from laborcredit.rating.models import EmployerGrade, GradeChange
from laborcredit.repair.models import RepairAdjustment
from laborcredit.repair.services import repair_adjust
from laborcredit.workdays.selectors import calendar
from tests.factories import EmployerFactory
from tests.repair.helpers import CASE, DAY, graded_on, penalised, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer():
    return EmployerFactory()


def held_at_c(employer, **kwargs):
    """Penalised 400 days ago and repaired; the stored grade is C as of the day before the cycle end."""
    end = penalised(employer, days_ago=400, regrade=False, **kwargs)
    graded_on(employer, end - DAY)
    assert EmployerGrade.objects.get(employer=employer).grade == "C"
    return end


def refused_codes(**kwargs):
    before = (
        RepairAdjustment.objects.count(),
        AuditEntry.objects.count(),
        GradeChange.objects.count(),
    )
    with pytest.raises(Refused) as caught:
        repair_adjust(**kwargs)
    after = (
        RepairAdjustment.objects.count(),
        AuditEntry.objects.count(),
        GradeChange.objects.count(),
    )
    assert after == before
    return caught.value.codes


def test_the_adjustment_after_the_cycle_end_regrades_and_records_who_and_when(employer):
    end = held_at_c(employer)
    adjustment = repair_adjust(employer=employer, actor="zhang", as_of=end + DAY)
    assert (adjustment.grade_before, adjustment.grade_after) == ("C", "A")
    assert adjustment.adjusted_by == "zhang" and adjustment.adjusted_at is not None
    assert adjustment.adjusted_on == end + DAY
    assert adjustment.cycle_end == end and adjustment.cases == [CASE]
    assert adjustment.deadline == calendar().add_working_days(end, 5).date
    assert adjustment.on_time
    current = EmployerGrade.objects.get(employer=employer)
    assert current.grade == "A" and current.as_of == end + DAY
    change = GradeChange.objects.filter(employer=employer).latest("id")
    assert (change.from_grade, change.to_grade, change.cause, change.actor) == (
        "C",
        "A",
        "time",
        "zhang",
    )


def test_the_adjustment_writes_one_audit_entry(employer):
    end = held_at_c(employer)
    adjustment = repair_adjust(employer=employer, actor="zhang", as_of=end + DAY)
    (entry,) = AuditEntry.objects.filter(event="repair_adjust")
    assert entry.object_id == employer.uscc
    assert entry.data["adjustment"] == adjustment.pk
    assert (entry.data["grade_before"], entry.data["grade_after"]) == ("C", "A")
    assert entry.data["on_time"] is True


def test_an_adjustment_after_the_deadline_is_recorded_as_late(employer):
    end = held_at_c(employer)
    deadline = calendar().add_working_days(end, 5).date
    with pytest.raises(Refused) as refused:
        repair_adjust(employer=employer, actor="zhang", as_of=deadline + DAY)
    assert refused.value.problems[0].code == "late-reason-missing"
    assert not RepairAdjustment.objects.exists()
    assert EmployerGrade.objects.get(employer=employer).official_grade == "C"  # regrade undone
    adjustment = repair_adjust(
        employer=employer, actor="zhang", as_of=deadline + DAY, late_reason="证据材料补交延误"
    )
    assert not adjustment.on_time
    assert f"超过调整期限 {deadline}，逾期原因：证据材料补交延误" in adjustment.note


def test_a_second_adjustment_of_the_same_cycle_is_refused(employer):
    end = held_at_c(employer)
    repair_adjust(employer=employer, actor="zhang", as_of=end + DAY)
    assert refused_codes(employer=employer, actor="li", as_of=end + 2 * DAY) == ["already-adjusted"]


def test_before_the_cycle_end_it_is_refused(employer):
    end = held_at_c(employer)
    assert refused_codes(employer=employer, actor="zhang", as_of=end - DAY) == ["cycle-not-ended"]


def test_missing_evidence_is_refused_naming_what_remains(employer):
    end = held_at_c(employer, fulfilled_after=None)
    with pytest.raises(Refused) as caught:
        repair_adjust(employer=employer, actor="zhang", as_of=end + DAY)
    assert caught.value.codes == ["evidence-missing"]
    assert f"履行行政处罚决定（案件 {CASE}）" in caught.value.problems[0].message
    assert RepairAdjustment.objects.count() == 0
    assert EmployerGrade.objects.get(employer=employer).as_of == end - DAY


def test_an_employer_not_at_c_for_a_penalty_is_refused(employer):
    assert refused_codes(employer=employer, actor="zhang") == ["repair-none"]


def test_a_date_in_the_future_or_before_the_current_grade_is_refused(employer):
    end = held_at_c(employer)
    assert refused_codes(employer=employer, actor="zhang", as_of=today() + DAY) == [
        "date-in-future"
    ]
    assert refused_codes(employer=employer, actor="zhang", as_of=end - 2 * DAY) == [
        "date-before-current"
    ]


def test_a_blacklisting_keeps_the_c_and_the_note_says_why(employer):
    end = penalised(employer, days_ago=400, regrade=False)
    record_create(employer=employer, type="blacklist_listed", date=end - 300 * DAY,
                  actor="officer", regrade=False)  # fmt: skip
    graded_on(employer, end - DAY)
    adjustment = repair_adjust(employer=employer, actor="zhang", as_of=end + DAY)
    assert (adjustment.grade_before, adjustment.grade_after) == ("C", "C")
    assert "第十二条(二)" in adjustment.note and "仍使该单位为C级" in adjustment.note
    rules = [e["rule"] for e in EmployerGrade.objects.get(employer=employer).basis]
    assert rules == ["c_blacklisted_in_last_year"]


def test_a_grade_already_lifted_by_a_late_record_is_recorded_with_that_change(employer):
    penalised(employer, days_ago=400, fulfilled_after=None)
    assert EmployerGrade.objects.get(employer=employer).grade == "C"
    record_create(employer=employer, type="penalty_fulfilled", date=today(), case=CASE,
                  actor="officer")  # fmt: skip
    assert EmployerGrade.objects.get(employer=employer).grade == "A"
    adjustment = repair_adjust(employer=employer, actor="zhang")
    assert (adjustment.grade_before, adjustment.grade_after) == ("C", "A")
    assert adjustment.adjusted_on == today()
    assert adjustment.deadline == calendar().add_working_days(today(), 5).date
    assert adjustment.on_time
    assert "由系统重新评价为A级" in adjustment.note


def test_the_adjustment_cannot_be_changed_or_deleted(employer):
    end = held_at_c(employer)
    adjustment = repair_adjust(employer=employer, actor="zhang", as_of=end + DAY)
    adjustment.note = "改动"
    with pytest.raises(Exception, match="只能追加"):
        adjustment.save()
    with pytest.raises(Exception, match="只能追加"):
        adjustment.delete()


def test_the_database_refuses_an_update_of_an_adjustment(employer):
    from django.db import DatabaseError, transaction

    end = held_at_c(employer)
    repair_adjust(employer=employer, actor="zhang", as_of=end + DAY)
    with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
        RepairAdjustment.objects.update(note="改动")
    assert RepairAdjustment.objects.get().note == ""
