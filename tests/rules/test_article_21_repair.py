"""第二十一条 信用修复: what remains, when the cycle ends, when the grade can change, and the
adjustment deadline (评价周期满后5个工作日内)."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from laborcredit.rules import Grade, grade
from laborcredit.rules.repair import (
    adjustment_deadline,
    cycle_end,
    last_repair,
    repair_status,
)
from laborcredit.rules.workdays import Calendar
from tests.rules.builders import corrected, day, fulfilled, listed, penalty, violation

X = "舞人社罚〔2025〕3号"
Y = "舞人社罚〔2025〕9号"


def repaired_penalty(on: str, case: str = X, *, corrected_on: str, fulfilled_on: str):
    return [
        violation(on, case=case),
        penalty(on, case=case, document="舞人社罚字〔2025〕3号"),
        corrected(corrected_on, case=case),
        fulfilled(fulfilled_on, case=case),
    ]


def test_penalty_corrected_and_fulfilled_ends_its_cycle_one_year_later_and_changes_then():
    records = repaired_penalty("2025-03-10", corrected_on="2025-04-01", fulfilled_on="2025-05-06")
    status = repair_status(records, day("2025-06-01"))
    assert status is not None
    assert status.cycle_end == day("2026-03-10")
    assert status.repaired and status.remaining == []
    assert status.repaired_on == day("2025-05-06")
    assert status.earliest_change_on == day("2026-03-10")
    assert status.earliest_change_if_completed == day("2026-03-10")
    assert grade(records, day("2026-03-09")).grade is Grade.C
    assert grade(records, day("2026-03-10")).grade is not Grade.C
    (case,) = status.cases
    assert (case.case, case.penalty_date, case.document) == (
        X,
        day("2025-03-10"),
        "舞人社罚字〔2025〕3号",
    )


def test_missing_fulfilment_leaves_no_change_date_and_is_listed_as_remaining():
    records = [violation("2025-03-10", case=X), penalty("2025-03-10", case=X)]
    records.append(corrected("2025-04-01", case=X))
    status = repair_status(records, day("2025-06-01"))
    assert status is not None
    assert not status.repaired
    assert status.earliest_change_on is None
    assert status.remaining == [f"履行行政处罚决定（案件 {X}）"]
    assert status.earliest_change_if_completed == day("2026-03-10")


def test_missing_evidence_after_the_cycle_end_would_change_the_grade_on_the_day_it_is_filed():
    records = [violation("2025-03-10", case=X), penalty("2025-03-10", case=X)]
    status = repair_status(records, day("2026-05-04"))
    assert status is not None
    assert status.remaining == [f"纠正违法行为（案件 {X}）", f"履行行政处罚决定（案件 {X}）"]
    assert [e.rule for e in grade(records, day("2026-05-04")).basis] == ["c_penalty_not_repaired"]
    assert status.earliest_change_if_completed == day("2026-05-04")


def test_two_penalties_end_with_the_later_cycle_and_each_case_shows_its_own_steps():
    records = [
        *repaired_penalty("2025-03-10", corrected_on="2025-04-01", fulfilled_on="2025-05-06"),
        violation("2025-08-20", case=Y),
        penalty("2025-08-20", case=Y),
    ]
    status = repair_status(records, day("2025-09-01"))
    assert status is not None
    assert [c.case for c in status.cases] == [X, Y]
    assert [c.cycle_end for c in status.cases] == [day("2026-03-10"), day("2026-08-20")]
    assert status.cycle_end == day("2026-08-20")
    assert status.remaining == [f"纠正违法行为（案件 {Y}）", f"履行行政处罚决定（案件 {Y}）"]
    assert status.earliest_change_on is None
    assert status.earliest_change_if_completed == day("2026-08-20")


def test_a_blacklisting_keeps_the_c_after_the_penalty_is_repaired_and_says_so():
    records = [
        *repaired_penalty("2025-03-10", corrected_on="2025-04-01", fulfilled_on="2025-05-06"),
        listed("2025-07-01"),
    ]
    status = repair_status(records, day("2025-09-01"))
    assert status is not None
    assert [e.rule for e in status.other_c_causes] == ["c_blacklisted_in_last_year"]
    assert "第十二条(二)" in status.other_causes_note
    assert status.repaired
    assert status.penalty_lifted_on == day("2026-03-10")
    assert status.earliest_change_on is None  # still listed: C as long as it is


def test_a_penalty_on_29_february_stays_in_the_year_until_28_february_and_leaves_on_1_march():
    records = repaired_penalty("2024-02-29", corrected_on="2024-03-05", fulfilled_on="2024-03-20")
    assert cycle_end(day("2024-02-29")) == day("2025-03-01")
    status = repair_status(records, day("2024-06-01"))
    assert status is not None
    assert status.cycle_end == day("2025-03-01")
    assert status.earliest_change_on == day("2025-03-01")
    assert grade(records, day("2025-02-28")).grade is Grade.C


def test_the_adjustment_deadline_skips_the_national_day_holiday_and_counts_the_saturday_11_october():
    # Cycle end Tue 2025-09-30; 10-01..10-08 off; 10-09, 10-10, Sat 10-11 (调休), 10-13, 10-14.
    records = repaired_penalty("2024-09-30", corrected_on="2024-10-15", fulfilled_on="2024-11-01")
    status = last_repair(records, day("2025-10-09"))
    assert status is not None and status.finished
    assert status.cycle_end == day("2025-09-30")
    deadline = adjustment_deadline(status, Calendar())
    assert deadline.date == day("2025-10-14")
    assert not deadline.provisional


def test_evidence_dated_after_the_cycle_end_starts_the_five_working_days_from_its_date():
    records = repaired_penalty("2025-03-10", corrected_on="2025-04-01", fulfilled_on="2026-04-01")
    status = last_repair(records, day("2026-04-02"))
    assert status is not None and status.finished
    assert status.repaired_on == day("2026-04-01")
    assert status.penalty_lifted_on == day("2026-04-01")
    assert adjustment_deadline(status, Calendar()).date == day("2026-04-09")  # 4-04..4-06 清明


def test_a_deadline_in_a_year_without_an_arrangement_is_provisional():
    records = repaired_penalty("2031-03-10", corrected_on="2031-04-01", fulfilled_on="2031-05-06")
    status = repair_status(records, day("2031-06-01"))
    assert status is not None
    assert adjustment_deadline(status, Calendar()).provisional_years == frozenset({2032})


def test_a_finished_repair_is_seen_after_the_cycle_end_but_repair_status_is_none():
    records = repaired_penalty("2025-03-10", corrected_on="2025-04-01", fulfilled_on="2025-05-06")
    assert repair_status(records, day("2026-03-11")) is None
    status = last_repair(records, day("2026-03-11"))
    assert status is not None
    assert status.finished and status.penalty_lifted_on == day("2026-03-10")
    assert last_repair(records, day("2026-03-09")).finished is False


def test_a_penalty_from_before_the_banfa_never_repaired_is_still_under_repair_and_computes():
    # 第二十一条 keeps it at C; its cycle is measured by the window in force from 2022-12-15.
    records = [violation("2021-03-11", case=X), penalty("2021-03-11", case=X)]
    status = repair_status(records, day("2026-11-25"))
    assert status is not None and status.cycle_end == day("2022-03-11")
    assert status.cycle_ended and status.earliest_change_if_completed == day("2026-11-25")
    assert adjustment_deadline(status, Calendar()).date == day("2022-03-18")


def test_a_repair_finished_before_the_banfa_was_in_force_is_no_repair_under_it():
    records = repaired_penalty("2020-06-01", corrected_on="2020-07-01", fulfilled_on="2020-08-01")
    assert last_repair(records, day("2026-11-25")) is None


def test_no_penalty_no_repair():
    records = [violation("2025-03-10", case=X), corrected("2025-03-20", case=X)]
    assert repair_status(records, day("2025-06-01")) is None
    assert last_repair(records, day("2025-06-01")) is None
    assert repair_status([listed("2025-03-01")], day("2025-06-01")) is None


# ---------------------------------------------------------------- property

quick = settings(max_examples=80, derandomize=True, deadline=None, database=None)
ONE = datetime.timedelta(days=1)


@st.composite
def repair_files(draw):  # type: ignore[no-untyped-def]
    """A penalty or two, with evidence on some dates or missing, sometimes a blacklisting."""
    start = draw(st.dates(datetime.date(2023, 1, 1), datetime.date(2027, 12, 31)))
    records = []
    for case in draw(st.lists(st.sampled_from([X, Y]), min_size=1, max_size=2, unique=True)):
        on = start + draw(st.integers(0, 500)) * ONE
        records += [violation(on.isoformat(), case=case), penalty(on.isoformat(), case=case)]
        for kind in (corrected, fulfilled):
            if draw(st.booleans()):
                records.append(kind((on + draw(st.integers(0, 700)) * ONE).isoformat(), case=case))
    if draw(st.integers(0, 4)) == 0:
        records.append(listed((start + draw(st.integers(0, 600)) * ONE).isoformat()))
    as_of = start + draw(st.integers(0, 900)) * ONE
    return records, as_of


@quick
@given(repair_files())
def test_the_grade_is_c_on_every_date_before_the_earliest_change_and_not_on_it(file):
    records, as_of = file
    status = repair_status(records, as_of)
    if status is None:
        return
    change = status.earliest_change_on
    last = change - ONE if change else as_of + 3 * 366 * ONE
    probe = as_of
    while probe <= last:
        assert grade(records, probe).grade is Grade.C, probe
        probe += 17 * ONE
    assert grade(records, last).grade is Grade.C
    if change is not None:
        assert grade(records, change).grade is not Grade.C
