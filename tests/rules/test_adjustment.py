"""第十三条 动态调整: `next_change_on` is a safe promise — on every date strictly before it
the same records grade the same (the property `regrade --due` relies on)."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from laborcredit.rules import Record, RecordType, grade
from laborcredit.rules.adjustment import next_change_on, result_key
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
