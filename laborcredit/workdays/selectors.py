"""Reads of the working-day calendar: the package's arrangements and the latest entered ones."""

from __future__ import annotations

from laborcredit.rules.workdays import Calendar
from laborcredit.workdays.models import YearArrangement


def arrangement_latest(*, year: int) -> YearArrangement | None:
    return YearArrangement.objects.filter(year=year).order_by("-version").first()


def arrangement_list() -> list[YearArrangement]:
    """The latest version of every entered year."""
    latest: dict[int, YearArrangement] = {}
    for row in YearArrangement.objects.order_by("year", "-version"):
        latest.setdefault(row.year, row)
    return list(latest.values())


def calendar() -> Calendar:
    """The working-day calendar now: chinese-calendar's years and the latest entered ones.

    Built afresh on every call, so a deadline shown after an arrangement is entered is
    recomputed under it.
    """
    return Calendar(row.arrangement() for row in arrangement_list())
