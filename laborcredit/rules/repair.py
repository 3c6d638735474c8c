"""第二十一条 信用修复: what a C employer must still do, and when its grade is adjusted.

第二十一条 对评价为C级的用人单位，市人社行政部门应当会同相关部门，督促用人单位纠正违法行为、
消除不良影响。对已纠正违法行为且履行行政处罚决定的，应当在评价周期满后5个工作日内调整其信用等级。

The grade itself is always `grading.grade`; this module only reads it. A repair
covers the penalty cases that keep the employer at C on a date (第十二条(一) while
the penalty is in 近一年内, 第二十一条 afterwards while evidence is missing). The
dates a grade can change are found by grading the records on the dates
`adjustment.next_change_on` names, never by a separate formula.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from laborcredit.rules.adjustment import first_date
from laborcredit.rules.grading import BasisEntry, Facts, GradeResult, grade
from laborcredit.rules.parameters import IN_FORCE_FROM, parameters_on
from laborcredit.rules.periods import ONE_DAY, Window
from laborcredit.rules.vocabulary import Grade, Record, RecordType
from laborcredit.rules.workdays import Calendar, Deadline

T = RecordType

PENALTY_RULES = frozenset({"c_penalty_in_last_year", "c_penalty_not_repaired"})
"""The basis rules of a C because of an administrative penalty (第十二条(一), 第二十一条)."""


@dataclass(frozen=True)
class RepairCase:
    """One penalty case under repair and its evidence (dated on or before the status date)."""

    case: str
    penalty_date: datetime.date
    document: str | None
    corrected_on: datetime.date | None
    fulfilled_on: datetime.date | None
    cycle_end: datetime.date
    remaining: list[str]

    @property
    def repaired(self) -> bool:
        return self.corrected_on is not None and self.fulfilled_on is not None

    @property
    def repaired_on(self) -> datetime.date | None:
        """The day the later of the two pieces of evidence is dated (None while one is missing)."""
        if self.corrected_on is None or self.fulfilled_on is None:
            return None
        return max(self.corrected_on, self.fulfilled_on)


@dataclass(frozen=True)
class RepairStatus:
    """An employer's repair on `as_of` (see `repair_status`, `last_repair`)."""

    as_of: datetime.date
    cases: list[RepairCase]
    cycle_end: datetime.date
    repaired: bool
    repaired_on: datetime.date | None
    other_c_causes: list[BasisEntry]
    finished: bool = False
    # What the dates below are found from: the records and the day the spell was read at C.
    records: list[Record] = field(default_factory=list, repr=False, compare=False)
    c_on: datetime.date | None = field(default=None, repr=False, compare=False)

    # The dates a grade can change are found by trial grading (`first_date`), which is most
    # of a status's cost: they are found when asked for, so a due list of a province's C
    # employers pays only for the rows it shows.

    @cached_property
    def earliest_change_on(self) -> datetime.date | None:
        """The first date after the spell's C day on which these records no longer grade C."""
        return first_date(self.records, self._c_day, lambda g: not _is_c(g))

    @cached_property
    def earliest_change_if_completed(self) -> datetime.date | None:
        """The same with the missing correction and fulfilment filed on `as_of`."""
        if self.repaired:
            return self.earliest_change_on
        added = [
            Record(kind, self.as_of, case=c.case)
            for c in self.cases
            for kind, present in (
                (T.VIOLATION_CORRECTED, c.corrected_on),
                (T.PENALTY_FULFILLED, c.fulfilled_on),
            )
            if present is None
        ]
        completed = [*self.records, *added]
        # Evidence filed on as_of counts on as_of itself (the grade is regraded at once).
        if not _is_c(grade(completed, self.as_of)):
            return self.as_of
        return first_date(completed, self.as_of, lambda g: not _is_c(g))

    @cached_property
    def penalty_lifted_on(self) -> datetime.date | None:
        """The first date after the spell's C day on which no penalty rule holds the C."""
        return first_date(self.records, self._c_day, lambda g: not _has_penalty_rule(g))

    @property
    def _c_day(self) -> datetime.date:
        return self.as_of if self.c_on is None else self.c_on

    @property
    def remaining(self) -> list[str]:
        return [step for case in self.cases for step in case.remaining]

    @property
    def cycle_ended(self) -> bool:
        return self.cycle_end <= self.as_of

    @property
    def other_causes_note(self) -> str:
        """Why repairing the penalties does not lift the C (empty when nothing else holds it)."""
        if not self.other_c_causes:
            return ""
        reasons = "；".join(f"{e.article}：{e.reason}" for e in self.other_c_causes)
        return f"信用修复（第二十一条）只解除因行政处罚评为C级的情形，以下情形仍使该单位为C级：{reasons}"


LAST_DAY = datetime.date(2099, 12, 31)
"""The last date a due list or repair file is computed for (windows and deadlines run past it)."""


def as_of_problem(as_of: datetime.date) -> str | None:
    """Why a repair cannot be read on `as_of`: before the 办法 (第二十二条) or beyond any deadline."""
    if as_of < IN_FORCE_FROM:
        return f"日期早于《办法》施行日期 {IN_FORCE_FROM}（第二十二条），无可适用的规则"
    if as_of > LAST_DAY:
        return f"日期不能晚于 {LAST_DAY}"
    return None


