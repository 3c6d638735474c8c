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
from collections.abc import Iterable

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
    params = p.parameters_on(as_of)
    windows = (params.recent_window, params.a_plus_clean_window)
    candidates: set[datetime.date] = set()
    for record in records:
        if record.type in UNGRADED_TYPES:
            continue  # an interview (第十七条(三)) enters and leaves no window that counts
        candidates.add(record.date)
        for window in windows:
            # Leaves the window on the first X with X − window ≥ date; calendar
            # arithmetic around 29 February makes that date + window or the day after.
            edge = record.date + window
            candidates.add(edge)
            candidates.add(edge + ONE_DAY)
    for parameter in p.ALL:
        candidates.update(since for since, _ in parameter.values)
    later = [day for day in candidates if day > as_of]
    return min(later) if later else None
