"""第二十条 deadlines in working days: 国庆 2025 and 春节 2026 with their 调休 days, and years without
an arrangement (暂定)."""

from __future__ import annotations

import datetime

import pytest

from laborcredit.objections.models import Objection
from laborcredit.objections.selectors import objection_list, objection_view
from laborcredit.objections.services import (
    objection_accept,
    objection_decide,
    objection_notify,
    objection_push_record,
)
from laborcredit.rules.workdays import package_years
from laborcredit.workdays.selectors import calendar
from laborcredit.workdays.services import arrangement_enter
from tests.factories import EmployerFactory
from tests.objections.helpers import file_paper, penalised_employer

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def penalised():
    employer, _, penalty = penalised_employer()
    return employer, penalty


def accepted(employer, penalty, received_on, handling):
    objection = file_paper(employer, [penalty], received_on=received_on)
    return objection_accept(
        objection=objection, handling=handling, verify_reason="需向税务部门核实", actor="li"
    )


@pytest.mark.parametrize(
    ("received_on", "handling", "due"),
    [
        # Sep 28 (Sun) is a 调休 working day: Sep 26 (Fri) + 3 = Sep 28, 29, 30.
        (D(2025, 9, 26), "self", D(2025, 9, 30)),
        # Oct 1–8 off, Oct 11 (Sat) worked: Sep 30 + 3 = Oct 9, 10, 11.
        (D(2025, 9, 30), "self", D(2025, 10, 11)),
        (D(2025, 9, 30), "verify", D(2025, 10, 21)),
        # 春节 2026: Feb 15–23 off, Feb 14 (Sat) and Feb 28 (Sat) worked.
        (D(2026, 2, 13), "self", D(2026, 2, 25)),
        (D(2026, 2, 13), "verify", D(2026, 3, 5)),
    ],
)
def test_the_deadline_counts_working_days_across_the_holiday(penalised, received_on, handling, due):
    objection = accepted(*penalised, received_on, handling)
    view = objection_view(objection, today=received_on)
    assert view.due.date == due and not view.due.provisional
    assert view.due_note == ""


def test_before_acceptance_the_three_day_date_is_a_provisional_target(penalised):
    objection = file_paper(*penalised[:1], [penalised[1]], received_on=D(2025, 9, 30))
    view = objection_view(objection, today=D(2025, 9, 30))
    assert view.due.date == D(2025, 10, 11)
    assert view.due_tentative and "受理时确定" in view.due_note


def test_days_left_count_working_days_and_overdue_counts_after_the_due_day(penalised):
    objection = accepted(*penalised, D(2025, 9, 30), "self")
    assert objection_view(objection, today=D(2025, 9, 30)).days_left == 3
    # In the holiday Oct 9, 10 and 11 are still ahead; on Oct 10 only Oct 11 (the 调休 Saturday).
    assert objection_view(objection, today=D(2025, 10, 5)).days_left == 3
    assert objection_view(objection, today=D(2025, 10, 10)).days_left == 1
    on_the_day = objection_view(objection, today=D(2025, 10, 11))
    assert (on_the_day.days_left, on_the_day.overdue) == (0, False)
    late = objection_view(objection, today=D(2025, 10, 14))
    assert late.overdue and late.days_left == -2 and late.days_left_text == "已逾期 2 个工作日"


def test_told_after_the_due_day_is_not_met_and_the_push_has_five_days_from_the_decision(penalised):
    objection = accepted(*penalised, D(2025, 9, 30), "self")
    objection = objection_decide(
        objection=objection, outcome="rejected", reason="不成立", actor="li"
    )
    objection = objection_notify(objection=objection, actor="li")
    view = objection_view(objection)
    assert view.met is False and view.days_left is None and not view.overdue
    assert view.push_due.date == calendar().add_working_days(objection.decided_on, 5).date
    assert view.push_days_left is not None and not view.push_overdue
    pushed = objection_push_record(objection=objection, actor="li", reference="R-1")
    assert objection_view(pushed).push_days_left is None


def test_told_on_the_day_of_receipt_is_met(penalised):
    from django.utils import timezone

    today = timezone.localdate()
    objection = accepted(*penalised, today, "self")
    objection = objection_decide(
        objection=objection, outcome="rejected", reason="不成立", actor="li"
    )
    view = objection_view(objection_notify(objection=objection, actor="li"))
    assert view.met is True


def _objection_late_in(year: int) -> Objection:
    # Built directly: a receipt at the end of a year not yet reached cannot be filed today.
    return Objection.objects.create(
        employer=EmployerFactory(), number="异议〔2099〕0001", channel="paper",
        received_on=D(year, 12, 29), filed_by="o", subject="grade", reasons="x",
        handling="verify", state="accepted",
    )  # fmt: skip


def test_a_deadline_in_a_year_without_arrangement_is_provisional_until_one_is_entered():
    year = max(package_years())
    objection = _objection_late_in(year)
    view = objection_view(objection, today=D(year, 12, 29))
    assert view.due.provisional and view.due.provisional_years == {year + 1}
    assert f"{year + 1}年的节假日安排尚未公布或录入" in view.due_note
    guessed = view.due.date
    # The arrangement entered later: Jan 1–3 off, the following Saturday worked.
    saturday = D(year + 1, 1, 4) + datetime.timedelta(days=(5 - D(year + 1, 1, 4).weekday()) % 7)
    arrangement_enter(
        year=year + 1,
        holidays=[D(year + 1, 1, d) for d in (1, 2, 3, 5, 6)],
        workdays=[saturday],
        source="国务院办公厅通知（测试）",
        actor="admin",
    )
    again = objection_view(objection, today=D(year, 12, 29))
    assert not again.due.provisional and again.due_note == ""
    assert again.due.date != guessed


def test_the_overdue_list_holds_those_past_either_deadline(penalised):
    from django.utils import timezone

    employer, penalty = penalised
    late = accepted(employer, penalty, D(2025, 9, 30), "self")
    fresh = accepted(employer, penalty, timezone.localdate(), "self")
    decided_late = objection_decide(objection=late, outcome="rejected", reason="x", actor="li")
    told = objection_notify(objection=decided_late, actor="li")
    listed = {v.objection.pk for v in objection_list(overdue=True)}
    push_due = objection_view(told).push_due.date
    assert (told.pk in listed) == (timezone.localdate() > push_due)
    assert fresh.pk not in listed
    old = accepted(employer, penalty, D(2025, 9, 30), "verify")
    assert old.pk in {v.objection.pk for v in objection_list(overdue=True)}
    assert {v.objection.pk for v in objection_list(state="accepted")} == {fresh.pk, old.pk}


def test_a_deadline_passed_only_by_rest_days_is_overdue_by_no_working_day(penalised):
    # Received Fri Sep 26 2025, due Tue Sep 30; Oct 1–8 are holidays.
    objection = accepted(*penalised, D(2025, 9, 26), "self")
    view = objection_view(objection, today=D(2025, 10, 3))
    assert view.overdue and view.days_left == 0 and view.days_left_text == "已逾期"
