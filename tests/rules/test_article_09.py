"""第九条: A+ for a harmonious enterprise, not revoked, clean for 60 months, whose labour
practice (第九条(二)) was assessed and passed in the last year.

AS_OF is 2026-11-24: 60 months back is 2021-11-24 (outside); one year back 2025-11-24.
"""

from laborcredit.rules import Grade
from tests.rules.builders import (
    AS_OF,
    HARMONIOUS,
    arbitration_lost,
    assessed,
    certified,
    corrected,
    entry,
    fulfilled,
    grade_on,
    listed,
    penalty,
    removed,
    revoked,
    rules,
    violation,
)

PASSED = assessed("2026-06-18", passed=True)


def test_harmonious_clean_and_assessed_employer_is_a_plus():
    result = grade_on(AS_OF, *HARMONIOUS)
    assert result.grade is Grade.A_PLUS
    assert result.needs_review is False
    assert rules(result) == ["a_plus_harmonious_and_clean", "a_plus_labor_practice_passed"]
    assert [e.article for e in result.basis] == ["第九条", "第九条(二)"]
    assert "2023-06-30" in result.basis[0].reason
    assert "2021-11-25至2026-11-24" in result.basis[0].reason
    assert "2026-06-18" in result.basis[1].reason


def test_employer_never_certified_is_not_a_plus():
    result = grade_on(AS_OF, PASSED)
    assert result.grade is Grade.A
    assert rules(result) == ["a_no_violation_in_last_year"]
    assert result.needs_review is False


def test_certification_dated_after_the_evaluation_date_does_not_count():
    result = grade_on(AS_OF, certified("2026-11-25"), PASSED)
    assert result.grade is Grade.A
    assert rules(result) == ["a_no_violation_in_last_year"]


def test_certification_on_the_evaluation_date_counts():
    result = grade_on(AS_OF, certified("2026-11-24"), PASSED)
    assert result.grade is Grade.A_PLUS


def test_revoked_designation_is_not_a_plus():
    result = grade_on(AS_OF, *HARMONIOUS, revoked("2024-01-01"))
    assert result.grade is Grade.A
    assert rules(result) == ["a_no_violation_in_last_year"]
    assert result.needs_review is False


def test_revocation_on_the_day_of_the_certification_removes_it():
    result = grade_on(AS_OF, *HARMONIOUS, revoked("2023-06-30"))
    assert result.grade is Grade.A


def test_revocation_dated_after_the_evaluation_date_does_not_count():
    result = grade_on(AS_OF, *HARMONIOUS, revoked("2026-11-25"))
    assert result.grade is Grade.A_PLUS


def test_recertified_after_a_revocation_counts_again():
    result = grade_on(AS_OF, *HARMONIOUS, revoked("2024-01-01"), certified("2025-03-01"))
    assert result.grade is Grade.A_PLUS
    assert "2025-03-01" in entry(result, "a_plus_harmonious_and_clean").reason


def test_revocation_after_the_latest_of_two_certifications_removes_it():
    result = grade_on(AS_OF, *HARMONIOUS, certified("2025-03-01"), revoked("2025-09-01"), PASSED)
    assert result.grade is Grade.A


def test_violation_exactly_60_months_back_is_outside():
    result = grade_on(AS_OF, *HARMONIOUS, violation("2021-11-24", case="X"))
    assert result.grade is Grade.A_PLUS


def test_violation_on_the_day_after_60_months_back_is_inside():
    result = grade_on(
        AS_OF, *HARMONIOUS, violation("2021-11-25", case="X"), corrected("2021-12-01", case="X")
    )
    assert result.grade is Grade.A
    assert rules(result) == ["a_no_violation_in_last_year"]
    assert result.needs_review is False


def test_arbitration_lost_exactly_60_months_back_is_outside():
    result = grade_on(AS_OF, *HARMONIOUS, arbitration_lost("2021-11-24", case="仲1"))
    assert result.grade is Grade.A_PLUS


def test_arbitration_lost_on_the_day_after_60_months_back_is_inside():
    result = grade_on(AS_OF, *HARMONIOUS, arbitration_lost("2021-11-25", case="仲1"))
    assert result.grade is Grade.A
    assert rules(result) == ["a_no_violation_in_last_year"]


def test_arbitration_lost_in_the_last_year_bars_a_plus():
    result = grade_on(AS_OF, *HARMONIOUS, arbitration_lost("2026-10-01", case="仲1"))
    assert result.grade is Grade.A


