"""第八条–第十二条 as an employer reads its grade: what the grade in force says of it.

The regulation defines each grade by the facts that earn it (第九条 A+ … 第十二条 C).
Some results are not one of those definitions: a violation not corrected, or
corrected after its deadline, earns no grade under 第十一条 (it grades only 及时纠正),
so the result is B to be reviewed; an A+ candidate without an assessment is A to
be reviewed; a C kept by 第二十一条 rests on a penalty older than a year. Telling
such an employer "B级是指……及时纠正" would contradict its own basis, so the
meaning follows the rules of the basis and falls back to the definition.
"""

from __future__ import annotations

from collections.abc import Iterable

from laborcredit.rules.vocabulary import Grade

GRADE_ARTICLE = {"A+": "第九条", "A": "第十条", "B": "第十一条", "C": "第十二条"}
"""The article that defines each grade."""

GRADE_DEFINITION = {
    "A+": "被确定为市级劳动关系和谐企业且未被撤销，近60个月没有劳动保障违法违规行为和劳动人事争议"
    "仲裁败诉案件，并严格执行劳动合同制度、注重人文关怀。",
    "A": "近一年内未被发现有违反人社法律法规的行为。",
    "B": "近一年内因违反人社法律法规的行为被查处，但及时纠正，未受到行政处罚。",
    "C": "近一年内因违反人社法律法规受到行政处罚，或被列入拖欠农民工工资“黑名单”。",
}
"""第九条–第十二条 in a sentence each."""

REPAIR_SENTENCE = "因行政处罚评为C级的，纠正违法行为并履行行政处罚决定后，在评价周期满后5个工作日内调整等级（第二十一条）。"


def grade_meaning(grade: str, rules: Iterable[str], *, decided: bool) -> str:
    """What the grade in force says of the employer, given the rule ids of its basis.

    `decided`: an officer decided the grade on review. The definition of the decided grade
    need not hold (a late correction decided C was never penalised), so this says the grade
    was decided and why the rules left it open; the decision's reason is shown beside it.
    """
    rules = set(rules)
    named = f"{grade}级（{Grade(grade).label}）"
    article = GRADE_ARTICLE[grade]
    reviewed = _under_review(rules)
    if decided:
        # The decided grade is not the definition's: the case is one the 办法 leaves open.
        why = f"需要人工认定的原因：{reviewed}" if reviewed else ""
        return f"{named}为市人社局人工认定的等级。{why}"
    if reviewed:
        return f"{reviewed}须由市人社局人工复核认定等级，复核前暂按{named}显示。"
    if grade == Grade.C.value and rules & {"c_penalty_in_last_year", "c_blacklisted_in_last_year"}:
        return f"{named}是指（{article}）：{GRADE_DEFINITION[grade]}{_repair(rules)}"
    if "c_penalty_not_repaired" in rules:
        return (
            f"{named}：行政处罚已满一年，但违法行为尚未纠正或行政处罚决定尚未履行，"
            f"等级暂不调整。{REPAIR_SENTENCE}"
        )
    return f"{named}是指（{article}）：{GRADE_DEFINITION[grade]}"


def _under_review(rules: set[str]) -> str:
    """Why a result needs an officer's review, in a sentence or two; "" when it does not."""
    reasons = []
    late = [
        text
        for rule, text in (
            ("b_not_corrected", "尚未纠正"),
            ("b_corrected_late", "未在整改期限内纠正"),
        )
        if rule in rules
    ]
    if late:
        reasons.append(
            f"近一年内有违反人社法律法规的行为被查处，{'或'.join(late)}；"
            "第十一条的B级以“及时纠正”为条件，办法未规定这种情形的等级。"
        )
    if "a_plus_candidate_not_assessed" in rules:
        reasons.append(
            "除劳动用工实践评估外符合A+级（优秀）的条件（第九条），但近一年内没有评估结果。"
        )
    if "provincial_low_flag" in rules:
        reasons.append("河南省公共信用综合评价结果为D级（第八条）。")
    return "".join(reasons)


def _repair(rules: set[str]) -> str:
    return REPAIR_SENTENCE if "c_penalty_in_last_year" in rules else ""
