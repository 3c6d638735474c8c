"""第十三条 动态调整 and 第二十一条: when a grade can change without a new record.

第十三条 用人单位劳动保障信用等级评价结果实行动态调整，评价周期为一年。

A grade moves either because a record arrives (the caller regrades at once)
or because time passes: a record enters a window when its date comes, and
leaves 近一年内 or 近60个月 when the window's edge passes it. `next_change_on`
gives the first date after `as_of` on which `grade` may answer differently
with the same records, so that a daily run regrades only those employers;
`next_grade_change` the first date on which the grade does change, which is
what an employer or an officer is told.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from laborcredit.rules import parameters as p
from laborcredit.rules.grading import GradeResult, grade
from laborcredit.rules.periods import ONE_DAY
from laborcredit.rules.vocabulary import UNGRADED_TYPES, Record

ResultKey = tuple[str, bool, str | None, tuple[str, ...]]


def result_key(result: GradeResult) -> ResultKey:
    """What makes two results the same grade for the same reasons (the reasons' dates aside)."""
    return (
        result.grade.value,
        result.needs_review,
        result.provincial_level,
        tuple(entry.rule for entry in result.basis),
    )


def next_change_on(records: Iterable[Record], as_of: datetime.date) -> datetime.date | None:
    """The earliest date after `as_of` on which the same records may grade differently.

    Conservative: on every date strictly between `as_of` and the answer the
    result is the same; on the answer itself it may or may not change. None
    when nothing can change any more (no record will enter or leave a window).
    """
    found = _first_after(_parameter_changes(), as_of)
    leaves = _leaving_after(as_of)
    for record in records:
        if record.type in UNGRADED_TYPES:
            continue  # an interview (第十七条(三)) enters and leaves no window that counts
        if record.date > as_of:
            day: datetime.date | None = record.date  # enters the windows on its own date
        else:
            day = leaves[record.date]
        if day is not None and (found is None or day < found):
            found = day
    return found


def first_date(
    records: Iterable[Record],
    after: datetime.date,
    accept: Callable[[GradeResult], bool],
    *,
    provincial_policy: str | None = None,
) -> datetime.date | None:
    """The earliest date > `after` on which `grade(records)` is accepted; None when never.

    Walks the dates `next_change_on` names (between two of them the result cannot
    change) and grades each; bounded by the number of dates the records can make.
    """
    records = list(records)
    day = after
    bound = 8 * len(records) + 64
    for _ in range(bound):
        upcoming = next_change_on(records, day)
        if upcoming is None:
            return None
        if accept(grade(records, upcoming, provincial_policy=provincial_policy)):
            return upcoming
        day = upcoming
    return None  # pragma: no cover - next_change_on runs out of dates first


@dataclass(frozen=True)
class GradeChangeAhead:
    """The first date on which the same records give another grade, and that result."""

    on: datetime.date
    result: GradeResult


def next_grade_change(
    records: Iterable[Record], as_of: datetime.date, *, provincial_policy: str | None = None
) -> GradeChangeAhead | None:
    """When time alone moves the grade of `as_of` to another one (第十三条 动态调整), if
    no record arrives meanwhile; None when it never does.

    Unlike `next_change_on`, which only bounds the dates worth regrading, this is a date on
    which the grade does change: the one an employer or an officer can be told.
    """
    records = list(records)
    now = grade(records, as_of, provincial_policy=provincial_policy).grade
    found: list[GradeResult] = []

    def other_grade(result: GradeResult) -> bool:
        if result.grade is now:
            return False
        found.append(result)
        return True

    day = first_date(records, as_of, other_grade, provincial_policy=provincial_policy)
    return None if day is None else GradeChangeAhead(day, found[-1])


def _first_after(days: tuple[datetime.date, ...], as_of: datetime.date) -> datetime.date | None:
    """The first of the ascending `days` after `as_of`."""
    for day in days:
        if day > as_of:
            return day
    return None


class _LeavingAfter(dict[datetime.date, datetime.date | None]):
    """Per record date, the first date after `as_of` on which a record of that date may
    leave a window (None: it has left them all)."""

    def __init__(self, windows: tuple[relativedelta, ...], as_of: datetime.date) -> None:
        super().__init__()
        self.edges = _edges(windows)
        self.as_of = as_of

    def __missing__(self, day: datetime.date) -> datetime.date | None:
        if len(self) > 100_000:
            self.clear()
        found = self[day] = _first_after(self.edges[day], self.as_of)
        return found


_leaving: dict[datetime.date, _LeavingAfter] = {}


def _leaving_after(as_of: datetime.date) -> _LeavingAfter:
    """Made once per evaluation date (the windows are those in force on it): an evaluation
    asks it for every record of every employer."""
    found = _leaving.get(as_of)
    if found is None:
        if len(_leaving) > 64:
            _leaving.clear()
        params = p.parameters_on(as_of)
        windows = (params.recent_window, params.a_plus_clean_window)
        found = _leaving[as_of] = _LeavingAfter(windows, as_of)
    return found


_edge_caches: dict[tuple[relativedelta, ...], dict[datetime.date, tuple[datetime.date, ...]]] = {}


def _edges(windows: tuple[relativedelta, ...]) -> dict[datetime.date, tuple[datetime.date, ...]]:
    """Per record date, the dates on which a record of that date may leave each window,
    ascending: it leaves on the first X with X − window ≥ date, and calendar arithmetic
    around 29 February makes that date + window or the day after. Made once per date and
    windows: a province's records fall on a few thousand distinct dates."""
    found = _edge_caches.get(windows)
    if found is None:
        found = _edge_caches[windows] = _EdgeCache(windows)
    return found


class _EdgeCache(dict[datetime.date, tuple[datetime.date, ...]]):
    def __init__(self, windows: tuple[relativedelta, ...]) -> None:
        super().__init__()
        self.windows = windows

    def __missing__(self, day: datetime.date) -> tuple[datetime.date, ...]:
        edges: set[datetime.date] = set()
        for window in self.windows:
            edge = day + window
            edges.update((edge, edge + ONE_DAY))
        if len(self) > 100_000:
            self.clear()
        found = self[day] = tuple(sorted(edges))
        return found


@functools.cache
def _parameter_changes() -> tuple[datetime.date, ...]:
    """The dates on which a parameter of the 办法 takes a new value, ascending."""
    return tuple(sorted({since for parameter in p.ALL for since, _ in parameter.values}))
