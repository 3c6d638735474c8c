"""第三章 信用等级评价: 第八条–第十三条 and 第二十一条.

`grade` applies the articles in the order the spec fixes (first match wins):
C (第十二条, 第二十一条), B (第十一条), A+ (第九条), A (第十条); then the provincial
result (第八条) flags or caps. Each article is one function below, quoting the
article, returning the basis entries it contributes; nothing else decides it.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from laborcredit.rules.parameters import PROVINCIAL_POLICIES, ParameterSet, parameters_on
from laborcredit.rules.periods import Window
from laborcredit.rules.vocabulary import Grade, Record, RecordType


class T:
    """The record types, each the `RecordType` member of its name. A plain class rather than
    the enum itself: looking a member up on an enum class costs several times as much as on
    a plain one (Python 3.11: about 90 against 20 ns), and the annual evaluation looks them
    up some thirty times for each employer, tens of millions of times at a province's size."""

    HARMONIOUS_CERTIFIED = RecordType.HARMONIOUS_CERTIFIED
    HARMONIOUS_REVOKED = RecordType.HARMONIOUS_REVOKED
    LABOR_PRACTICE_ASSESSED = RecordType.LABOR_PRACTICE_ASSESSED
    VIOLATION_FOUND = RecordType.VIOLATION_FOUND
    VIOLATION_CORRECTED = RecordType.VIOLATION_CORRECTED
    PENALTY_IMPOSED = RecordType.PENALTY_IMPOSED
    PENALTY_FULFILLED = RecordType.PENALTY_FULFILLED
    BLACKLIST_LISTED = RecordType.BLACKLIST_LISTED
    BLACKLIST_REMOVED = RecordType.BLACKLIST_REMOVED
    ARBITRATION_LOST = RecordType.ARBITRATION_LOST
    PROVINCIAL_CREDIT = RecordType.PROVINCIAL_CREDIT
    INTERVIEW_HELD = RecordType.INTERVIEW_HELD


class RecordSequenceError(ValueError):
    """The records contradict themselves (a blacklist removal with no listing before it)."""


@dataclass(frozen=True, slots=True)
class BasisEntry:
    """One rule that decided or flagged a grade: its article, id and a Chinese reason."""

    article: str
    rule: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"article": self.article, "rule": self.rule, "reason": self.reason}


@dataclass(frozen=True)
class GradeResult:
    as_of: datetime.date
    grade: Grade
    needs_review: bool
    provincial_level: str | None
    basis: tuple[BasisEntry, ...]
    rule_version: str

    def as_dict(self) -> dict[str, object]:
        return {
            "grade": self.grade.value,
            "needs_review": self.needs_review,
            "provincial_level": self.provincial_level,
            "basis": [entry.as_dict() for entry in self.basis],
        }


@dataclass(frozen=True, slots=True)
class BlacklistSpell:
    listed: datetime.date
    removed: datetime.date | None  # None: still listed on the evaluation date

    def describe(self) -> str:
        if self.removed is None:
            return f"{self.listed.isoformat()} 列入拖欠农民工工资黑名单，至评价日仍在名单中"
        return (
            f"{self.listed.isoformat()} 列入、{self.removed.isoformat()} 移出拖欠农民工工资黑名单"
        )


_TYPE_ORDER = {t: i for i, t in enumerate(RecordType)}


def _sort_key(r: Record) -> tuple[object, ...]:
    return (
        r.date,
        _TYPE_ORDER[r.type],
        r.case or "",
        r.correction_deadline or datetime.date.min,
        r.document or "",
        r.passed is True,
        r.level or "",
    )


def blacklist_spells(records: Iterable[Record]) -> list[BlacklistSpell]:
    """第十二条(二): the spells on the blacklist, from listing through removal, both inclusive.

    A listing while already listed continues the spell; on one day a listing
    counts before a removal. A removal with no open listing is an input error.
    """
    events = sorted(
        (r.date, 0 if r.type is T.BLACKLIST_LISTED else 1)
        for r in records
        if r.type is T.BLACKLIST_LISTED or r.type is T.BLACKLIST_REMOVED
    )
    spells: list[BlacklistSpell] = []
    open_since: datetime.date | None = None
    for day, kind in events:
        if kind == 0:
            if open_since is None:
                open_since = day
        elif open_since is None:
            raise RecordSequenceError(
                f"{day.isoformat()} 移出拖欠农民工工资黑名单，但此前没有对应的列入记录"
            )
        else:
            spells.append(BlacklistSpell(open_since, day))
            open_since = None
    if open_since is not None:
        spells.append(BlacklistSpell(open_since, None))
    return spells