def test_repaired_penalty_exactly_60_months_back_is_outside():
    result = grade_on(
        AS_OF,
        *HARMONIOUS,
        penalty("2021-11-24", case="X"),
        corrected("2021-12-01", case="X"),
        fulfilled("2021-12-01", case="X"),
    )
    assert result.grade is Grade.A_PLUS


def test_repaired_penalty_on_the_day_after_60_months_back_is_inside():
    result = grade_on(
        AS_OF,
        *HARMONIOUS,
        penalty("2021-11-25", case="X"),
        corrected("2021-12-01", case="X"),
        fulfilled("2021-12-01", case="X"),
    )
    assert result.grade is Grade.A


def test_blacklisting_removed_exactly_60_months_back_is_outside():
    result = grade_on(AS_OF, *HARMONIOUS, listed("2021-01-01"), removed("2021-11-24"))
    assert result.grade is Grade.A_PLUS


def test_blacklisting_removed_on_the_first_day_of_the_60_months_is_inside():
    result = grade_on(AS_OF, *HARMONIOUS, listed("2021-01-01"), removed("2021-11-25"))
    assert result.grade is Grade.A


def test_blacklisting_that_spans_the_start_of_the_60_months_is_inside():
    result = grade_on(AS_OF, *HARMONIOUS, listed("2020-01-01"), removed("2023-01-01"))
    assert result.grade is Grade.A


def test_60_months_before_29_february_ends_on_28_february():
    records = (certified("2025-01-01"), assessed("2027-06-01"))
    outside = grade_on("2028-02-29", *records, violation("2023-02-28", case="X"))
    inside = grade_on("2028-02-29", *records, arbitration_lost("2023-03-01", case="Y"))
    assert outside.grade is Grade.A_PLUS
    assert inside.grade is Grade.A


def test_failed_assessment_gives_a_without_review():
    result = grade_on(AS_OF, certified("2023-06-30"), assessed("2026-06-18", passed=False))
    assert result.grade is Grade.A
    assert result.needs_review is False
    assert rules(result) == ["a_no_violation_in_last_year", "a_plus_labor_practice_failed"]
    assert entry(result, "a_plus_labor_practice_failed").article == "第九条(二)"


def test_candidate_without_assessment_in_the_last_year_is_a_needing_review():
    result = grade_on(AS_OF, certified("2023-06-30"))
    assert result.grade is Grade.A
    assert result.needs_review is True
    assert rules(result) == ["a_no_violation_in_last_year", "a_plus_candidate_not_assessed"]
    assert entry(result, "a_plus_candidate_not_assessed").article == "第九条(二)"


def test_assessment_exactly_one_year_back_is_outside():
    result = grade_on(AS_OF, certified("2023-06-30"), assessed("2025-11-24", passed=True))
    assert result.grade is Grade.A
    assert result.needs_review is True
    assert "a_plus_candidate_not_assessed" in rules(result)


def test_assessment_on_the_day_after_one_year_back_is_inside():
    result = grade_on(AS_OF, certified("2023-06-30"), assessed("2025-11-25", passed=True))
    assert result.grade is Grade.A_PLUS


def test_assessment_dated_after_the_evaluation_date_does_not_count():
    result = grade_on(AS_OF, certified("2023-06-30"), assessed("2026-11-25", passed=True))
    assert result.grade is Grade.A
    assert result.needs_review is True


def test_latest_assessment_in_the_year_decides_when_it_failed():
    result = grade_on(
        AS_OF,
        certified("2023-06-30"),
        assessed("2026-01-10", passed=True),
        assessed("2026-06-18", passed=False),
    )
    assert result.grade is Grade.A
    assert "a_plus_labor_practice_failed" in rules(result)


def test_latest_assessment_in_the_year_decides_when_it_passed():
    result = grade_on(
        AS_OF,
        certified("2023-06-30"),
        assessed("2026-06-18", passed=True),
        assessed("2026-01-10", passed=False),
    )
    assert result.grade is Grade.A_PLUS


def test_failed_assessment_older_than_a_year_does_not_bar_a_later_pass():
    result = grade_on(
        AS_OF,
        certified("2023-06-30"),
        assessed("2025-06-01", passed=False),
        assessed("2026-06-01", passed=True),
    )
    assert result.grade is Grade.A_PLUS


def test_revoked_employer_without_assessment_needs_no_review():
    result = grade_on(AS_OF, certified("2023-06-30"), revoked("2025-01-01"))
    assert result.grade is Grade.A
    assert result.needs_review is False
