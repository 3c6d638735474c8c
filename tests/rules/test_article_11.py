"""第十一条: B for a violation investigated in the last year, corrected in time, no penalty.

A case not corrected by as_of, or corrected after its correction_deadline, is
still B but needs an officer's review: the 办法 grades neither.
"""

from laborcredit.rules import Grade
from tests.rules.builders import (
    AS_OF,
    HARMONIOUS,
    corrected,
    day,
    entry,
    grade_on,
    rules,
    violation,
)

CASE = "舞人社监〔2026〕12号"


def test_violation_corrected_in_time_is_b_with_the_spec_example_reason():
    result = grade_on(
        AS_OF,
        violation("2026-03-01", case=CASE, deadline="2026-03-31"),
        corrected("2026-03-20", case=CASE),
    )
    assert result.grade is Grade.B
    assert result.needs_review is False
    assert result.provincial_level is None
    assert [e.as_dict() for e in result.basis] == [
        {
            "article": "第十一条",
            "rule": "b_corrected_without_penalty",
            "reason": "2026-03-01 被查处（舞人社监〔2026〕12号），2026-03-20 已纠正，未受行政处罚",
        }
    ]


def test_violation_without_a_deadline_corrected_by_the_evaluation_date_is_in_time():
    result = grade_on(AS_OF, violation("2026-03-01", case=CASE), corrected("2026-10-01", case=CASE))
    assert result.grade is Grade.B
    assert result.needs_review is False
    assert rules(result) == ["b_corrected_without_penalty"]


def test_violation_not_corrected_by_the_evaluation_date_needs_review():
    result = grade_on(AS_OF, violation("2026-03-01", case=CASE, deadline="2026-03-31"))
    assert result.grade is Grade.B
    assert result.needs_review is True
    assert rules(result) == ["b_not_corrected"]
    assert result.basis[0].article == "第十一条"
    assert result.basis[0].reason == (
        "2026-03-01 被查处（舞人社监〔2026〕12号），整改期限 2026-03-31，截至评价日逾期未纠正；"
        "未“及时纠正”的情形本办法未规定等级，需人工认定"
    )


def test_violation_within_its_open_deadline_needs_review_but_is_not_called_late():
    result = grade_on(day("2026-12-08"), violation("2026-11-29", case=CASE, deadline="2026-12-19"))
    assert result.grade is Grade.B
    assert result.needs_review is True
    assert rules(result) == ["b_not_corrected"]
    assert result.basis[0].reason == (
        "2026-11-29 被查处（舞人社监〔2026〕12号），截至评价日尚未纠正，"
        "整改期限 2026-12-19 尚未届满；本办法未规定此时的等级，需人工认定"
    )


def test_deadline_on_the_evaluation_date_has_not_yet_passed():
    result = grade_on(AS_OF, violation("2026-11-01", case=CASE, deadline="2026-11-24"))
    assert result.needs_review is True
    reason = result.basis[0].reason
    assert "整改期限 2026-11-24 尚未届满" in reason
    assert "逾期" not in reason and "及时纠正" not in reason


def test_deadline_the_day_before_the_evaluation_date_has_passed():
    result = grade_on(AS_OF, violation("2026-11-01", case=CASE, deadline="2026-11-23"))
    assert result.needs_review is True
    assert "整改期限 2026-11-23，截至评价日逾期未纠正" in result.basis[0].reason


def test_violation_without_a_deadline_not_corrected_is_not_called_late():
    result = grade_on(AS_OF, violation("2026-03-01", case=CASE))
    assert result.needs_review is True
    assert rules(result) == ["b_not_corrected"]
    assert result.basis[0].reason == (
        "2026-03-01 被查处（舞人社监〔2026〕12号），截至评价日尚未纠正，未记录整改期限；"
        "本办法未规定此时的等级，需人工认定"
    )


