"""The windows the 办法 counts in: 近一年内 (第十条–第十二条) and 近60个月 (第九条).

A window ending on the evaluation date `as_of` of length L holds the dates d
with as_of − L < d ≤ as_of, by calendar arithmetic: one year before
2028-02-29 is 2027-02-28, so 2027-02-28 is outside and 2027-03-01 inside.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Window:
    after: datetime.date  # exclusive
    until: datetime.date  # inclusive

    @classmethod
    def ending(cls, as_of: datetime.date, length: relativedelta) -> Window:
        return cls(after=as_of - length, until=as_of)

    @property
    def first_day(self) -> datetime.date:
        return self.after + ONE_DAY

    def __contains__(self, day: datetime.date) -> bool:
        return self.after < day <= self.until

    def overlaps(self, first: datetime.date, last: datetime.date | None) -> bool:
        """Whether the days first..last (both inclusive; last None = still running) touch it."""
        return first <= self.until and (last is None or last > self.after)

    def describe(self) -> str:
        return f"{self.first_day.isoformat()}至{self.until.isoformat()}"
