"""第二十一条: a penalty older than the last year keeps the employer at C until its case
is both corrected (violation_corrected) and fulfilled (penalty_fulfilled) on or before as_of.
"""

from laborcredit.rules import Grade
from tests.rules.builders import (
    AS_OF,
    corrected,
    entry,
    fulfilled,
    grade_on,
    penalty,
    rules,
    violation,
)

CASE = "舞人社监〔2024〕7号"
OLD_PENALTY = penalty("2024-05-10", case=CASE)


def test_old_penalty_neither_corrected_nor_fulfilled_is_c():
    result = grade_on(AS_OF, OLD_PENALTY)
    assert result.grade is Grade.C
    assert rules(result) == ["c_penalty_not_repaired"]
    assert result.basis[0].article == "第二十一条"
    reason = result.basis[0].reason
    assert "2024-05-10" in reason
    assert CASE in reason
    assert "尚未纠正违法行为" in reason
    assert "尚未履行行政处罚决定" in reason


def test_old_penalty_corrected_but_not_fulfilled_is_c():
    result = grade_on(AS_OF, OLD_PENALTY, corrected("2024-06-01", case=CASE))
    assert result.grade is Grade.C
    reason = entry(result, "c_penalty_not_repaired").reason
    assert "尚未履行行政处罚决定" in reason
    assert "尚未纠正违法行为" not in reason


def test_old_penalty_fulfilled_but_not_corrected_is_c():
    result = grade_on(AS_OF, OLD_PENALTY, fulfilled("2024-06-01", case=CASE))
    assert result.grade is Grade.C
    reason = entry(result, "c_penalty_not_repaired").reason
    assert "尚未纠正违法行为" in reason
    assert "尚未履行行政处罚决定" not in reason


def test_old_penalty_corrected_and_fulfilled_is_no_longer_c():
    result = grade_on(
        AS_OF, OLD_PENALTY, corrected("2024-06-01", case=CASE), fulfilled("2024-07-01", case=CASE)
    )
    assert result.grade is Grade.A
    assert rules(result) == ["a_no_violation_in_last_year"]


def test_correction_and_fulfilment_on_the_evaluation_date_count():
    result = grade_on(
        AS_OF, OLD_PENALTY, corrected("2026-11-24", case=CASE), fulfilled("2026-11-24", case=CASE)
    )
    assert result.grade is Grade.A


def test_correction_and_fulfilment_dated_after_the_evaluation_date_leave_it_c():
    result = grade_on(
        AS_OF, OLD_PENALTY, corrected("2026-11-25", case=CASE), fulfilled("2026-11-25", case=CASE)
    )
    assert result.grade is Grade.C
    assert rules(result) == ["c_penalty_not_repaired"]


def test_fulfilment_dated_after_the_evaluation_date_leaves_it_c():
    result = grade_on(
        AS_OF, OLD_PENALTY, corrected("2024-06-01", case=CASE), fulfilled("2026-12-01", case=CASE)
    )
    assert result.grade is Grade.C


def test_correction_of_a_different_case_does_not_count():
    result = grade_on(
        AS_OF,
        OLD_PENALTY,
        corrected("2024-06-01", case="舞人社监〔2024〕8号"),
        fulfilled("2024-07-01", case=CASE),
    )
    assert result.grade is Grade.C
    assert "尚未纠正违法行为" in entry(result, "c_penalty_not_repaired").reason


def test_fulfilment_of_a_different_case_does_not_count():
    result = grade_on(
        AS_OF,
        OLD_PENALTY,
        corrected("2024-06-01", case=CASE),
        fulfilled("2024-07-01", case="舞人社监〔2024〕8号"),
    )
    assert result.grade is Grade.C


def test_penalty_on_the_day_one_year_back_is_held_by_article_21_not_article_12():
    result = grade_on(AS_OF, penalty("2025-11-24", case=CASE))
    assert result.grade is Grade.C
    assert rules(result) == ["c_penalty_not_repaired"]


def test_one_repaired_case_does_not_clear_another_unrepaired_one():
    result = grade_on(
        AS_OF,
        OLD_PENALTY,
        corrected("2024-06-01", case=CASE),
        fulfilled("2024-07-01", case=CASE),
        penalty("2023-03-01", case="Y"),
    )
    assert result.grade is Grade.C
    reason = entry(result, "c_penalty_not_repaired").reason
    assert "2023-03-01" in reason
    assert CASE not in reason


def test_unrepaired_old_penalty_outranks_a_violation_in_the_last_year():
    result = grade_on(
        AS_OF,
        OLD_PENALTY,
        violation("2026-03-01", case="Z", deadline="2026-03-31"),
        corrected("2026-03-20", case="Z"),
    )
    assert result.grade is Grade.C
    assert rules(result) == ["c_penalty_not_repaired"]


def test_penalty_in_last_year_and_old_unrepaired_one_both_give_a_reason():
    result = grade_on(AS_OF, OLD_PENALTY, penalty("2026-01-15", case="Y"))
    assert rules(result) == ["c_penalty_in_last_year", "c_penalty_not_repaired"]
