"""第八条: the Henan provincial credit result. By default a D only flags an A+ or A for
review; under the "cap" policy it caps the grade at B.
"""

import pytest

from laborcredit.rules import Grade
from tests.rules.builders import (
    AS_OF,
    HARMONIOUS,
    certified,
    corrected,
    entry,
    grade_on,
    penalty,
    provincial,
    rules,
    violation,
)

B_RECORDS = (
    violation("2026-03-01", case="X", deadline="2026-03-31"),
    corrected("2026-03-20", case="X"),
)
C_RECORDS = (penalty("2026-01-15", case="Y"),)


def test_no_provincial_result_reports_null():
    assert grade_on(AS_OF).provincial_level is None


def test_latest_provincial_result_on_or_before_as_of_is_reported():
    result = grade_on(AS_OF, provincial("2026-01-01", "A"), provincial("2025-01-01", "C"))
    assert result.provincial_level == "A"


def test_provincial_result_on_the_evaluation_date_is_reported():
    result = grade_on(AS_OF, provincial("2025-01-01", "C"), provincial("2026-11-24", "B"))
    assert result.provincial_level == "B"


def test_provincial_result_dated_after_as_of_is_ignored():
    result = grade_on(AS_OF, provincial("2026-01-01", "B"), provincial("2026-11-25", "D"))
    assert result.provincial_level == "B"
    assert result.needs_review is False
    assert not any(e.article == "第八条" for e in result.basis)


def test_only_provincial_result_dated_after_as_of_reports_null():
    result = grade_on(AS_OF, provincial("2026-11-25", "D"))
    assert result.provincial_level is None
    assert result.needs_review is False


def test_d_with_a_plus_keeps_a_plus_and_flags_it_for_review():
    result = grade_on(AS_OF, *HARMONIOUS, provincial("2026-01-01", "D"))
    assert result.grade is Grade.A_PLUS
    assert result.needs_review is True
    assert result.provincial_level == "D"
    flag = entry(result, "provincial_low_flag")
    assert flag.article == "第八条"
    assert "2026-01-01" in flag.reason
    assert rules(result)[-1] == "provincial_low_flag"


def test_d_with_a_flags_it_for_review():
    result = grade_on(AS_OF, provincial("2026-01-01", "D"))
    assert result.grade is Grade.A
    assert result.needs_review is True
    assert rules(result) == ["a_no_violation_in_last_year", "provincial_low_flag"]


@pytest.mark.parametrize("records", [B_RECORDS, C_RECORDS], ids=["B", "C"])
@pytest.mark.parametrize("policy", [None, "flag", "cap"])
def test_d_with_b_or_c_does_nothing(records, policy):
    without = grade_on(AS_OF, *records, policy=policy)
    result = grade_on(AS_OF, *records, provincial("2026-01-01", "D"), policy=policy)
    assert result.grade is without.grade
    assert result.needs_review is without.needs_review is False
    assert result.basis == without.basis
    assert result.provincial_level == "D"


@pytest.mark.parametrize("level", ["A", "B", "C"])
def test_provincial_levels_above_d_do_not_flag(level):
    result = grade_on(AS_OF, *HARMONIOUS, provincial("2026-01-01", level))
    assert result.grade is Grade.A_PLUS
    assert result.needs_review is False
    assert result.provincial_level == level


def test_later_non_d_result_replaces_an_earlier_d():
    result = grade_on(
        AS_OF, *HARMONIOUS, provincial("2025-01-01", "D"), provincial("2026-01-01", "B")
    )
    assert result.grade is Grade.A_PLUS
    assert result.needs_review is False
    assert result.provincial_level == "B"


def test_later_d_replaces_an_earlier_good_result():
    result = grade_on(
        AS_OF, *HARMONIOUS, provincial("2025-01-01", "A"), provincial("2026-01-01", "D")
    )
    assert result.needs_review is True


def test_flag_is_the_default_policy():
    records = (*HARMONIOUS, provincial("2026-01-01", "D"))
    assert grade_on(AS_OF, *records) == grade_on(AS_OF, *records, policy="flag")


def test_cap_policy_caps_a_plus_at_b():
    result = grade_on(AS_OF, *HARMONIOUS, provincial("2026-01-01", "D"), policy="cap")
    assert result.grade is Grade.B
    assert result.needs_review is False
    cap = entry(result, "provincial_low_cap")
    assert cap.article == "第八条"
    assert "provincial_low_flag" not in rules(result)


def test_cap_policy_caps_a_at_b():
    result = grade_on(AS_OF, provincial("2026-01-01", "D"), policy="cap")
    assert result.grade is Grade.B
    assert rules(result) == ["a_no_violation_in_last_year", "provincial_low_cap"]


def test_cap_policy_without_a_d_changes_nothing():
    result = grade_on(AS_OF, *HARMONIOUS, provincial("2026-01-01", "C"), policy="cap")
    assert result.grade is Grade.A_PLUS
    assert rules(result) == ["a_plus_harmonious_and_clean", "a_plus_labor_practice_passed"]


def test_d_flag_adds_to_an_a_plus_candidate_review():
    result = grade_on(AS_OF, certified("2023-06-30"), provincial("2026-01-01", "D"))
    assert result.grade is Grade.A
    assert result.needs_review is True
    assert rules(result) == [
        "a_no_violation_in_last_year",
        "a_plus_candidate_not_assessed",
        "provincial_low_flag",
    ]


def test_unknown_policy_is_refused():
    with pytest.raises(ValueError):
        grade_on(AS_OF, policy="ignore")
