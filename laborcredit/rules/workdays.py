"""Working days (工作日), in which the deadlines of 第二十条 and 第二十一条 are counted.

A working day is a Monday to Friday that is not a statutory holiday, or a
Saturday or Sunday the State Council makes a working day (调休). The official
arrangements come from the chinese-calendar package for the years it was
released for, and from the arrangements an administrator enters for later
years (国务院办公厅关于某年部分节假日安排的通知, published each
November–December). A year with neither is counted with weekends off and
weekdays on, and a deadline that rests on it is provisional.

《中华人民共和国民法典》第二百零一条：按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。
So the N-th working day after the day of receipt is the deadline, to its end.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import chinese_calendar

from laborcredit.rules.validation import Problem, parse_date

ONE_DAY = datetime.timedelta(days=1)

# Longer than any deadline of the 办法 (3, 5, 10 working days) by far; a bound,
# so a typing slip cannot ask for a count that runs past the year 9999.
MAX_WORKING_DAYS = 1000


class WorkdaysInputError(ValueError):
    """A count or date the working-day arithmetic refuses, with a Chinese message and a stable code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class Arrangement:
    """One year's official arrangement: its holidays and its 调休 working days."""

    year: int
    holidays: frozenset[datetime.date]
    workdays: frozenset[datetime.date]
    source: str = ""


@dataclass(frozen=True, slots=True)
class Deadline:
    """The N-th working day after a start, and the years without an arrangement it rests on."""

    date: datetime.date
    provisional_years: frozenset[int] = frozenset()

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    def describe(self) -> str:
        if not self.provisional:
            return self.date.isoformat()
        return f"{self.date.isoformat()}（暂定：{provisional_reason(self.provisional_years)}）"


def provisional_reason(years: Iterable[int]) -> str:
    names = "、".join(f"{y}年" for y in sorted(years))
    return f"{names}的节假日安排尚未公布或录入，按周六、周日休息推算"


@cache
def package_arrangements() -> Mapping[int, Arrangement]:
    """The arrangements the chinese-calendar package knows, by year (read from its data)."""
    holidays: dict[int, set[datetime.date]] = {}
    workdays: dict[int, set[datetime.date]] = {}
    package: Any = chinese_calendar
    for day in package.holidays:
        holidays.setdefault(day.year, set()).add(day)
    for day in package.workdays:
        workdays.setdefault(day.year, set()).add(day)
    source = f"chinese-calendar {package.__version__}"
    return {
        year: Arrangement(
            year,
            frozenset(holidays.get(year, ())),
            frozenset(workdays.get(year, ())),
            source,
        )
        for year in sorted(holidays.keys() | workdays.keys())
    }


def package_years() -> frozenset[int]:
    return frozenset(package_arrangements())


class Calendar:
    """Working days under the package's arrangements and the entered ones.

    An entered arrangement for a year the package also knows takes its place
    (the application refuses such entries; the calendar does not need to).
    """

    def __init__(self, entered: Iterable[Arrangement] = ()) -> None:
        self._arrangements: dict[int, Arrangement] = dict(package_arrangements())
        for arrangement in entered:
            self._arrangements[arrangement.year] = arrangement

    def arrangement(self, year: int) -> Arrangement | None:
        return self._arrangements.get(year)

    def is_arranged(self, year: int) -> bool:
        return year in self._arrangements

    @property
    def arranged_years(self) -> frozenset[int]:
        return frozenset(self._arrangements)

    def is_working_day(self, day: datetime.date) -> bool:
        _check_date(day, "日期")
        arrangement = self._arrangements.get(day.year)
        if arrangement is not None:
            if day in arrangement.workdays:
                return True
            if day in arrangement.holidays:
                return False
        return day.weekday() < 5

    def add_working_days(self, start: datetime.date, n: int) -> Deadline:
        """The N-th working day after `start`; the day of `start` is not counted (民法典第二百零一条)."""
        _check_date(start, "起算日期")
        _check_count(n)
        day = start
        counted = 0
        unarranged: set[int] = set()
        while counted < n:
            if day >= datetime.date.max - ONE_DAY:
                raise WorkdaysInputError("计算结果超出可表示的日期范围", "date-out-of-range")
            day += ONE_DAY
            if not self.is_arranged(day.year):
                unarranged.add(day.year)
            if self.is_working_day(day):
                counted += 1
        return Deadline(day, frozenset(unarranged))

    def working_days_between(self, after: datetime.date, until: datetime.date) -> int:
        """Working days d with after < d ≤ until (0 when until ≤ after): days left to a deadline."""
        _check_date(after, "起算日期")
        _check_date(until, "截止日期")
        count = 0
        day = after + ONE_DAY
        while day <= until:
            count += self.is_working_day(day)
            day += ONE_DAY
        return count


