"""第五条: what the credit file is made of.

第五条 用人单位劳动保障信用信息主要包括基础信息、良好信息和失信信息。

Every fact about an employer is one dated record of a type below; this module
is the one definition of those types, their fields and their Chinese names.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from typing import NamedTuple


class Category(enum.StrEnum):
    """第五条: the three kinds of credit information."""

    BASIC = "basic"
    GOOD = "good"
    DISHONESTY = "dishonesty"

    @property
    def label(self) -> str:
        return {"basic": "基础信息", "good": "良好信息", "dishonesty": "失信信息"}[self.value]


class Grade(enum.StrEnum):
    """第八条 ……分为四个等级：A+级（优秀）、A级（良好）、B级（一般）、C级（较差）。"""

    A_PLUS = "A+"
    A = "A"
    B = "B"
    C = "C"

    @property
    def label(self) -> str:
        return {"A+": "优秀", "A": "良好", "B": "一般", "C": "较差"}[self.value]

    @property
    def rank(self) -> int:
        """Higher is better: C=0 … A+=3."""
        return {"C": 0, "B": 1, "A": 2, "A+": 3}[self.value]


PROVINCIAL_LEVELS = ("A", "B", "C", "D")
"""第八条: levels of the Henan provincial public credit comprehensive evaluation, D lowest."""


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str
    kind: str  # "date", "case", "text", "bool", "level"
    required: bool = True


_DATE = Field("date", "日期", "date")
_CASE = Field("case", "案件编号", "case")


class RecordType(enum.StrEnum):
    HARMONIOUS_CERTIFIED = "harmonious_certified"
    HARMONIOUS_REVOKED = "harmonious_revoked"
    LABOR_PRACTICE_ASSESSED = "labor_practice_assessed"
    VIOLATION_FOUND = "violation_found"
    VIOLATION_CORRECTED = "violation_corrected"
    PENALTY_IMPOSED = "penalty_imposed"
    PENALTY_FULFILLED = "penalty_fulfilled"
    BLACKLIST_LISTED = "blacklist_listed"
    BLACKLIST_REMOVED = "blacklist_removed"
    ARBITRATION_LOST = "arbitration_lost"
    PROVINCIAL_CREDIT = "provincial_credit"
    INTERVIEW_HELD = "interview_held"

    @property
    def label(self) -> str:
        return _SPECS[self][0]

    @property
    def category(self) -> Category:
        return _SPECS[self][1]

    @property
    def article(self) -> str:
        return _SPECS[self][2]

    @property
    def fields(self) -> tuple[Field, ...]:
        return _SPECS[self][3]

    @property
    def is_case_bound(self) -> bool:
        return any(f.name == "case" for f in self.fields)


_SPECS: dict[RecordType, tuple[str, Category, str, tuple[Field, ...]]] = {
    RecordType.HARMONIOUS_CERTIFIED: (
        "认定为市级劳动关系和谐企业",
        Category.GOOD,
        "第九条",
        (_DATE,),
    ),
    RecordType.HARMONIOUS_REVOKED: (
        "撤销市级劳动关系和谐企业",
        Category.BASIC,
        "第九条",
        (_DATE,),
    ),
    RecordType.LABOR_PRACTICE_ASSESSED: (
        "劳动用工情况评估",
        Category.BASIC,
        "第九条(二)",
        (_DATE, Field("passed", "是否通过", "bool")),
    ),
    RecordType.VIOLATION_FOUND: (
        "违反人社法律法规行为被查处",
        Category.DISHONESTY,
        "第十条、第十一条",
        (_DATE, _CASE, Field("correction_deadline", "整改期限", "date", required=False)),
    ),
    RecordType.VIOLATION_CORRECTED: (
        "违法行为已纠正",
        Category.BASIC,
        "第十一条、第二十一条",
        (_DATE, _CASE),
    ),
    RecordType.PENALTY_IMPOSED: (
        "行政处罚",
        Category.DISHONESTY,
        "第十二条(一)",
        (_DATE, _CASE, Field("document", "行政处罚决定书文号", "text", required=False)),
    ),
    RecordType.PENALTY_FULFILLED: (
        "已履行行政处罚决定",
        Category.BASIC,
        "第二十一条",
        (_DATE, _CASE),
    ),
    RecordType.BLACKLIST_LISTED: (
        "列入拖欠农民工工资黑名单",
        Category.DISHONESTY,
        "第十二条(二)",
        (_DATE,),
    ),
    RecordType.BLACKLIST_REMOVED: (
        "移出拖欠农民工工资黑名单",
        Category.BASIC,
        "第十二条(二)",
        (_DATE,),
    ),
    RecordType.ARBITRATION_LOST: (
        "劳动人事争议仲裁败诉",
        Category.DISHONESTY,
        "第九条(一)",
        (_DATE, _CASE),
    ),
    RecordType.PROVINCIAL_CREDIT: (
        "河南省公共信用综合评价结果",
        Category.BASIC,
        "第八条",
        (_DATE, Field("level", "评价等级", "level")),
    ),
    # 第十七条(三) 约谈情况应当记入用人单位信用记录: a measure the bureau took, not a fact
    # of (dis)honesty, so basic information like a penalty's fulfilment; no article of
    # 第三章 reads it, so it changes no grade. `case` is the penalty's case.
    RecordType.INTERVIEW_HELD: (
        "约谈",
        Category.BASIC,
        "第十七条(三)",
        (_DATE, _CASE),
    ),
}

NEGATIVE_TYPES = frozenset(
    {
        RecordType.VIOLATION_FOUND,
        RecordType.PENALTY_IMPOSED,
        RecordType.BLACKLIST_LISTED,
        RecordType.ARBITRATION_LOST,
    }
)
"""Records that can only lower a grade (第九条(一), 第十条–第十二条)."""

UNGRADED_TYPES = frozenset({RecordType.INTERVIEW_HELD})
"""Records no article of 第三章 reads: kept in the credit file, never a cause of a grade."""


class Record(NamedTuple):
    """One dated fact in an employer's credit file.

    Immutable; a named tuple rather than a dataclass because the annual evaluation makes
    one for every record of every employer (ten million at a province's size), and a
    tuple is made several times faster."""

    type: RecordType
    date: datetime.date
    case: str | None = None
    correction_deadline: datetime.date | None = None
    document: str | None = None
    passed: bool | None = None
    level: str | None = None

    def describe(self) -> str:
        """The record as a reason names it: date, what, and its case."""
        text = f"{self.date.isoformat()} {self.type.label}"
        return f"{text}（{self.case}）" if self.case else text
