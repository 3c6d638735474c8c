"""Writes of the working-day calendar: a year's official arrangement entered (and corrected).

A refusal (`Refused`) changes nothing; every entry is audited in its own transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from laborcredit.audit.services import audit_append
from laborcredit.lib.errors import Refused
from laborcredit.rules.validation import Problem
from laborcredit.rules.workdays import arrangement_problems
from laborcredit.workdays.models import YearArrangement
from laborcredit.workdays.selectors import arrangement_latest

SOURCE_MAX = YearArrangement._meta.get_field("source").max_length or 300


@transaction.atomic
def arrangement_enter(
    *,
    year: int,
    holidays: Iterable[datetime.date],
    workdays: Iterable[datetime.date],
    source: str,
    actor: str,
) -> YearArrangement:
    """Enter the State Council's arrangement of `year` (国务院办公厅关于…部分节假日安排的通知).

    A year already entered gets a new version, which counts from then on; a year
    chinese-calendar knows is refused.
    """
    holidays, workdays = sorted(set(holidays)), sorted(set(workdays))
    source = (source or "").strip()
    problems = arrangement_problems(year, holidays, workdays)
    if not source:
        problems.append(Problem("source", "依据文件（通知名称及文号）不能为空", "field-missing"))
    elif len(source) > SOURCE_MAX:
        problems.append(Problem("source", f"依据文件不能超过 {SOURCE_MAX} 个字", "field-too-long"))
    if problems:
        raise Refused(problems)
    latest = arrangement_latest(year=year)
    holiday_texts = [d.isoformat() for d in holidays]
    workday_texts = [d.isoformat() for d in workdays]
    if latest is not None and (latest.holidays, latest.workdays) == (holiday_texts, workday_texts):
        raise Refused.one(
            "holidays",
            f"与现行的{year}年节假日安排（第{latest.version}版）完全相同，无需再次录入",
            "arrangement-unchanged",
        )
    version = latest.version + 1 if latest is not None else 1
    try:
        with transaction.atomic():
            row = YearArrangement.objects.create(
                year=year,
                version=version,
                holidays=holiday_texts,
                workdays=workday_texts,
                source=source,
                entered_by=actor,
            )
    except IntegrityError:
        raise Refused.one(
            "year",
            f"{year}年的节假日安排刚被他人录入，请查看后再决定是否更正",
            "arrangement-concurrent",
        ) from None
    audit_append(
        event="year_arrangement_enter",
        object_type="year_arrangement",
        object_id=row.pk,
        data={
            "year": year,
            "version": version,
            "source": source,
            "holidays": len(holidays),
            "workdays": "、".join(workday_texts) or "无",
        },
    )
    return row
