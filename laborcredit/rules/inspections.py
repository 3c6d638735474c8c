"""Routine inspections weighted by grade (第十四条(一), 第十五条(二), 第十六条, 第十七条(二)),
drawn by the 双随机 method: random employers, random inspectors, the seed published.

第十四条 A+级 …（一）免于日常巡视检查。
第十五条 A级 …（二）适当减少日常巡视检查频次。
第十六条 B级 …适当增加日常巡视检查频次。
第十七条 因受到行政处罚被评为C级的 …（二）列为日常监管重点对象，增加日常巡视检查频次。

The 办法 says "fewer" and "more", not how many: the rates below are the
bureau's choice, kept as a dated parameter so that a change adds a value
instead of editing one. A plan records the rates it used.

`draw` is deterministic for a seed: anyone holding the seed and the inputs the
plan stores gets the same list, which is how the fairness of a draw is shown.
It uses its own `random.Random(seed)` and sorts every input first, so neither
the global random state nor the order the database returns rows in matters.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from laborcredit.rules.parameters import IN_FORCE_FROM, Parameter

GRADES = ("A+", "A", "B", "C")

INSPECTION_RATES = Parameter(
    "inspection_rates",
    "第十四条(一)、第十五条(二)、第十六条、第十七条(二)",
    "日常巡视检查频次（次/年）。《办法》只规定免于、减少、增加，具体次数由市人社局确定",
    (
        (
            IN_FORCE_FROM,
            # The numbers are the bureau's choice; only their order is the 办法's.
            {
                "A+": "0",  # 第十四条(一) 免于日常巡视检查
                "A": "0.5",  # 第十五条(二) 适当减少日常巡视检查频次: once every two years
                "B": "2",  # 第十六条 适当增加日常巡视检查频次
                "C": "4",  # 第十七条(二) 列为日常监管重点对象，增加日常巡视检查频次
            },
        ),
    ),
)

RATE_ARTICLES = {
    "A+": "第十四条(一) 免于日常巡视检查",
    "A": "第十五条(二) 适当减少日常巡视检查频次",
    "B": "第十六条 适当增加日常巡视检查频次",
    "C": "第十七条(二) 列为日常监管重点对象，增加日常巡视检查频次",
}

FIRST_IN_LINE = "C"
"""第十七条(二) 列为日常监管重点对象: C employers head the list."""

INSPECTORS_PER_INSPECTION = 2
"""双随机: two law-enforcement officers per inspection."""

PERIOD_YEARS = {"year": Fraction(1), "quarter": Fraction(1, 4)}


def rates_on(as_of: datetime.date) -> dict[str, str]:
    """The inspection rates in force on `as_of` (per year, as decimal strings)."""
    _, value = INSPECTION_RATES.value_on(as_of)
    return dict(value)


def rate_problems(rates: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(grade, reason) for every rate that is missing, not a number, negative or absurd."""
    problems = []
    for grade in GRADES:
        if grade not in rates or str(rates[grade]).strip() == "":
            problems.append((grade, f"缺少{grade}级的检查频次"))
            continue
        try:
            value = Fraction(str(rates[grade]).strip())
        except (ValueError, ZeroDivisionError):
            problems.append((grade, f"{grade}级的检查频次应为数字，收到“{rates[grade]}”"))
            continue
        if value < 0:
            problems.append((grade, f"{grade}级的检查频次不能为负数"))
        elif value > 52:
            problems.append((grade, f"{grade}级的检查频次不能超过每年52次"))
    for grade in rates:
        if grade not in GRADES:
            problems.append((str(grade), f"未知的信用等级“{grade}”"))
    return problems


def expected_inspections(rate: Any, period_years: Any) -> Fraction:
    """Rate (per year) × the period's length in years, exactly."""
    return Fraction(str(rate)) * Fraction(str(period_years))


@dataclass(frozen=True)
class Inspection:
    """One inspection of the plan: whom, in what place of the list, by which two inspectors."""

    employer: str
    grade: str
    order: int  # 1-based place in the list
    inspectors: tuple[str, ...]  # two, or none when unassigned
    unassigned_reason: str = ""

    def as_row(self) -> dict[str, Any]:
        return {
            "employer": self.employer,
            "grade": self.grade,
            "order": self.order,
            "inspectors": list(self.inspectors),
            "unassigned_reason": self.unassigned_reason,
        }


