"""人工认定: the grades an officer may decide are those the flagging rule leaves open.

第十一条 flags (not corrected, corrected late) leave B or C; 第九条(二) (an A+ candidate
not assessed) leaves A+ or A; 第八条 (a low provincial result) leaves the computed grade
or lower; several flags leave what all of them leave.
"""

import pytest

from laborcredit.rules import Grade
from laborcredit.rules.review import decidable_grades, flag_articles, grades_text
from tests.rules.builders import (
    AS_OF,
    HARMONIOUS,
    grade_on,
    provincial,
    rules,
    violation,
)

A_PLUS, A, B, C = Grade.A_PLUS, Grade.A, Grade.B, Grade.C


@pytest.mark.parametrize("rule", ["b_not_corrected", "b_corrected_late"])
def test_article_11_flags_leave_b_or_c(rule):
    assert decidable_grades([rule], B) == (B, C)


def test_article_11_flags_together_with_an_in_time_case_leave_b_or_c():
    assert decidable_grades(["b_corrected_without_penalty", "b_not_corrected"], B) == (B, C)


def test_article_9_candidate_not_assessed_leaves_a_plus_or_a():
    rules_ = ["a_no_violation_in_last_year", "a_plus_candidate_not_assessed"]
    assert decidable_grades(rules_, A) == (A_PLUS, A)


@pytest.mark.parametrize(
    ("computed", "open_grades"),
    [(A_PLUS, (A_PLUS, A, B, C)), (A, (A, B, C))],
)
def test_article_8_flag_leaves_the_computed_grade_or_lower(computed, open_grades):
    assert decidable_grades(["provincial_low_flag"], computed) == open_grades


def test_article_9_candidate_with_an_article_8_flag_leaves_only_a():
    rules_ = ["a_no_violation_in_last_year", "a_plus_candidate_not_assessed", "provincial_low_flag"]
    assert decidable_grades(rules_, A) == (A,)


def test_article_9_candidate_capped_by_article_8_leaves_only_the_cap():
    rules_ = ["a_no_violation_in_last_year", "a_plus_candidate_not_assessed", "provincial_low_cap"]
    assert decidable_grades(rules_, B) == (B,)


def test_a_result_with_no_flag_leaves_only_its_computed_grade():
    assert decidable_grades(["a_no_violation_in_last_year"], A) == (A,)


def test_an_uncorrected_violation_graded_by_the_rules_leaves_b_or_c():
    result = grade_on(AS_OF, violation("2026-03-01", case="X", deadline="2026-03-31"))
    assert decidable_grades(rules(result), result.grade) == (B, C)


def test_an_unassessed_candidate_with_a_provincial_d_graded_by_the_rules_leaves_a():
    result = grade_on(AS_OF, *HARMONIOUS[:1], provincial("2026-06-01", level="D"))
    assert result.needs_review is True
    assert decidable_grades(rules(result), result.grade) == (A,)


def test_the_computed_grade_is_always_open_when_flagged():
    for result in (
        grade_on(AS_OF, violation("2026-03-01", case="X")),
        grade_on(AS_OF, *HARMONIOUS[:1]),
        grade_on(AS_OF, *HARMONIOUS, provincial("2026-06-01", level="D")),
    ):
        assert result.needs_review is True
        assert result.grade in decidable_grades(rules(result), result.grade)


def test_flag_articles_names_the_flagging_entries_once_each():
    basis = [
        {"article": "第十条", "rule": "a_no_violation_in_last_year"},
        {"article": "第九条(二)", "rule": "a_plus_candidate_not_assessed"},
        {"article": "第八条", "rule": "provincial_low_flag"},
    ]
    assert flag_articles(basis) == ["第九条(二)", "第八条"]


def test_grades_text_reads_as_alternatives():
    assert grades_text((B, C)) == "B级或C级"
    assert grades_text((A, B, C)) == "A级、B级或C级"
    assert grades_text((A,)) == "A级"
