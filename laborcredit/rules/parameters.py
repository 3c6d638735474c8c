"""Dated parameters of the 办法, each with the article it comes from.

An amendment adds a value with the date it takes effect; it never edits an
old one, so a grade for an earlier date is computed with the values then in
force. 第二十二条 本办法自文件印发之日起施行 (2022-12-15).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta

IN_FORCE_FROM = datetime.date(2022, 12, 15)
"""第二十二条: the 办法 was issued, and took effect, on 2022-12-15."""

PROVINCIAL_POLICIES = ("flag", "cap")
PROVINCIAL_POLICY_LABELS = {"flag": "仅提示人工复核", "cap": "以规定等级封顶"}
"""第八条's ways of using the provincial result, as a page names them."""


class NotInForce(ValueError):
    """The evaluation date precedes every version of a parameter."""

    def __init__(self, as_of: datetime.date) -> None:
        super().__init__(
            f"评价日期 {as_of.isoformat()} 早于《办法》施行日期 "
            f"{IN_FORCE_FROM.isoformat()}（第二十二条），无可适用的评价规则"
        )
        self.as_of = as_of


@dataclass(frozen=True)
class Parameter:
    """One parameter's values over time, as (effective date, value) pairs."""

    name: str
    reference: str
    description: str
    values: tuple[tuple[datetime.date, Any], ...]

    def value_on(self, as_of: datetime.date) -> tuple[datetime.date, Any]:
        in_force = [(since, value) for since, value in self.values if since <= as_of]
        if not in_force:
            raise NotInForce(as_of)
        return max(in_force, key=lambda pair: pair[0])


RECENT_WINDOW = Parameter(
    "recent_window",
    "第十条、第十一条、第十二条",
    "近一年内：评价日前一年（不含）至评价日（含）",
    ((IN_FORCE_FROM, relativedelta(years=1)),),
)

A_PLUS_CLEAN_WINDOW = Parameter(
    "a_plus_clean_window",
    "第九条(一)",
    "近60个月：评价日前60个月（不含）至评价日（含）",
    ((IN_FORCE_FROM, relativedelta(months=60)),),
)

EVALUATION_CYCLE = Parameter(
    "evaluation_cycle",
    "第十三条、第二十一条",
    "评价周期为一年",
    ((IN_FORCE_FROM, relativedelta(years=1)),),
)

GRADE_ADJUSTMENT_WORKING_DAYS = Parameter(
    "grade_adjustment_working_days",
    "第二十一条",
    "已纠正违法行为且履行行政处罚决定的，评价周期满后5个工作日内调整信用等级",
    ((IN_FORCE_FROM, 5),),
)

PROVINCIAL_POLICY = Parameter(
    "provincial_policy",
    "第八条",
    "河南省公共信用综合评价结果的运用方式：仅提示人工复核，或以规定等级封顶",
    ((IN_FORCE_FROM, "flag"),),
)

PROVINCIAL_LOW_LEVELS = Parameter(
    "provincial_low_levels",
    "第八条",
    "需提示人工复核（或以规定等级封顶）的河南省公共信用综合评价等级",
    ((IN_FORCE_FROM, frozenset({"D"})),),
)

PROVINCIAL_CAP_GRADE = Parameter(
    "provincial_cap_grade",
    "第八条",
    "运用方式为“以规定等级封顶”时，河南省公共信用综合评价等级过低的单位最高可评的信用等级",
    ((IN_FORCE_FROM, "B"),),
)

ALL = (
    RECENT_WINDOW,
    A_PLUS_CLEAN_WINDOW,
    EVALUATION_CYCLE,
    GRADE_ADJUSTMENT_WORKING_DAYS,
    PROVINCIAL_POLICY,
    PROVINCIAL_LOW_LEVELS,
    PROVINCIAL_CAP_GRADE,
)


@dataclass(frozen=True)
class ParameterSet:
    """The values in force on one evaluation date."""

    version: str
    recent_window: relativedelta
    a_plus_clean_window: relativedelta
    evaluation_cycle: relativedelta
    grade_adjustment_working_days: int
    provincial_policy: str
    provincial_low_levels: frozenset[str]
    provincial_cap_grade: str


_cache: dict[datetime.date, ParameterSet] = {}


def parameters_on(as_of: datetime.date) -> ParameterSet:
    """The parameters in force on `as_of`; `version` is the latest effective date among them."""
    cached = _cache.get(as_of)
    if cached is not None:
        return cached
    values = {p.name: p.value_on(as_of) for p in ALL}
    version = max(since for since, _ in values.values())
    result = ParameterSet(version=version.isoformat(), **{k: v for k, (_, v) in values.items()})
    if len(_cache) < 4096:
        _cache[as_of] = result
    return result
