"""What must hold for every record set: order and future records never matter, a penalty
in the last year is always C, a negative record never improves a grade, grading is pure.
"""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from laborcredit.rules import Grade, Record, RecordType, grade
from laborcredit.rules.validation import check_record_sequence

T = RecordType
CASES = ("甲1", "乙2", "丙3")
FIRST_AS_OF = datetime.date(2023, 1, 1)
LAST_AS_OF = datetime.date(2030, 12, 31)
PAST_DAYS = 7 * 366
FUTURE_DAYS = 400

deterministic = settings(max_examples=150, derandomize=True, deadline=None, database=None)

as_of_dates = st.dates(FIRST_AS_OF, LAST_AS_OF)
cases = st.sampled_from(CASES)
policies = st.sampled_from([None, "cap"])


def dates_around(as_of: datetime.date) -> st.SearchStrategy[datetime.date]:
    """Within seven years before as_of, often in its last year, sometimes after it."""
    day = datetime.timedelta(days=1)
    return st.one_of(
        st.dates(as_of - PAST_DAYS * day, as_of),
        st.dates(as_of - 400 * day, as_of),
        st.dates(as_of + day, as_of + FUTURE_DAYS * day),
    )


def standing_records(as_of: datetime.date) -> st.SearchStrategy[Record]:
    """Records that are no negative fact by themselves: designation, assessment, province."""
    when = dates_around(as_of)
    return st.one_of(
        st.builds(Record, st.just(T.HARMONIOUS_CERTIFIED), when),
        st.builds(Record, st.just(T.HARMONIOUS_REVOKED), when),
        st.builds(Record, st.just(T.LABOR_PRACTICE_ASSESSED), when, passed=st.booleans()),
        st.builds(Record, st.just(T.PROVINCIAL_CREDIT), when, level=st.sampled_from("ABCD")),
    )


def case_records(as_of: datetime.date) -> st.SearchStrategy[Record]:
    when = dates_around(as_of)
    return st.one_of(
        st.builds(
            Record,
            st.just(T.VIOLATION_FOUND),
            when,
            case=cases,
            correction_deadline=st.none() | when,
        ),
        st.builds(Record, st.just(T.VIOLATION_CORRECTED), when, case=cases),
        st.builds(
            Record,
            st.just(T.PENALTY_IMPOSED),
            when,
            case=cases,
            document=st.none() | st.just("罚1"),
        ),
        st.builds(Record, st.just(T.PENALTY_FULFILLED), when, case=cases),
        st.builds(Record, st.just(T.ARBITRATION_LOST), when, case=cases),
    )


@st.composite
def blacklist_spells(draw, as_of: datetime.date) -> list[Record]:
    """Spells that never overlap: sorted distinct days paired listing→removal, the last maybe open."""
    days = sorted(draw(st.sets(dates_around(as_of), max_size=4)))
    return [
        Record(T.BLACKLIST_LISTED if index % 2 == 0 else T.BLACKLIST_REMOVED, when)
        for index, when in enumerate(days)
    ]


@st.composite
def employers(draw) -> tuple[datetime.date, list[Record]]:
    """A valid credit file and its evaluation date; clean files are drawn as often as others."""
    as_of = draw(as_of_dates)
    records = draw(st.lists(standing_records(as_of), max_size=6))
    if draw(st.booleans()):
        # an A+ candidate: certified, and assessed as passing in the last year
        day = datetime.timedelta(days=1)
        records.append(
            Record(T.HARMONIOUS_CERTIFIED, draw(st.dates(as_of - PAST_DAYS * day, as_of)))
        )
        records.append(
            Record(T.LABOR_PRACTICE_ASSESSED, as_of - draw(st.integers(0, 364)) * day, passed=True)
        )
    if draw(st.booleans()):
        records += draw(st.lists(case_records(as_of), max_size=8))
        records += draw(blacklist_spells(as_of))
    records = draw(st.permutations(records))
    assert check_record_sequence(records, "records") == []
    return as_of, list(records)


@st.composite
def negative_records(draw, as_of: datetime.date) -> Record:
    record_type = draw(
        st.sampled_from(
            [T.VIOLATION_FOUND, T.PENALTY_IMPOSED, T.BLACKLIST_LISTED, T.ARBITRATION_LOST]
        )
    )
    when = draw(dates_around(as_of))
    if record_type is T.BLACKLIST_LISTED:
        return Record(record_type, when)
    if record_type is T.VIOLATION_FOUND:
        deadline = draw(st.none() | dates_around(as_of))
        return Record(record_type, when, case=draw(cases), correction_deadline=deadline)
    return Record(record_type, when, case=draw(cases))


@deterministic
@given(employers(), st.data(), policies)
def test_the_order_of_records_never_changes_the_result(employer, data, policy):
    as_of, records = employer
    shuffled = data.draw(st.permutations(records))
    assert grade(shuffled, as_of, provincial_policy=policy) == grade(
        records, as_of, provincial_policy=policy
    )


@deterministic
@given(employers(), policies)
def test_records_dated_after_as_of_never_change_the_result(employer, policy):
    as_of, records = employer
    known = [r for r in records if r.date <= as_of]
    assert grade(records, as_of, provincial_policy=policy) == grade(
        known, as_of, provincial_policy=policy
    )


@deterministic
@given(employers(), st.integers(0, 364), cases, policies)
def test_a_penalty_in_the_last_year_always_gives_c(employer, days_back, case, policy):
    as_of, records = employer
    penalty = Record(T.PENALTY_IMPOSED, as_of - datetime.timedelta(days=days_back), case=case)
    result = grade([*records, penalty], as_of, provincial_policy=policy)
    assert result.grade is Grade.C
    assert "c_penalty_in_last_year" in [e.rule for e in result.basis]


@deterministic
@given(employers(), st.data(), policies)
def test_a_negative_record_never_improves_the_grade(employer, data, policy):
    as_of, records = employer
    added = data.draw(negative_records(as_of))
    before = grade(records, as_of, provincial_policy=policy)
    after = grade([*records, added], as_of, provincial_policy=policy)
    assert after.grade.rank <= before.grade.rank


@deterministic
@given(employers(), policies)
def test_grading_is_deterministic(employer, policy):
    as_of, records = employer
    first = grade(records, as_of, provincial_policy=policy)
    again = grade(list(records), as_of, provincial_policy=policy)
    assert first == again
    assert first.basis == again.basis


RULE_PREFIX = {Grade.C: "c_", Grade.B: "b_", Grade.A_PLUS: "a_plus_", Grade.A: "a_no_violation"}


@deterministic
@given(employers())
def test_under_the_default_policy_the_first_basis_entry_decides_the_grade(employer):
    as_of, records = employer
    result = grade(records, as_of)
    assert result.basis
    assert result.basis[0].rule.startswith(RULE_PREFIX[result.grade])
    assert result.needs_review is any(
        e.rule
        in {
            "b_not_corrected",
            "b_corrected_late",
            "a_plus_candidate_not_assessed",
            "provincial_low_flag",
        }
        for e in result.basis
    )
