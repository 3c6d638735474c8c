"""Records in one line each, dates as the spec writes them: `penalty("2026-01-15", case="X")`."""

from __future__ import annotations

import datetime

from laborcredit.rules import GradeResult, Record, RecordType, grade

T = RecordType

AS_OF = datetime.date(2026, 11, 24)
"""The evaluation date of the spec's example."""


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def certified(date: str) -> Record:
    return Record(T.HARMONIOUS_CERTIFIED, day(date))


def revoked(date: str) -> Record:
    return Record(T.HARMONIOUS_REVOKED, day(date))


def assessed(date: str, *, passed: bool = True) -> Record:
    return Record(T.LABOR_PRACTICE_ASSESSED, day(date), passed=passed)


def violation(date: str, *, case: str, deadline: str | None = None) -> Record:
    return Record(
        T.VIOLATION_FOUND,
        day(date),
        case=case,
        correction_deadline=day(deadline) if deadline else None,
    )


def corrected(date: str, *, case: str) -> Record:
    return Record(T.VIOLATION_CORRECTED, day(date), case=case)


def penalty(date: str, *, case: str, document: str | None = None) -> Record:
    return Record(T.PENALTY_IMPOSED, day(date), case=case, document=document)


def fulfilled(date: str, *, case: str) -> Record:
    return Record(T.PENALTY_FULFILLED, day(date), case=case)


def listed(date: str) -> Record:
    return Record(T.BLACKLIST_LISTED, day(date))


def removed(date: str) -> Record:
    return Record(T.BLACKLIST_REMOVED, day(date))


def arbitration_lost(date: str, *, case: str) -> Record:
    return Record(T.ARBITRATION_LOST, day(date), case=case)


def provincial(date: str, level: str) -> Record:
    return Record(T.PROVINCIAL_CREDIT, day(date), level=level)


def grade_on(
    as_of: str | datetime.date, *records: Record, policy: str | None = None
) -> GradeResult:
    when = day(as_of) if isinstance(as_of, str) else as_of
    return grade(records, when, provincial_policy=policy)


def rules(result: GradeResult) -> list[str]:
    """The rule ids of a result's basis, in order."""
    return [entry.rule for entry in result.basis]


def entry(result: GradeResult, rule: str):
    """The one basis entry of `rule` (fails the test when there is none or more)."""
    found = [e for e in result.basis if e.rule == rule]
    assert len(found) == 1, f"{rule} not once in {rules(result)}"
    return found[0]


# An employer that earns A+ on AS_OF (2026-11-24) unless a test adds something.
HARMONIOUS = (certified("2023-06-30"), assessed("2026-06-18", passed=True))
