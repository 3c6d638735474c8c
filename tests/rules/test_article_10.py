"""第十条: A when no violation was found in the last year (and nothing above applies)."""

from laborcredit.rules import Grade
from tests.rules.builders import AS_OF, arbitration_lost, corrected, grade_on, violation


def test_employer_with_no_records_is_a_with_the_article_10_basis():
    result = grade_on(AS_OF)
    assert result.grade is Grade.A
    assert result.needs_review is False
    assert result.provincial_level is None
    assert [e.as_dict() for e in result.basis] == [
        {
            "article": "第十条",
            "rule": "a_no_violation_in_last_year",
            "reason": "近一年内（2025-11-25至2026-11-24）未被发现有违反人社法律法规行为",
        }
    ]


def test_violation_older_than_a_year_is_a():
    result = grade_on(AS_OF, violation("2025-06-01", case="X"), corrected("2025-06-20", case="X"))
    assert result.grade is Grade.A
    assert result.needs_review is False


def test_violation_older_than_a_year_never_corrected_is_still_a():
    result = grade_on(AS_OF, violation("2025-06-01", case="X"))
    assert result.grade is Grade.A
    assert result.needs_review is False


def test_lost_arbitration_in_the_last_year_alone_is_a():
    result = grade_on(AS_OF, arbitration_lost("2026-05-01", case="舞劳人仲案字〔2026〕5号"))
    assert result.grade is Grade.A


def test_result_carries_its_evaluation_date_and_rule_version():
    result = grade_on(AS_OF)
    assert result.as_of == AS_OF
    assert result.rule_version == "2022-12-15"
    assert result.as_dict() == {
        "grade": "A",
        "needs_review": False,
        "provincial_level": None,
        "basis": [e.as_dict() for e in result.basis],
    }
