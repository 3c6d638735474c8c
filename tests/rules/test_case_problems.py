"""The records of one case in a possible order: nothing before the finding, a fulfilment after its
penalty, one correction and one fulfilment (第十一条, 第十二条(一), 第二十一条)."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from laborcredit.rules import Record, RecordType
from laborcredit.rules.validation import case_order_problems, case_problems
from tests.rules.builders import corrected, fulfilled, penalty, violation

CASE = "舞人社监〔2026〕302号"
T = RecordType


def found(problems):
    return [(p.index, p.field, p.code) for p in problems]


def test_the_reported_case_a_deadline_and_a_correction_before_the_finding_are_both_refused():
    records = [
        violation("2026-11-01", case=CASE, deadline="2026-10-01"),
        corrected("2026-10-15", case=CASE),
    ]
    problems = case_order_problems(records)
    assert found(problems) == [(0, "correction_deadline", "date-order"), (1, "date", "date-order")]
    assert "2026-10-01" in problems[0].reason and "2026-11-01" in problems[0].reason
    assert "2026-10-15" in problems[1].reason and "2026-11-01" in problems[1].reason
    assert "第十一条" in problems[1].reason


def test_a_deadline_on_the_day_of_the_finding_is_fine():
    assert case_order_problems([violation("2026-03-01", case=CASE, deadline="2026-03-01")]) == []


def test_a_correction_and_a_penalty_on_the_day_of_the_finding_are_fine():
    records = [
        violation("2026-03-01", case=CASE),
        corrected("2026-03-01", case=CASE),
        penalty("2026-03-01", case=CASE),
        fulfilled("2026-03-01", case=CASE),
    ]
    assert case_problems(records) == []


def test_a_correction_after_its_deadline_is_late_not_impossible():
    """第十一条: a late correction is graded (needs review), not refused."""
    records = [violation("2026-03-01", case=CASE, deadline="2026-03-31"),
               corrected("2026-06-01", case=CASE)]  # fmt: skip
    assert case_problems(records) == []


def test_a_penalty_before_its_finding_is_refused_naming_both_dates():
    (problem,) = case_order_problems(
        [violation("2026-03-01", case=CASE), penalty("2026-02-01", case=CASE)]
    )
    assert (problem.index, problem.code) == (1, "date-order")
    assert "2026-02-01" in problem.reason and "2026-03-01" in problem.reason


def test_a_fulfilment_before_its_penalty_is_refused():
    (problem,) = case_order_problems(
        [
            violation("2026-03-01", case=CASE),
            penalty("2026-04-01", case=CASE),
            fulfilled("2026-03-15", case=CASE),
        ]
    )
    assert (problem.index, problem.code) == (2, "date-order")
    assert "2026-03-15" in problem.reason and "2026-04-01" in problem.reason


def test_a_second_correction_of_a_case_is_refused_at_the_later_one():
    records = [
        violation("2026-03-01", case=CASE),
        corrected("2026-03-10", case=CASE),
        corrected("2026-03-20", case=CASE),
    ]
    (problem,) = case_order_problems(records)
    assert (problem.index, problem.field, problem.code) == (2, "case", "case-duplicate")
    assert "2026-03-10" in problem.reason


def test_a_second_fulfilment_of_a_case_is_refused():
    records = [
        violation("2026-03-01", case=CASE),
        penalty("2026-04-01", case=CASE),
        fulfilled("2026-04-10", case=CASE),
        fulfilled("2026-04-20", case=CASE),
    ]
    assert found(case_order_problems(records)) == [(3, "case", "case-duplicate")]


def test_corrections_of_two_cases_are_one_each():
    records = [
        violation("2026-03-01", case="K1"),
        violation("2026-03-01", case="K2"),
        corrected("2026-03-10", case="K1"),
        corrected("2026-03-10", case="K2"),
    ]
    assert case_problems(records) == []


def test_the_first_of_two_findings_of_a_case_is_the_one_a_correction_follows():
    records = [
        violation("2026-03-01", case=CASE),
        violation("2026-05-01", case=CASE),
        corrected("2026-04-01", case=CASE),
    ]
    assert case_order_problems(records) == []


def test_a_record_that_could_not_be_read_counts_for_its_case_and_gives_no_date():
    records = [corrected("2026-04-01", case=CASE)]
    assert found(case_problems(records)) == [(0, "case", "case-unknown")]
    assert case_problems(records, unread=[(CASE, T.VIOLATION_FOUND)]) == []
    misdated = [violation("2030-01-01", case=CASE), *records]
    assert case_problems(misdated, unread=[(CASE, T.VIOLATION_FOUND)]) == []


DAYS = st.dates(datetime.date(2023, 1, 1), datetime.date(2026, 12, 31))


@given(DAYS, st.integers(0, 400), st.integers(0, 400), st.integers(0, 400))
def test_a_case_whose_steps_follow_each_other_is_never_refused(start, fix, decide, pay):
    def later(days):
        return start + datetime.timedelta(days=days)

    records = [
        Record(T.VIOLATION_FOUND, start, case=CASE, correction_deadline=later(fix)),
        Record(T.VIOLATION_CORRECTED, later(fix), case=CASE),
        Record(T.PENALTY_IMPOSED, later(decide), case=CASE),
        Record(T.PENALTY_FULFILLED, later(decide + pay), case=CASE),
    ]
    assert case_problems(records) == []
    assert case_problems(list(reversed(records))) == []
