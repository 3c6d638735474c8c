"""第十四条–第十七条: which measures follow from a grade, quoted from the 办法."""

from __future__ import annotations

from laborcredit.rules.measures import MEASURES, CCause, Kind, measures_for
from laborcredit.rules.vocabulary import Grade


def citations(grade, rules=()):
    return [applied.measure.citation for applied in measures_for(grade, rules)]


def test_an_a_plus_employer_gets_the_three_incentives_of_article_14():
    assert citations(Grade.A_PLUS) == ["第十四条（一）", "第十四条（二）", "第十四条（三）"]
    first = measures_for(Grade.A_PLUS, ())[0]
    assert first.measure.text == "免于日常巡视检查。"
    assert first.measure.kind is Kind.INCENTIVE
    assert "A+级（优秀）" in first.why


def test_an_a_employer_gets_article_15_including_priority_at_the_licensing_window():
    measures = measures_for(Grade.A, ())
    assert [m.measure.citation for m in measures] == [
        "第十五条（一）",
        "第十五条（二）",
        "第十五条（三）",
    ]
    assert "优先办理、简化程序" in measures[0].measure.text


def test_a_b_employer_is_inspected_more_often_under_article_16():
    (only,) = measures_for(Grade.B, ())
    assert only.measure.citation == "第十六条"
    assert only.measure.text == "对B级（一般）用人单位适当增加日常巡视检查频次。"
    assert only.measure.kind is Kind.SUPERVISION


def test_c_because_of_a_penalty_brings_items_one_to_three_of_article_17_and_no_joint_punishment():
    assert citations(Grade.C, ["c_penalty_in_last_year"]) == [
        "第十七条（一）",
        "第十七条（二）",
        "第十七条（三）",
    ]
    interview = measures_for(Grade.C, ["c_penalty_in_last_year"])[2]
    assert "约谈" in interview.measure.text
    assert "行政处罚" in interview.why


def test_a_penalty_not_repaired_under_article_21_is_a_penalty_cause_too():
    assert citations(Grade.C, ["c_penalty_not_repaired"])[0] == "第十七条（一）"


def test_c_because_of_the_blacklist_brings_joint_punishment_only():
    (only,) = measures_for(Grade.C, ["c_blacklisted_in_last_year"])
    assert only.measure.citation == "第十七条"
    assert only.measure.cause is CCause.BLACKLIST
    assert "联合惩戒" in only.measure.text and "黑名单" in only.why


def test_both_causes_bring_both_paragraphs_of_article_17():
    assert len(measures_for(Grade.C, ["c_penalty_in_last_year", "c_blacklisted_in_last_year"])) == 4


def test_a_c_set_by_an_officer_with_no_c_rule_in_its_basis_gets_no_c_measure_by_itself():
    assert measures_for(Grade.C, ["b_not_corrected"]) == []


def test_every_measure_quotes_words_that_are_in_its_article():
    from laborcredit.rules.articles import ARTICLES

    for measure in MEASURES:
        assert measure.text.rstrip("。") in ARTICLES[measure.article]
