"""人工认定: the grades an officer may decide on a result the rules leave open.

The rules flag a result for review only where the 办法 leaves its grade open, and
each flag leaves open only some grades; an officer's decision stays inside them:

- 第十一条 grades B a violation in the last year 及时纠正; one not (yet) corrected, or
  corrected after its deadline, is graded by neither 第十一条 nor 第十二条 (no penalty),
  so it is B or C, never better than the violation allows (第十条 needs none in the year).
- 第九条(二): an A+ candidate whose labour practice was not assessed is A+ or A.
- 第八条: a low provincial result may lower a grade, never raise it: the computed
  grade or lower. Under the "cap" policy the grade is already capped: whatever the
  other flags leave open, capped the same way.

With several flags, the grades all of them leave open.
"""

from __future__ import annotations

from collections.abc import Iterable

from laborcredit.rules.vocabulary import Grade

OPEN_GRADES: dict[str, frozenset[Grade]] = {
    "b_not_corrected": frozenset({Grade.B, Grade.C}),  # 第十一条
    "b_corrected_late": frozenset({Grade.B, Grade.C}),  # 第十一条
    "a_plus_candidate_not_assessed": frozenset({Grade.A_PLUS, Grade.A}),  # 第九条(二)
}
"""The rule ids that flag a result for review by the article's own terms, with the grades
each leaves open. `provincial_low_flag` (第八条) depends on the computed grade."""

PROVINCIAL_FLAG = "provincial_low_flag"
PROVINCIAL_CAP = "provincial_low_cap"


def decidable_grades(rules: Iterable[str], computed: Grade) -> tuple[Grade, ...]:
    """The grades an officer may decide on a result with these basis rule ids and this
    computed grade, best first. A result with no flagging rule leaves nothing open: only
    the computed grade (confirming it)."""
    rules = set(rules)
    open_grades = set(Grade)
    flagged = False
    for rule, grades in OPEN_GRADES.items():
        if rule in rules:
            open_grades &= grades
            flagged = True
    if PROVINCIAL_FLAG in rules:
        open_grades = {g for g in open_grades if g.rank <= computed.rank}
        flagged = True
    if not flagged:
        return (computed,)
    if PROVINCIAL_CAP in rules:
        # 第八条 "cap": the computed grade is the cap; a better grade the other flags
        # leave open is capped like the computed one was.
        open_grades = {g if g.rank <= computed.rank else computed for g in open_grades}
    return tuple(g for g in Grade if g in open_grades)


def flag_articles(basis: Iterable[dict[str, str]]) -> list[str]:
    """The articles of the basis entries that leave the grade open, in basis order."""
    flagging = {*OPEN_GRADES, PROVINCIAL_FLAG, PROVINCIAL_CAP}
    articles: list[str] = []
    for entry in basis:
        if entry.get("rule") in flagging and entry.get("article") not in articles:
            articles.append(entry["article"])
    return articles


def grades_text(grades: Iterable[Grade]) -> str:
    """The grades as a Chinese list of alternatives: "B级或C级", "A+级、A级或B级"."""
    names = [f"{g.value}级" for g in grades]
    if len(names) <= 1:
        return "".join(names)
    return "、".join(names[:-1]) + "或" + names[-1]
