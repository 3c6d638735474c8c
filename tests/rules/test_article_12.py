"""第十二条: C for an administrative penalty or a wage-arrears blacklisting in the last year.

近一年内 is as_of − 1 year < d ≤ as_of, by calendar arithmetic; a blacklisting
counts when its listed days (listing through removal, inclusive) touch it.
"""

from laborcredit.rules import Grade
from tests.rules.builders import (
    AS_OF,
    HARMONIOUS,
    corrected,
    entry,
    fulfilled,
    grade_on,
    listed,
    penalty,
    removed,
    rules,
    violation,
)

# AS_OF is 2026-11-24: one year back is 2025-11-24 (outside), the window opens 2025-11-25.


def test_penalty_in_the_last_year_is_c():
    result = grade_on(AS_OF, penalty("2026-01-15", case="舞人社监〔2025〕88号"))
    assert result.grade is Grade.C
    assert rules(result) == ["c_penalty_in_last_year"]
    assert result.basis[0].article == "第十二条(一)"
    assert result.needs_review is False


def test_penalty_reason_names_its_date_case_document_and_window():
    result = grade_on(
        AS_OF,
        penalty("2026-01-15", case="舞人社监〔2025〕88号", document="舞人社罚〔2026〕3号"),
    )
    reason = entry(result, "c_penalty_in_last_year").reason
    assert "2026-01-15" in reason
    assert "舞人社监〔2025〕88号" in reason
    assert "舞人社罚〔2026〕3号" in reason
    assert "2025-11-25至2026-11-24" in reason


def test_penalty_on_the_evaluation_date_is_inside():
    result = grade_on(AS_OF, penalty("2026-11-24", case="X"))
    assert rules(result) == ["c_penalty_in_last_year"]


def test_penalty_on_the_day_one_year_back_is_outside():
    result = grade_on(
        AS_OF,
        penalty("2025-11-24", case="X"),
        corrected("2025-12-01", case="X"),
        fulfilled("2025-12-01", case="X"),
    )
    assert result.grade is Grade.A
    assert "c_penalty_in_last_year" not in rules(result)


def test_penalty_on_the_day_after_one_year_back_is_inside():
    result = grade_on(
        AS_OF,
        penalty("2025-11-25", case="X"),
        corrected("2025-12-01", case="X"),
        fulfilled("2025-12-01", case="X"),
    )
    assert result.grade is Grade.C
    assert rules(result) == ["c_penalty_in_last_year"]


def test_penalty_dated_after_the_evaluation_date_does_not_exist_yet():
    result = grade_on(AS_OF, penalty("2026-11-25", case="X"))
    assert result.grade is Grade.A


def test_penalty_in_the_last_year_is_c_even_when_corrected_and_fulfilled():
    result = grade_on(
        AS_OF,
        penalty("2026-01-15", case="X"),
        corrected("2026-02-01", case="X"),
        fulfilled("2026-02-01", case="X"),
    )
    assert result.grade is Grade.C


def test_on_29_february_one_year_back_is_28_february_which_is_outside():
    result = grade_on(
        "2028-02-29",
        penalty("2027-02-28", case="X"),
        corrected("2027-03-15", case="X"),
        fulfilled("2027-03-15", case="X"),
    )
    assert result.grade is Grade.A


def test_on_29_february_the_window_opens_on_1_march():
    result = grade_on(
        "2028-02-29",
        penalty("2027-03-01", case="X"),
        corrected("2027-03-15", case="X"),
        fulfilled("2027-03-15", case="X"),
    )
    assert result.grade is Grade.C
    assert "2027-03-01至2028-02-29" in entry(result, "c_penalty_in_last_year").reason


def test_on_28_february_after_a_leap_day_the_leap_day_is_inside():
    result = grade_on("2029-02-28", penalty("2028-02-29", case="X"))
    assert rules(result) == ["c_penalty_in_last_year"]


def test_on_28_february_after_a_leap_day_28_february_a_year_back_is_outside():
    result = grade_on(
        "2029-02-28",
        penalty("2028-02-28", case="X"),
        corrected("2028-03-15", case="X"),
        fulfilled("2028-03-15", case="X"),
    )
    assert result.grade is Grade.A