def _how_many(rng: random.Random, expected: Fraction) -> int:
    """The integer part is certain; the fraction is a Bernoulli draw (A at 0.5 a year: every
    other year on average)."""
    whole = int(expected)
    fraction = expected - whole
    if fraction and rng.random() < fraction:
        whole += 1
    return whole


def draw(
    *,
    seed: int,
    period_years: Any,
    employers: Iterable[tuple[str, str]],
    inspectors: Iterable[str],
    conflicts: Iterable[tuple[str, str]] = (),
    last_inspectors: Mapping[str, Iterable[str]] | None = None,
    rates: Mapping[str, Any],
) -> list[Inspection]:
    """The inspection list for one period.

    `employers` are (employer key, grade); `conflicts` are (inspector, employer)
    pairs declared under 回避; `last_inspectors` maps an employer to the
    inspectors of its last inspection, none of whom is drawn for it again.
    """
    rng = random.Random(seed)
    pool = sorted(set(employers))
    keys = [key for key, _ in pool]
    if len(keys) != len(set(keys)):
        raise ValueError("同一单位在抽取范围中出现两次")
    unknown = sorted({grade for _, grade in pool} - set(GRADES))
    if unknown:
        raise ValueError(f"未知的信用等级：{'、'.join(unknown)}")
    roster = sorted(set(inspectors))
    avoided: dict[str, set[str]] = {}
    for inspector, employer in conflicts:
        avoided.setdefault(employer, set()).add(inspector)
    last = {employer: set(names) for employer, names in (last_inspectors or {}).items()}

    # 双随机 (1): how many times each employer is inspected, by its grade's rate.
    drawn: list[tuple[str, str]] = []
    for key, grade in pool:
        drawn += [(key, grade)] * _how_many(rng, expected_inspections(rates[grade], period_years))
    # 第十七条(二): C first in line; the order within each part is random.
    first = [item for item in drawn if item[1] == FIRST_IN_LINE]
    rest = [item for item in drawn if item[1] != FIRST_IN_LINE]
    rng.shuffle(first)
    rng.shuffle(rest)

    # 双随机 (2): two inspectors each, at random among the least loaded of those eligible.
    load = dict.fromkeys(roster, 0)
    plan = []
    for order, (key, grade) in enumerate(first + rest, start=1):
        conflicted = avoided.get(key, set())
        previous = last.get(key, set())
        eligible = [name for name in roster if name not in conflicted and name not in previous]
        if len(eligible) < INSPECTORS_PER_INSPECTION:
            plan.append(
                Inspection(key, grade, order, (), _unassigned(roster, conflicted, previous))
            )
            continue
        rng.shuffle(eligible)
        eligible.sort(key=lambda name: load[name])  # stable: random among equal loads
        chosen = tuple(sorted(eligible[:INSPECTORS_PER_INSPECTION]))
        for name in chosen:
            load[name] += 1
        # The next inspection of the same employer in this plan is after this one.
        last[key] = set(chosen)
        plan.append(Inspection(key, grade, order, chosen))
    return plan


def _unassigned(roster: list[str], conflicted: set[str], previous: set[str]) -> str:
    excluded_conflict = len(conflicted & set(roster))
    excluded_last = len((previous - conflicted) & set(roster))
    left = len(roster) - excluded_conflict - excluded_last
    return (
        f"可抽取的监察员不足{INSPECTORS_PER_INSPECTION}名：名册共{len(roster)}名，"
        f"因利害关系回避{excluded_conflict}名，因上次检查过该单位排除{excluded_last}名，"
        f"剩余{left}名，请补充名册后重新抽取或人工指派"
    )


def inspections_per_grade(plan: Iterable[Inspection]) -> dict[str, int]:
    counts = dict.fromkeys(GRADES, 0)
    for inspection in plan:
        counts[inspection.grade] += 1
    return counts