_DATE = operator.attrgetter("date")


@dataclass(slots=True)
class Facts:
    """An employer's records as they stood on `as_of`, sorted and grouped for the articles."""

    as_of: datetime.date
    params: ParameterSet
    by_type: dict[RecordType, list[Record]] = field(default_factory=dict)
    corrected_on: dict[str, datetime.date] = field(default_factory=dict)
    fulfilled_on: dict[str, datetime.date] = field(default_factory=dict)
    blacklist: list[BlacklistSpell] = field(default_factory=list)
    last_year: Window = field(init=False)
    last_60_months: Window = field(init=False)

    def __post_init__(self) -> None:
        self.last_year = _window(self.as_of, self.params.recent_window)
        self.last_60_months = _window(self.as_of, self.params.a_plus_clean_window)

    @classmethod
    def gather(cls, records: Iterable[Record], as_of: datetime.date, params: ParameterSet) -> Facts:
        # Records dated after the evaluation date do not exist yet for it.
        known = [r for r in records if r.date <= as_of]
        # By date; records sharing a date by the whole of `_sort_key`, so that the order
        # never depends on the order they came in (sorting by date alone is several times
        # cheaper, and few employers have two records on one day).
        known.sort(key=_DATE)
        if len(set(map(_DATE, known))) < len(known):
            known.sort(key=_sort_key)
        facts = cls(as_of=as_of, params=params)
        by_type = facts.by_type
        for r in known:
            found = by_type.get(r.type)
            if found is None:
                by_type[r.type] = [r]
            else:
                found.append(r)
        # Each case's first correction and first fulfilment (the lists are in date order).
        for r in by_type.get(T.VIOLATION_CORRECTED, ()):
            facts.corrected_on.setdefault(r.case or "", r.date)
        for r in by_type.get(T.PENALTY_FULFILLED, ()):
            facts.fulfilled_on.setdefault(r.case or "", r.date)
        if T.BLACKLIST_LISTED in by_type or T.BLACKLIST_REMOVED in by_type:
            facts.blacklist = blacklist_spells(
                by_type.get(T.BLACKLIST_LISTED, []) + by_type.get(T.BLACKLIST_REMOVED, [])
            )
        return facts

    def within(self, record_type: RecordType, window: Window) -> list[Record]:
        after, until = window.after, window.until  # `r.date in window`, without a call each
        return [r for r in self.by_type.get(record_type, ()) if after < r.date <= until]

    def latest(self, record_type: RecordType) -> Record | None:
        found = self.by_type.get(record_type)
        return found[-1] if found else None


_windows: dict[tuple[datetime.date, object], Window] = {}


def _window(as_of: datetime.date, length: relativedelta) -> Window:
    """The window ending on `as_of`, made once per date: a city grades everyone on one date."""
    key = (as_of, (length.years, length.months, length.days))
    found = _windows.get(key)
    if found is None:
        if len(_windows) > 4096:
            _windows.clear()
        found = _windows[key] = Window.ending(as_of, length)
    return found


def _joined(parts: Iterable[str]) -> str:
    return "；".join(parts)


def _penalty_text(r: Record) -> str:
    ref = r.case if not r.document else f"{r.case}，{r.document}"
    return f"{r.date.isoformat()} 因违反人社法律法规受到行政处罚（{ref}）"


def article_12(facts: Facts) -> list[BasisEntry]:
    """第十二条 用人单位在近一年内存在以下情形之一的，评价为C级（较差）：
    （一）因违反人社法律法规受到行政处罚的；
    （二）被列入拖欠农民工工资“黑名单”的。
    """
    window = facts.last_year
    entries = []
    penalties = facts.within(T.PENALTY_IMPOSED, window)
    if penalties:
        entries.append(
            BasisEntry(
                "第十二条(一)",
                "c_penalty_in_last_year",
                f"近一年内（{window.describe()}）：" + _joined(map(_penalty_text, penalties)),
            )
        )
    spells = [s for s in facts.blacklist if window.overlaps(s.listed, s.removed)]
    if spells:
        entries.append(
            BasisEntry(
                "第十二条(二)",
                "c_blacklisted_in_last_year",
                _joined(s.describe() for s in spells)
                + f"，列入期间与近一年内（{window.describe()}）重叠",
            )
        )
    return entries


