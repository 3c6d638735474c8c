"""第四章 信用评价结果应用: 第十四条–第十七条, the measures that follow from a grade.

Each measure quotes its article and item; `measures_for` says which apply to a
grade and why. 第十七条 treats the two roads to C differently: C because of an
administrative penalty (第十二条(一), 第二十一条) brings items (一)–(三); C because
of the wage-arrears blacklist (第十二条(二)) brings joint punishment. The
"other measures set by the state, province or city" (第十四条(三), 第十五条(三))
are listed as the article says them; which ones are in force is data the
bureau keeps (issue 5), not code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from laborcredit.rules.articles import ARTICLES
from laborcredit.rules.vocabulary import Grade


class Kind(Enum):
    INCENTIVE = "incentive"
    SANCTION = "sanction"
    SUPERVISION = "supervision"  # 第十六条: neither reward nor punishment

    @property
    def label(self) -> str:
        return {"incentive": "激励措施", "sanction": "惩戒措施", "supervision": "监管措施"}[
            self.value
        ]


class CCause(Enum):
    """Why an employer is graded C, as far as 第十七条 cares."""

    PENALTY = "penalty"
    BLACKLIST = "blacklist"


# The basis rules (grading.py) that make a C, by 第十七条's two causes.
C_CAUSE_RULES = {
    "c_penalty_in_last_year": CCause.PENALTY,  # 第十二条(一)
    "c_penalty_not_repaired": CCause.PENALTY,  # 第二十一条
    "c_blacklisted_in_last_year": CCause.BLACKLIST,  # 第十二条(二)
}


@dataclass(frozen=True)
class Measure:
    code: str
    article: str
    item: str  # "（一）", or "" for an article of one sentence or a closing paragraph
    kind: Kind
    grade: Grade
    cause: CCause | None = None

    @property
    def citation(self) -> str:
        return f"{self.article}{self.item}"

    @property
    def text(self) -> str:
        """The item's words in the 办法."""
        lines = ARTICLES[self.article].split("\n")
        if self.item:
            line = next(x for x in lines if x.startswith(self.item))
            return line.removeprefix(self.item).rstrip("；。") + "。"
        if self.cause is CCause.BLACKLIST:
            return lines[-1]
        return lines[0]


def _items(article: str, kind: Kind, grade: Grade, cause: CCause | None = None) -> list[Measure]:
    numbers = ("（一）", "（二）", "（三）")
    lines = ARTICLES[article].split("\n")
    items = [n for n in numbers if any(x.startswith(n) for x in lines)]
    return [Measure(f"{article}{n}", article, n, kind, grade, cause) for n in items]


MEASURES: tuple[Measure, ...] = (
    *_items("第十四条", Kind.INCENTIVE, Grade.A_PLUS),
    *_items("第十五条", Kind.INCENTIVE, Grade.A),
    Measure("第十六条", "第十六条", "", Kind.SUPERVISION, Grade.B),
    *_items("第十七条", Kind.SANCTION, Grade.C, CCause.PENALTY),
    Measure("第十七条联合惩戒", "第十七条", "", Kind.SANCTION, Grade.C, CCause.BLACKLIST),
)


@dataclass(frozen=True)
class AppliedMeasure:
    measure: Measure
    why: str


def c_causes(basis_rules: Iterable[str]) -> set[CCause]:
    return {C_CAUSE_RULES[rule] for rule in basis_rules if rule in C_CAUSE_RULES}


def measures_for(grade: Grade, basis_rules: Iterable[str]) -> list[AppliedMeasure]:
    """The measures of 第十四条–第十七条 that apply to `grade`, with why.

    For C, `basis_rules` (the rule ids of the grade's basis) decide which of
    第十七条's two paragraphs apply; a C with neither cause in its basis (a grade
    set by an officer's decision) gets no C measure here: the officer must say
    which paragraph applies.
    """
    if grade is not Grade.C:
        label = f"{grade.value}级（{grade.label}）"
        return [AppliedMeasure(m, f"信用等级为{label}") for m in MEASURES if m.grade is grade]
    causes = c_causes(basis_rules)
    why = {
        CCause.PENALTY: "因违反人社法律法规受到行政处罚被评为C级（较差）",
        CCause.BLACKLIST: "因列入拖欠农民工工资“黑名单”被评为C级（较差）",
    }
    return [
        AppliedMeasure(m, why[m.cause])
        for m in MEASURES
        if m.grade is Grade.C and m.cause in causes
    ]