def _check_date(value: object, label: str) -> None:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise WorkdaysInputError(f"{label}应为日期（YYYY-MM-DD），收到 {value!r}", "date-invalid")


def _check_count(n: object) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise WorkdaysInputError(f"工作日数应为正整数，收到 {n!r}", "count-invalid")
    if n < 1:
        raise WorkdaysInputError(f"工作日数应为正整数（至少为1），收到 {n}", "count-invalid")
    if n > MAX_WORKING_DAYS:
        raise WorkdaysInputError(
            f"工作日数不能超过 {MAX_WORKING_DAYS}，收到 {n}", "count-too-large"
        )


def parse_count(value: str) -> int:
    """A working-day count typed by a person ("10"), or a Chinese refusal."""
    text = value.strip()
    if not text.isascii() or not text.isdigit():
        raise WorkdaysInputError(f"工作日数应为正整数，收到 “{value}”", "count-invalid")
    n = int(text)
    _check_count(n)
    return n


_SEPARATORS = re.compile(r"[,，、;；\s]+")
_RANGE = re.compile(r"(\S+?)(?:\.\.|~|～|至)(\S+)")


def parse_days(text: str) -> list[datetime.date]:
    """Dates typed as "2027-10-01..2027-10-07,2027-01-01" (a range with .., ~ or 至 includes both ends)."""
    days: set[datetime.date] = set()
    for item in filter(None, _SEPARATORS.split(text.strip())):
        match = _RANGE.fullmatch(item)
        first, last = (_parse_day(end) for end in (match.groups() if match else (item, item)))
        if last < first:
            raise WorkdaysInputError(f"区间 {item} 的结束日期早于开始日期", "range-reversed")
        if (last - first).days > 366:
            raise WorkdaysInputError(f"区间 {item} 超过一年", "range-too-long")
        while first <= last:
            days.add(first)
            first += ONE_DAY
    return sorted(days)


def _parse_day(text: str) -> datetime.date:
    day, message = parse_date(text)
    if day is None:
        raise WorkdaysInputError(message or "日期无效", "date-invalid")
    return day


def arrangement_problems(
    year: int,
    holidays: Iterable[datetime.date],
    workdays: Iterable[datetime.date],
) -> list[Problem]:
    """Why an arrangement to be entered for `year` cannot be (empty when it can)."""
    holidays, workdays = list(holidays), list(workdays)
    problems = []
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 < year < 9999:
        return [Problem("year", f"年份无效：{year!r}", "year-invalid")]
    if year in package_years():
        problems.append(
            Problem(
                "year",
                f"{year}年的节假日安排已由系统内置（chinese-calendar），无需录入",
                "year-already-known",
            )
        )
    if not holidays:
        problems.append(Problem("holidays", "放假日期不能为空", "field-missing"))
    for place, days in (("holidays", holidays), ("workdays", workdays)):
        outside = sorted({d for d in days if d.year != year})
        if outside:
            shown = "、".join(d.isoformat() for d in outside)
            problems.append(Problem(place, f"日期不在{year}年内：{shown}", "date-outside-year"))
    both = sorted(set(holidays) & set(workdays))
    if both:
        shown = "、".join(d.isoformat() for d in both)
        problems.append(
            Problem("workdays", f"同一天不能既放假又上班：{shown}", "holiday-and-workday")
        )
    weekdays = sorted({d for d in workdays if d.weekday() < 5})
    if weekdays:
        shown = "、".join(d.isoformat() for d in weekdays)
        problems.append(
            Problem(
                "workdays",
                f"调休上班日应为周六或周日，以下日期本来就是工作日：{shown}",
                "workday-not-weekend",
            )
        )
    return problems