def article_21(facts: Facts) -> list[BasisEntry]:
    """第二十一条 对评价为C级的用人单位，市人社行政部门应当会同相关部门，督促用人单位纠正违法行为、
    消除不良影响。对已纠正违法行为且履行行政处罚决定的，应当在评价周期满后5个工作日内调整其信用等级。

    So a penalty older than the last year still keeps the employer at C until
    its case is both corrected and fulfilled.
    """
    window = facts.last_year
    unrepaired = []
    for r in facts.by_type.get(T.PENALTY_IMPOSED, ()):
        if r.date > window.after:
            continue  # inside the last year: 第十二条(一) decides it
        missing = []
        if (r.case or "") not in facts.corrected_on:
            missing.append("尚未纠正违法行为")
        if (r.case or "") not in facts.fulfilled_on:
            missing.append("尚未履行行政处罚决定")
        if missing:
            unrepaired.append(f"{_penalty_text(r)}，截至评价日{'、'.join(missing)}")
    if not unrepaired:
        return []
    return [BasisEntry("第二十一条", "c_penalty_not_repaired", _joined(unrepaired))]


_NOT_IN_TIME = "；未“及时纠正”的情形本办法未规定等级，需人工认定"
_NOT_YET_CORRECTED = "；本办法未规定此时的等级，需人工认定"


def article_11(facts: Facts) -> tuple[list[BasisEntry], bool]:
    """第十一条 用人单位在近一年内因违反人社法律法规行为被查处，但能及时纠正，未受到行政处罚的，
    评价为B级（一般）。

    Returns the basis and whether an officer must review it: the 办法 grades
    neither a violation left uncorrected nor one corrected after its deadline.
    An uncorrected violation is "not in time" only once its deadline has passed;
    before that, or with no deadline, the reason says only that it is not yet corrected.
    """
    found = facts.within(T.VIOLATION_FOUND, facts.last_year)
    in_time, not_corrected, late = [], [], []
    overdue = False  # some uncorrected case is past its deadline: not 及时纠正
    for r in found:
        head = f"{r.date.isoformat()} 被查处（{r.case}）"
        corrected = facts.corrected_on.get(r.case or "")
        if corrected is None:
            deadline = r.correction_deadline
            if deadline is None:
                not_corrected.append(f"{head}，截至评价日尚未纠正，未记录整改期限")
            elif deadline >= facts.as_of:
                not_corrected.append(
                    f"{head}，截至评价日尚未纠正，整改期限 {deadline.isoformat()} 尚未届满"
                )
            else:
                overdue = True
                not_corrected.append(
                    f"{head}，整改期限 {deadline.isoformat()}，截至评价日逾期未纠正"
                )
        elif r.correction_deadline is not None and corrected > r.correction_deadline:
            late.append(
                f"{head}，整改期限 {r.correction_deadline.isoformat()}，"
                f"{corrected.isoformat()} 才纠正"
            )
        else:
            in_time.append(f"{head}，{corrected.isoformat()} 已纠正，未受行政处罚")
    entries = []
    if in_time:
        entries.append(BasisEntry("第十一条", "b_corrected_without_penalty", _joined(in_time)))
    if not_corrected:
        entries.append(
            BasisEntry(
                "第十一条",
                "b_not_corrected",
                _joined(not_corrected) + (_NOT_IN_TIME if overdue else _NOT_YET_CORRECTED),
            )
        )
    if late:
        entries.append(BasisEntry("第十一条", "b_corrected_late", _joined(late) + _NOT_IN_TIME))
    return entries, bool(not_corrected or late)


def harmonious_designation(facts: Facts) -> Record | None:
    """第九条: the latest designation as a city-level harmonious enterprise, unless revoked since."""
    certified = facts.latest(T.HARMONIOUS_CERTIFIED)
    if certified is None:
        return None
    revoked = facts.latest(T.HARMONIOUS_REVOKED)
    if revoked is not None and revoked.date >= certified.date:
        return None
    return certified


