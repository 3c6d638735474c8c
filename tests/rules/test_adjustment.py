"""第十三条 动态调整: `next_change_on` is a safe promise — on every date strictly before it
the same records grade the same (the property `regrade --due` relies on); and
`next_grade_change` names the day the grade does change, the one users are told."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from laborcredit.rules import Record, RecordType, grade
from laborcredit.rules.adjustment import next_change_on, next_grade_change, result_key
from tests.rules.test_properties import employers, policies

T = RecordType
day = datetime.timedelta(days=1)
quick = settings(max_examples=120, derandomize=True, deadline=None, database=None)
NO_CHANGE_HORIZON = 3 * 366  # days sampled after as_of when nothing can change any more


@quick
@given(employers(), policies, st.data())
def test_the_result_is_the_same_on_every_date_before_the_next_change(employer, policy, data):
    as_of, records = employer
    before = result_key(grade(records, as_of, provincial_policy=policy))
    upcoming = next_change_on(records, as_of)
    span = (upcoming - as_of).days - 1 if upcoming else NO_CHANGE_HORIZON
    if span < 1:
        return
    offsets = data.draw(st.lists(st.integers(1, span), min_size=1, max_size=4, unique=True))
    for offset in {1, span, *offsets}:
        later = as_of + offset * day
        assert result_key(grade(records, later, provincial_policy=policy)) == before, later


@quick
@given(employers())
def test_the_next_change_is_after_as_of_or_none(employer):
    as_of, records = employer
    upcoming = next_change_on(records, as_of)
    assert upcoming is None or upcoming > as_of


@quick
@given(employers())
def test_a_record_dated_after_as_of_is_a_change_no_later_than_its_date(employer):
    as_of, records = employer
    future = [r.date for r in records if r.date > as_of]
    upcoming = next_change_on(records, as_of)
    if future:
        assert upcoming is not None and upcoming <= min(future)


def test_a_penalty_in_the_last_year_changes_when_it_leaves_the_year():
    as_of = datetime.date(2025, 6, 1)
    records = [
        Record(T.VIOLATION_FOUND, datetime.date(2025, 3, 1), case="K"),
        Record(T.PENALTY_IMPOSED, datetime.date(2025, 3, 1), case="K"),
        Record(T.VIOLATION_CORRECTED, datetime.date(2025, 3, 5), case="K"),
        Record(T.PENALTY_FULFILLED, datetime.date(2025, 3, 10), case="K"),
    ]
    upcoming = next_change_on(records, as_of)
    assert upcoming is not None and upcoming <= datetime.date(2026, 3, 2)
    assert grade(records, upcoming - day).grade.value == "C"
    assert grade(records, datetime.date(2026, 3, 3)).grade.value == "A"


def test_a_clean_file_never_changes_by_itself():
    assert next_change_on([], datetime.date(2025, 6, 1)) is None


def _penalty_case(case: str, on: datetime.date) -> list[Record]:
    return [
        Record(T.VIOLATION_FOUND, on, case=case),
        Record(T.PENALTY_IMPOSED, on, case=case),
        Record(T.VIOLATION_CORRECTED, on + 4 * day, case=case),
        Record(T.PENALTY_FULFILLED, on + 9 * day, case=case),
    ]


def test_the_grade_changes_when_the_last_penalty_leaves_the_year_not_the_first():
    as_of = datetime.date(2025, 6, 1)
    records = _penalty_case("K1", datetime.date(2025, 3, 1))
    records += _penalty_case("K2", datetime.date(2025, 5, 1))
    bound = next_change_on(records, as_of)
    ahead = next_grade_change(records, as_of)
    assert bound is not None and ahead is not None
    assert grade(records, bound).grade.value == "C"  # K1 has left the year, K2 has not
    assert bound < ahead.on <= datetime.date(2026, 5, 2)
    assert grade(records, ahead.on - day).grade.value == "C"
    assert ahead.result.grade.value == grade(records, ahead.on).grade.value == "A"


def test_a_clean_file_has_no_grade_change_ahead():
    assert next_grade_change([], datetime.date(2025, 6, 1)) is None


@quick
@given(employers(), st.data())
def test_the_grade_ahead_differs_and_no_date_before_it_does(employer, data):
    as_of, records = employer
    now = grade(records, as_of).grade
    ahead = next_grade_change(records, as_of)
    if ahead is None:
        later = as_of + data.draw(st.integers(1, NO_CHANGE_HORIZON)) * day
        assert grade(records, later).grade is now
        return
    assert ahead.on > as_of
    assert ahead.result.grade is not now
    assert grade(records, ahead.on).grade is ahead.result.grade
    span = (ahead.on - as_of).days - 1
    if span >= 1:
        for offset in {1, span, data.draw(st.integers(1, span))}:
            assert grade(records, as_of + offset * day).grade is now