@lru_cache(maxsize=4096)
def cycle_end(penalty_date: datetime.date) -> datetime.date:
    """The first evaluation date whose 近一年内 no longer holds the penalty (第十二条(一), 第十三条).

    Same arithmetic as the grading (`Window.ending`): a penalty on 2025-03-10 leaves
    the year on 2026-03-10; one on 2024-02-29 is still inside on 2025-02-28 (one year
    before it is 2024-02-28) and leaves on 2025-03-01.
    """
    # A penalty older than the 办法 (第二十二条) is measured by the window of its first day in force.
    length = parameters_on(max(penalty_date, IN_FORCE_FROM)).recent_window
    day: datetime.date = penalty_date + length
    for _ in range(3):
        if penalty_date not in Window.ending(day, length):
            return day
        day += ONE_DAY
    raise AssertionError(f"评价周期期满日计算失败：{penalty_date}")  # pragma: no cover


def _is_c(result: GradeResult) -> bool:
    return result.grade is Grade.C


def _has_penalty_rule(result: GradeResult) -> bool:
    return any(entry.rule in PENALTY_RULES for entry in result.basis)


def _steps(
    case: str, corrected: datetime.date | None, fulfilled: datetime.date | None
) -> list[str]:
    steps = []
    if corrected is None:
        steps.append(f"纠正违法行为（案件 {case}）")
    if fulfilled is None:
        steps.append(f"履行行政处罚决定（案件 {case}）")
    return steps


def _status(
    records: list[Record], c_on: datetime.date, as_of: datetime.date
) -> RepairStatus | None:
    """The repair of the penalties that hold the employer at C on `c_on`, evidence counted to `as_of`."""
    result = grade(records, c_on)
    if not (_is_c(result) and _has_penalty_rule(result)):
        return None
    at_c = Facts.gather(records, c_on, parameters_on(c_on))
    window = at_c.last_year
    holding = [
        r
        for r in at_c.by_type.get(T.PENALTY_IMPOSED, ())
        if r.date in window
        or (r.case or "") not in at_c.corrected_on
        or (r.case or "") not in at_c.fulfilled_on
    ]
    evidence = Facts.gather(records, as_of, parameters_on(as_of))
    cases = []
    for r in holding:
        name = r.case or ""
        corrected = evidence.corrected_on.get(name)
        fulfilled = evidence.fulfilled_on.get(name)
        cases.append(
            RepairCase(
                case=name,
                penalty_date=r.date,
                document=r.document,
                corrected_on=corrected,
                fulfilled_on=fulfilled,
                cycle_end=cycle_end(r.date),
                remaining=_steps(name, corrected, fulfilled),
            )
        )
    repaired = all(c.repaired for c in cases)
    repaired_on = max(d for c in cases if (d := c.repaired_on)) if repaired else None
    return RepairStatus(
        as_of=as_of,
        cases=cases,
        cycle_end=max(c.cycle_end for c in cases),
        repaired=repaired,
        repaired_on=repaired_on,
        other_c_causes=[
            e for e in result.basis if e.rule.startswith("c_") and e.rule not in PENALTY_RULES
        ],
        finished=c_on != as_of,
        records=records,
        c_on=c_on,
    )


def repair_status(records: Iterable[Record], as_of: datetime.date) -> RepairStatus | None:
    """第二十一条: the repair of an employer graded C on `as_of` because of a penalty; else None.

    `earliest_change_on` is the first date after `as_of` on which these records no
    longer grade C (None: never, as they stand); `earliest_change_if_completed` the
    same with the missing correction and fulfilment filed on `as_of`.
    """
    return _status(list(records), as_of, as_of)


def last_repair(records: Iterable[Record], as_of: datetime.date) -> RepairStatus | None:
    """The repair of the latest spell of C because of a penalty, running on `as_of` or finished by it.

    Running: `repair_status`. Finished (every case corrected and fulfilled and every
    cycle over on or before `as_of`): the status taken on the spell's last C day, with
    `finished` set and `penalty_lifted_on` ≤ `as_of`: what the due list and the
    adjustment of 第二十一条 read after the cycle has ended. None when no penalty.
    """
    records = list(records)
    running = _status(records, as_of, as_of)
    if running is not None:
        return running
    facts = Facts.gather(records, as_of, parameters_on(as_of))
    ends = []
    for r in facts.by_type.get(T.PENALTY_IMPOSED, ()):
        corrected = facts.corrected_on.get(r.case or "")
        fulfilled = facts.fulfilled_on.get(r.case or "")
        if corrected is None or fulfilled is None:
            return None  # would still be C (第二十一条) unless another rule differs: not a repair
        ends.append(max(cycle_end(r.date), corrected, fulfilled))
    if not ends or max(ends) - ONE_DAY < IN_FORCE_FROM:
        return None  # finished before the 办法 was in force (第二十二条): no repair under it
    return _status(records, max(ends) - ONE_DAY, as_of)


def adjustment_deadline(status: RepairStatus, calendar: Calendar) -> Deadline:
    """第二十一条 评价周期满后5个工作日内: the last day to adjust the grade.

    Counted (the start day not counted, 民法典第二百零一条) from the cycle end, or from
    the day the repair was completed when the evidence is dated after the cycle end:
    an employer cannot be adjusted before it has corrected and fulfilled, so the 5
    working days run from the day it has. While evidence is missing the count runs
    from the cycle end, the deadline the employer would get by completing in time.
    """
    return deadline_after(status.cycle_end, status.repaired_on, calendar)


def deadline_after(
    cycle_end: datetime.date, repaired_on: datetime.date | None, calendar: Calendar
) -> Deadline:
    """`adjustment_deadline` from the two dates it is counted from (a due list kept in the
    database orders its rows by it without reading their records)."""
    start = cycle_end
    if repaired_on is not None and repaired_on > start:
        start = repaired_on
    days = parameters_on(max(cycle_end, IN_FORCE_FROM)).grade_adjustment_working_days
    return calendar.add_working_days(start, days)
