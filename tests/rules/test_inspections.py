"""第十四条(一)、第十五条(二)、第十六条、第十七条(二): routine inspections drawn at random (双随机),
weighted by grade, reproducible from the seed."""

from __future__ import annotations

import datetime
import math
import random

import pytest

from laborcredit.rules.inspections import (
    RATE_ARTICLES,
    draw,
    expected_inspections,
    rate_problems,
    rates_on,
)

RATES = rates_on(datetime.date(2026, 1, 1))
ROSTER = [f"jc{n:02d}" for n in range(1, 9)]


def pool(per_grade: int = 5) -> list[tuple[str, str]]:
    return [
        (f"{grade}-{n:03d}", grade) for grade in ("A+", "A", "B", "C") for n in range(per_grade)
    ]


def plan(seed: int = 7, **changes):  # type: ignore[no-untyped-def]
    arguments = {
        "seed": seed,
        "period_years": 1,
        "employers": pool(),
        "inspectors": ROSTER,
        "conflicts": set(),
        "last_inspectors": {},
        "rates": RATES,
    }
    arguments.update(changes)
    return draw(**arguments)


def test_the_default_rates_exempt_a_plus_halve_a_and_raise_b_and_c():
    assert RATES == {"A+": "0", "A": "0.5", "B": "2", "C": "4"}
    assert set(RATE_ARTICLES) == {"A+", "A", "B", "C"}
    assert "第十四条(一)" in RATE_ARTICLES["A+"]


def test_the_same_seed_gives_the_same_list_whatever_the_input_order():
    employers = pool()
    shuffled = employers[:]
    random.Random(1).shuffle(shuffled)
    first = plan(seed=2027, employers=employers, inspectors=ROSTER)
    second = plan(seed=2027, employers=shuffled, inspectors=list(reversed(ROSTER)))
    assert first == second


def test_a_different_seed_gives_a_different_list():
    assert plan(seed=1) != plan(seed=2)


def test_the_global_random_state_does_not_change_the_draw():
    random.seed(1)
    first = plan(seed=5)
    random.seed(99)
    random.random()
    assert plan(seed=5) == first


def test_an_a_plus_employer_is_never_inspected():
    for seed in range(30):
        assert not [i for i in plan(seed=seed) if i.grade == "A+"]


def test_c_employers_come_first_in_line():
    inspections = plan(seed=3)
    grades = [i.grade for i in inspections]
    c_count = grades.count("C")
    assert c_count == 5 * 4
    assert grades[:c_count] == ["C"] * c_count
    assert [i.order for i in inspections] == list(range(1, len(inspections) + 1))


def test_every_inspection_has_two_distinct_inspectors_from_the_roster():
    for inspection in plan(seed=11):
        assert len(inspection.inspectors) == 2
        assert len(set(inspection.inspectors)) == 2
        assert set(inspection.inspectors) <= set(ROSTER)
        assert inspection.unassigned_reason == ""


def test_an_inspector_in_conflict_is_never_drawn_for_that_employer():
    conflicts = {(name, "C-000") for name in ROSTER[:5]} | {("jc08", "B-001")}
    for seed in range(40):
        for inspection in plan(seed=seed, conflicts=conflicts):
            if inspection.employer == "C-000":
                assert not set(inspection.inspectors) & set(ROSTER[:5])
            if inspection.employer == "B-001":
                assert "jc08" not in inspection.inspectors


def test_the_inspectors_of_last_time_are_never_drawn_again_for_that_employer():
    last = {"B-000": {"jc01", "jc02"}, "C-003": {"jc03", "jc04", "jc05"}}
    for seed in range(40):
        firsts: dict[str, tuple[str, ...]] = {}
        for inspection in plan(seed=seed, last_inspectors=last):
            firsts.setdefault(inspection.employer, inspection.inspectors)
        assert not set(firsts["B-000"]) & last["B-000"]
        assert not set(firsts["C-003"]) & last["C-003"]


def test_two_inspections_of_one_employer_in_a_row_do_not_share_an_inspector():
    for seed in range(20):
        seen: dict[str, tuple[str, ...]] = {}
        for inspection in plan(seed=seed):
            before = seen.get(inspection.employer, ())
            assert not set(before) & set(inspection.inspectors)
            seen[inspection.employer] = inspection.inspectors


def test_with_fewer_than_two_eligible_inspectors_the_inspection_is_listed_unassigned():
    conflicts = {(name, "C-000") for name in ROSTER[:7]}
    inspections = plan(seed=4, conflicts=conflicts)
    blocked = [i for i in inspections if i.employer == "C-000"]
    assert len(blocked) == 4
    for inspection in blocked:
        assert inspection.inspectors == ()
        assert "不足2名" in inspection.unassigned_reason
        assert "回避7名" in inspection.unassigned_reason


def test_an_empty_roster_leaves_every_inspection_unassigned_but_listed():
    inspections = plan(seed=4, inspectors=[])
    assert len(inspections) == 5 * 2 + 5 * 4 + sum(1 for i in plan(seed=4) if i.grade == "A")
    assert all(i.unassigned_reason for i in inspections)


def test_the_load_is_spread_evenly_over_the_roster():
    counts = dict.fromkeys(ROSTER, 0)
    for inspection in plan(seed=8, employers=pool(20)):
        for name in inspection.inspectors:
            counts[name] += 1
    assert max(counts.values()) - min(counts.values()) <= 1


def test_a_quarter_expects_a_quarter_of_the_yearly_rate():
    assert expected_inspections("4", "0.25") == 1
    assert expected_inspections("0.5", "0.25") == pytest.approx(0.125)
    quarter = plan(seed=9, period_years="0.25")
    assert sum(1 for i in quarter if i.grade == "C") == 5
    assert sum(1 for i in quarter if i.grade == "B") <= 5


def test_the_same_employer_twice_with_two_grades_is_refused():
    with pytest.raises(ValueError, match="两次"):
        plan(employers=[("X", "A"), ("X", "B")])


def test_bad_rates_are_refused_each_with_its_grade():
    problems = dict(rate_problems({"A+": "0", "A": "-1", "B": "两次", "D": "1"}))
    assert problems == {
        "A": "A级的检查频次不能为负数",
        "B": "B级的检查频次应为数字，收到“两次”",
        "C": "缺少C级的检查频次",
        "D": "未知的信用等级“D”",
    }
    assert rate_problems(RATES) == []


@pytest.mark.parametrize("period_years,plans", [(1, 300), ("0.25", 300)])
def test_over_many_plans_each_grade_is_inspected_at_its_rate(period_years, plans):
    """The realised inspections per employer-year match the rates, within 4 binomial
    standard errors (the fraction of a rate is a Bernoulli draw per employer and period)."""
    per_grade = 20
    employers = pool(per_grade)
    totals = dict.fromkeys(("A+", "A", "B", "C"), 0)
    for seed in range(plans):
        for inspection in draw(
            seed=seed, period_years=period_years, employers=employers, inspectors=ROSTER,
            rates=RATES,
        ):  # fmt: skip
            totals[inspection.grade] += 1
    years = plans * float(expected_inspections(1, period_years))
    for grade, rate in RATES.items():
        expected = float(expected_inspections(rate, period_years))
        fraction = expected - int(expected)
        trials = plans * per_grade
        standard_error = math.sqrt(fraction * (1 - fraction) / trials) / float(
            expected_inspections(1, period_years)
        )
        mean_per_year = totals[grade] / (per_grade * years)
        assert abs(mean_per_year - float(rate)) <= 4 * standard_error + 1e-9, grade