def test_one_overdue_case_beside_one_still_within_its_deadline_names_each_truly():
    result = grade_on(
        AS_OF,
        violation("2026-03-01", case=CASE, deadline="2026-03-31"),
        violation("2026-11-20", case="Y", deadline="2026-12-20"),
    )
    reason = entry(result, "b_not_corrected").reason
    assert "整改期限 2026-03-31，截至评价日逾期未纠正" in reason
    assert "（Y），截至评价日尚未纠正，整改期限 2026-12-20 尚未届满" in reason
    assert reason.endswith("未“及时纠正”的情形本办法未规定等级，需人工认定")


def test_correction_dated_after_the_evaluation_date_counts_as_not_corrected():
    result = grade_on(
        AS_OF,
        violation("2026-03-01", case=CASE),
        corrected("2026-11-25", case=CASE),
    )
    assert result.grade is Grade.B
    assert result.needs_review is True
    assert rules(result) == ["b_not_corrected"]


def test_correction_on_the_evaluation_date_counts():
    result = grade_on(AS_OF, violation("2026-03-01", case=CASE), corrected("2026-11-24", case=CASE))
    assert result.needs_review is False
    assert rules(result) == ["b_corrected_without_penalty"]


def test_violation_corrected_after_its_deadline_needs_review():
    result = grade_on(
        AS_OF,
        violation("2026-03-01", case=CASE, deadline="2026-03-31"),
        corrected("2026-04-01", case=CASE),
    )
    assert result.grade is Grade.B
    assert result.needs_review is True
    assert rules(result) == ["b_corrected_late"]
    reason = result.basis[0].reason
    assert "2026-03-31" in reason
    assert "2026-04-01" in reason


def test_violation_corrected_on_the_deadline_day_is_in_time():
    result = grade_on(
        AS_OF,
        violation("2026-03-01", case=CASE, deadline="2026-03-31"),
        corrected("2026-03-31", case=CASE),
    )
    assert result.grade is Grade.B
    assert result.needs_review is False
    assert rules(result) == ["b_corrected_without_penalty"]


def test_correction_of_a_different_case_does_not_count():
    result = grade_on(
        AS_OF,
        violation("2026-03-01", case=CASE, deadline="2026-03-31"),
        corrected("2026-03-20", case="舞人社监〔2026〕13号"),
    )
    assert result.needs_review is True
    assert rules(result) == ["b_not_corrected"]


def test_one_uncorrected_case_among_corrected_ones_needs_review_and_names_both():
    result = grade_on(
        AS_OF,
        violation("2026-03-01", case=CASE, deadline="2026-03-31"),
        corrected("2026-03-20", case=CASE),
        violation("2026-05-01", case="Y"),
    )
    assert result.grade is Grade.B
    assert result.needs_review is True
    assert rules(result) == ["b_corrected_without_penalty", "b_not_corrected"]
    assert "Y" in entry(result, "b_not_corrected").reason


def test_violation_on_the_day_one_year_back_is_outside():
    result = grade_on(AS_OF, violation("2025-11-24", case=CASE))
    assert result.grade is Grade.A
    assert result.needs_review is False
    assert rules(result) == ["a_no_violation_in_last_year"]


def test_violation_on_the_day_after_one_year_back_is_inside():
    result = grade_on(AS_OF, violation("2025-11-25", case=CASE), corrected("2025-12-01", case=CASE))
    assert result.grade is Grade.B


def test_violation_dated_after_the_evaluation_date_is_ignored():
    result = grade_on(AS_OF, violation("2026-11-25", case=CASE))
    assert result.grade is Grade.A


def test_b_wins_over_a_plus():
    result = grade_on(
        AS_OF, *HARMONIOUS, violation("2026-03-01", case=CASE), corrected("2026-03-20", case=CASE)
    )
    assert result.grade is Grade.B
    assert rules(result) == ["b_corrected_without_penalty"]


def test_a_later_second_correction_does_not_make_an_in_time_correction_late():
    result = grade_on(
        AS_OF,
        violation("2026-03-01", case=CASE, deadline="2026-03-31"),
        corrected("2026-04-15", case=CASE),
        corrected("2026-03-20", case=CASE),
    )
    assert result.needs_review is False
    assert rules(result) == ["b_corrected_without_penalty"]
    assert "2026-03-20 已纠正" in result.basis[0].reason
