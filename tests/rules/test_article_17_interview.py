"""第十七条(三): 约谈情况应当记入用人单位信用记录 — the interview is a record of its own, and no
article of 第三章 reads it, so it changes no grade, no basis and no date of the next change."""

from __future__ import annotations

import pytest

from laborcredit.rules import Record, RecordType
from laborcredit.rules.adjustment import next_change_on, result_key
from laborcredit.rules.validation import case_link_problems
from laborcredit.rules.vocabulary import Category
from tests.rules.builders import (
    AS_OF,
    HARMONIOUS,
    corrected,
    day,
    fulfilled,
    grade_on,
    listed,
    penalty,
    violation,
)

CASE = "舞人社监〔2026〕7号"


def interview(date: str, case: str = CASE) -> Record:
    return Record(RecordType.INTERVIEW_HELD, day(date), case=case)


SITUATIONS = {
    "C because of a penalty in the last year": (
        violation("2026-03-01", case=CASE), penalty("2026-03-20", case=CASE)
    ),
    "C because a penalty of long ago is not repaired": (
        violation("2023-03-01", case=CASE), penalty("2023-03-20", case=CASE)
    ),
    "C because of the blacklist and a penalty": (
        listed("2026-05-01"), violation("2026-03-01", case=CASE), penalty("2026-03-20", case=CASE)
    ),
    "B because of a violation corrected in time": (
        violation("2026-03-01", case=CASE), corrected("2026-03-10", case=CASE)
    ),
    "A after a penalty repaired more than a year ago": (
        violation("2024-03-01", case=CASE), penalty("2024-03-20", case=CASE),
        corrected("2024-04-01", case=CASE), fulfilled("2024-04-02", case=CASE),
    ),
    "A+ (an interview of an old case does not enter 第九条's 60 months)": HARMONIOUS,
}  # fmt: skip


@pytest.mark.parametrize("records", SITUATIONS.values(), ids=SITUATIONS.keys())
def test_an_interview_record_leaves_the_grade_and_its_basis_unchanged(records):
    before = grade_on(AS_OF, *records)
    for held in ("2026-04-15", "2026-11-24", "2022-12-20"):
        after = grade_on(AS_OF, *records, interview(held))
        assert result_key(after) == result_key(before)
        assert after.basis == before.basis
        assert next_change_on([*records, interview(held)], AS_OF) == next_change_on(records, AS_OF)


def test_the_situations_cover_every_grade():
    grades = {grade_on(AS_OF, *records).grade.value for records in SITUATIONS.values()}
    assert grades == {"A+", "A", "B", "C"}


def test_an_interview_is_basic_information_under_article_17_item_3():
    assert RecordType.INTERVIEW_HELD.category is Category.BASIC
    assert RecordType.INTERVIEW_HELD.article == "第十七条(三)"
    assert RecordType.INTERVIEW_HELD.label == "约谈"


def test_an_interview_must_name_a_case_with_a_penalty():
    records = [violation("2026-03-01", case=CASE), interview("2026-04-01")]
    ((index, reason),) = case_link_problems(records)
    assert index == 1 and "行政处罚" in reason
    assert case_link_problems([*records, penalty("2026-03-20", case=CASE)]) == []