def test_on_1_march_after_a_leap_day_the_leap_day_is_outside():
    result = grade_on(
        "2029-03-01",
        penalty("2028-02-29", case="X"),
        corrected("2028-03-15", case="X"),
        fulfilled("2028-03-15", case="X"),
    )
    assert result.grade is Grade.A


def test_on_1_march_1_march_a_year_back_is_outside():
    result = grade_on(
        "2029-03-01",
        penalty("2028-03-01", case="X"),
        corrected("2028-03-15", case="X"),
        fulfilled("2028-03-15", case="X"),
    )
    assert result.grade is Grade.A


def test_employer_still_listed_on_the_evaluation_date_is_c():
    result = grade_on(AS_OF, listed("2020-01-01"))
    assert result.grade is Grade.C
    assert rules(result) == ["c_blacklisted_in_last_year"]
    assert result.basis[0].article == "第十二条(二)"
    assert "2020-01-01" in result.basis[0].reason


def test_removal_dated_after_the_evaluation_date_leaves_the_employer_listed():
    result = grade_on(AS_OF, listed("2020-01-01"), removed("2026-12-01"))
    assert result.grade is Grade.C
    assert "至评价日仍在名单中" in entry(result, "c_blacklisted_in_last_year").reason


def test_removal_on_the_first_day_of_the_window_is_c():
    result = grade_on(AS_OF, listed("2024-05-01"), removed("2025-11-25"))
    assert result.grade is Grade.C
    assert rules(result) == ["c_blacklisted_in_last_year"]


def test_removal_on_the_day_before_the_first_day_of_the_window_is_not_c():
    result = grade_on(AS_OF, listed("2024-05-01"), removed("2025-11-24"))
    assert result.grade is Grade.A


def test_listing_and_removal_both_inside_the_last_year_is_c():
    result = grade_on(AS_OF, listed("2026-02-01"), removed("2026-03-01"))
    assert result.grade is Grade.C
    reason = entry(result, "c_blacklisted_in_last_year").reason
    assert "2026-02-01" in reason
    assert "2026-03-01" in reason


def test_listing_on_the_evaluation_date_is_c():
    result = grade_on(AS_OF, listed("2026-11-24"))
    assert result.grade is Grade.C


def test_listing_dated_after_the_evaluation_date_is_ignored():
    result = grade_on(AS_OF, listed("2026-11-25"))
    assert result.grade is Grade.A
    assert rules(result) == ["a_no_violation_in_last_year"]


def test_an_old_spell_does_not_count_but_a_later_one_inside_does():
    old_only = grade_on(AS_OF, listed("2021-01-01"), removed("2021-06-01"))
    both = grade_on(
        AS_OF,
        listed("2021-01-01"),
        removed("2021-06-01"),
        listed("2026-04-01"),
        removed("2026-05-01"),
    )
    assert old_only.grade is Grade.A
    assert both.grade is Grade.C
    reason = entry(both, "c_blacklisted_in_last_year").reason
    assert "2026-04-01" in reason
    assert "2021-01-01" not in reason


def test_both_reasons_are_given_when_penalty_and_blacklisting_both_apply():
    result = grade_on(AS_OF, penalty("2026-01-15", case="X"), listed("2026-02-01"))
    assert result.grade is Grade.C
    assert rules(result) == ["c_penalty_in_last_year", "c_blacklisted_in_last_year"]


def test_c_wins_over_b_for_a_violation_in_the_same_year():
    result = grade_on(
        AS_OF,
        violation("2025-12-02", case="X", deadline="2025-12-31"),
        corrected("2025-12-20", case="X"),
        penalty("2026-01-15", case="X"),
    )
    assert result.grade is Grade.C
    assert not any(e.article == "第十一条" for e in result.basis)


def test_c_wins_over_a_plus():
    result = grade_on(AS_OF, *HARMONIOUS, listed("2026-02-01"))
    assert result.grade is Grade.C
    assert rules(result) == ["c_blacklisted_in_last_year"]
