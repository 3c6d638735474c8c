"""第八条–第十二条 as an employer reads its grade: the meaning never contradicts the basis."""

from __future__ import annotations

import pytest

from laborcredit.rules.meaning import GRADE_DEFINITION, grade_meaning
from tests.rules.builders import corrected, grade_on, penalty, rules, violation


def meaning_of(records, as_of: str, *, decided: bool = False) -> str:
    result = grade_on(as_of, *records)
    return grade_meaning(result.grade.value, rules(result), decided=decided)


def test_a_violation_corrected_in_time_reads_as_the_b_of_article_11():
    records = [
        violation("2026-03-01", case="K", deadline="2026-03-31"),
        corrected("2026-03-20", case="K"),
    ]
    text = meaning_of(records, "2026-06-01")
    assert text == f"B级（一般）是指（第十一条）：{GRADE_DEFINITION['B']}"


@pytest.mark.parametrize(
    ("records", "says"),
    [
        ([violation("2026-03-01", case="K", deadline="2026-03-31")], "尚未纠正"),
        (
            [
                violation("2026-03-01", case="K", deadline="2026-03-31"),
                corrected("2026-04-20", case="K"),
            ],
            "未在整改期限内纠正",
        ),
    ],
)
def test_a_b_waiting_for_review_never_says_it_was_corrected_in_time(records, says):
    text = meaning_of(records, "2026-06-01")
    assert says in text and "人工复核" in text and "暂按B级（一般）显示" in text
    assert "但及时纠正" not in text


def test_a_c_kept_by_article_21_says_the_penalty_is_old_and_what_is_missing():
    records = [violation("2024-03-01", case="K"), penalty("2024-03-01", case="K")]
    text = meaning_of(records, "2026-06-01")
    assert "行政处罚已满一年" in text and "第二十一条" in text
    assert "近一年内因违反人社法律法规受到行政处罚" not in text


def test_a_penalty_c_names_the_way_out_and_a_decided_grade_reads_as_the_standard():
    records = [violation("2026-03-01", case="K"), penalty("2026-03-10", case="K")]
    assert "第二十一条" in meaning_of(records, "2026-06-01")
    decided = grade_meaning("C", ["b_not_corrected"], decided=True)
    assert decided.startswith("C级（较差）为市人社局人工认定的等级。") and "尚未纠正" in decided
    assert "受到行政处罚" not in decided and "复核前" not in decided


def test_every_grade_has_a_definition():
    for code in ("A+", "A", "B", "C"):
        assert grade_meaning(code, [], decided=False).startswith(f"{code}级")
