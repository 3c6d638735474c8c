"""第十三条 动态调整 and 第二十一条: when a grade can change without a new record.

第十三条 用人单位劳动保障信用等级评价结果实行动态调整，评价周期为一年。

A grade moves either because a record arrives (the caller regrades at once)
or because time passes: a record enters a window when its date comes, and
leaves 近一年内 or 近60个月 when the window's edge passes it. `next_change_on`
gives the first date after `as_of` on which `grade` may answer differently
with the same records, so that a daily run regrades only those employers.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta

from laborcredit.rules import parameters as p
from laborcredit.rules.grading import GradeResult
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