def article_9(facts: Facts) -> tuple[Grade, list[BasisEntry], bool] | None:
    """第九条 用人单位同时具备以下条件，并被确定为市级劳动关系和谐企业且未被撤销的，评价为A+级（优秀）：
    （一）依法保障职工权益，近60个月无劳动保障违法违规行为或劳动人事争议仲裁败诉案件；
    （二）严格执行劳动合同制度，注重人文关怀，企业凝聚力较强。

    Returns None when the employer is no A+ candidate; otherwise the grade
    (A+, or A when (二) failed or was not assessed in the last year), the basis
    and whether an officer must review it.
    """
    designation = harmonious_designation(facts)
    if designation is None:
        return None
    window = facts.last_60_months
    if (
        facts.within(T.VIOLATION_FOUND, window)
        or facts.within(T.PENALTY_IMPOSED, window)
        or facts.within(T.ARBITRATION_LOST, window)
        or any(window.overlaps(s.listed, s.removed) for s in facts.blacklist)
    ):
        return None
    clean = BasisEntry(
        "第九条",
        "a_plus_harmonious_and_clean",
        f"{designation.date.isoformat()} 被确定为市级劳动关系和谐企业且未被撤销；"
        f"近60个月（{window.describe()}）无劳动保障违法违规行为、无劳动人事争议仲裁败诉案件，"
        "未被列入拖欠农民工工资黑名单",
    )
    assessments = facts.within(T.LABOR_PRACTICE_ASSESSED, facts.last_year)
    if not assessments:
        return (
            Grade.A,
            [
                BasisEntry(
                    "第九条(二)",
                    "a_plus_candidate_not_assessed",
                    f"符合第九条其他条件，但近一年内（{facts.last_year.describe()}）"
                    "无劳动用工情况评估（劳动合同制度、人文关怀、企业凝聚力），需人工认定是否评为A+级",
                )
            ],
            True,
        )
    assessment = assessments[-1]
    if assessment.passed:
        passed = BasisEntry(
            "第九条(二)",
            "a_plus_labor_practice_passed",
            f"{assessment.date.isoformat()} 劳动用工情况评估通过：严格执行劳动合同制度，"
            "注重人文关怀，企业凝聚力较强",
        )
        return Grade.A_PLUS, [clean, passed], False
    failed = BasisEntry(
        "第九条(二)",
        "a_plus_labor_practice_failed",
        f"{assessment.date.isoformat()} 劳动用工情况评估未通过，不评为A+级",
    )
    return Grade.A, [failed], False


def article_10(facts: Facts) -> BasisEntry:
    """第十条 用人单位在近一年内未被发现有违反人社法律法规行为的，评价为A级（良好）。"""
    return BasisEntry(
        "第十条",
        "a_no_violation_in_last_year",
        f"近一年内（{facts.last_year.describe()}）未被发现有违反人社法律法规行为",
    )


def article_8(facts: Facts, decided: Grade, policy: str) -> tuple[Grade, BasisEntry | None, bool]:
    """第八条 用人单位劳动保障信用等级主要依据其遵守人社法律法规、履行法定义务等相关情况，
    结合河南省公共信用综合评价结果进行评价，分为四个等级：A+级（优秀）、A级（良好）、B级（一般）、C级（较差）。

    The provincial result flags a good grade for review ("flag"), or caps it ("cap").
    """
    result = facts.latest(T.PROVINCIAL_CREDIT)
    if result is None or result.level not in facts.params.provincial_low_levels:
        return decided, None, False
    cap = Grade(facts.params.provincial_cap_grade)
    if decided.rank <= cap.rank:
        return decided, None, False
    head = f"{result.date.isoformat()} 河南省公共信用综合评价结果为{result.level}级"
    if policy == "cap":
        return (
            cap,
            BasisEntry("第八条", "provincial_low_cap", f"{head}，信用等级以{cap.value}级为上限"),
            False,
        )
    return (
        decided,
        BasisEntry(
            "第八条", "provincial_low_flag", f"{head}，与{decided.value}级评价不一致，需人工复核"
        ),
        True,
    )


def grade(
    records: Iterable[Record],
    as_of: datetime.date,
    *,
    provincial_policy: str | None = None,
) -> GradeResult:
    """第十三条 用人单位劳动保障信用等级评价结果实行动态调整，评价周期为一年。

    The grade of one employer on `as_of` from its records, with its basis.
    `provincial_policy` overrides the parameter in force (a deployment's choice).
    """
    params = parameters_on(as_of)
    policy = provincial_policy or params.provincial_policy
    if policy not in PROVINCIAL_POLICIES:
        raise ValueError(f"未知的省级评价结果运用方式：{policy}")
    facts = Facts.gather(records, as_of, params)

    needs_review = False
    basis = article_12(facts) + article_21(facts)
    if basis:
        decided = Grade.C
    else:
        basis, needs_review = article_11(facts)
        if basis:
            decided = Grade.B
        else:
            candidate = article_9(facts)
            if candidate is not None and candidate[0] is Grade.A_PLUS:
                decided, basis, needs_review = candidate
            else:
                decided, basis = Grade.A, [article_10(facts)]
                if candidate is not None:
                    basis += candidate[1]
                    needs_review = candidate[2]

    final, provincial_entry, flagged = article_8(facts, decided, policy)
    if provincial_entry is not None:
        basis.append(provincial_entry)
    provincial = facts.latest(T.PROVINCIAL_CREDIT)
    return GradeResult(
        as_of=as_of,
        grade=final,
        needs_review=needs_review or flagged,
        provincial_level=provincial.level if provincial else None,
        basis=tuple(basis),
        rule_version=params.version,
    )
