"""Reads of 第二十一条 信用修复: an employer's repair file and the city's due list.

The repair itself is `rules.repair` reading the effective records; these
functions add the working-day deadline (always through `workdays.selectors.calendar`),
the recorded adjustment and the evidence.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from laborcredit.credit.models import CreditRecord, Employer
from laborcredit.rating.models import EmployerGrade
from laborcredit.rating.services import effective_records
from laborcredit.repair.models import RepairAdjustment
from laborcredit.rules.repair import PENALTY_RULES, RepairStatus, adjustment_deadline, last_repair
from laborcredit.rules.vocabulary import Grade, RecordType
from laborcredit.rules.workdays import Calendar, Deadline
from laborcredit.workdays.selectors import calendar

# A penalty this far back can still have a finished repair awaiting its adjustment:
# one year of cycle, then up to a year of late evidence or late adjustment.
LOOKBACK = relativedelta(years=2)


@dataclass
class RepairFile:
    """One employer's repair on `as_of`: the status, the deadline and what was recorded."""

    employer: Employer
    as_of: datetime.date
    status: RepairStatus
    deadline: Deadline | None  # None while evidence is missing: it runs from the completion
    days_left: int | None  # working days after as_of up to the deadline (0 once passed)
    overdue: bool
    adjustment: RepairAdjustment | None
    evidence: list[CreditRecord] = field(default_factory=list)  # filled by repair_file

    @property
    def due(self) -> bool:
        """Cycle over, evidence complete, grade not yet recorded as adjusted (第二十一条)."""
        return self.status.finished and self.adjustment is None


@dataclass
class RepairDueList:
    as_of: datetime.date
    horizon_days: int
    due: list[RepairFile]
    upcoming: list[RepairFile]
    awaiting_evidence: list[RepairFile]


def _file(
    employer: Employer,
    status: RepairStatus,
    as_of: datetime.date,
    current: Calendar,
    adjustment: RepairAdjustment | None,
) -> RepairFile:
    deadline = adjustment_deadline(status, current) if status.repaired else None
    days_left = overdue = None
    if deadline is not None and adjustment is None:
        days_left = current.working_days_between(as_of, deadline.date)
        overdue = status.finished and deadline.date < as_of
    return RepairFile(
        employer=employer,
        as_of=as_of,
        status=status,
        deadline=deadline,
        days_left=days_left,
        overdue=bool(overdue),
        adjustment=adjustment,
    )


def _adjustment(employer: Employer, status: RepairStatus) -> RepairAdjustment | None:
    return RepairAdjustment.objects.filter(employer=employer, cycle_end=status.cycle_end).first()


def repair_file(*, employer: Employer, as_of: datetime.date | None = None) -> RepairFile | None:
    """第二十一条: the employer's repair on `as_of` (today), running or finished; None without one."""
    as_of = as_of or timezone.localdate()
    records = effective_records([employer.pk]).get(employer.pk, [])
    status = last_repair(records, as_of)
    if status is None:
        return None
    found = _file(employer, status, as_of, calendar(), _adjustment(employer, status))
    cases = [c.case for c in status.cases]
    found.evidence = list(
        CreditRecord.objects.effective()
        .filter(employer=employer, case__in=cases, date__lte=as_of)
        .order_by("date", "id")
    )
    return found


def _candidates(as_of: datetime.date) -> list[int]:
    """Employers that can have a repair on `as_of`, found in SQL (never the whole city graded):
    a current grade of C because of a penalty, or a penalty recent enough to have a repair
    that ended and awaits its adjustment."""
    official_c = EmployerGrade.objects.filter(
        Q(decision__isnull=True, grade=Grade.C.value) | Q(decision__decided_grade=Grade.C.value)
    ).values_list("employer_id", "basis")
    ids = {
        employer_id
        for employer_id, basis in official_c
        if any(entry.get("rule") in PENALTY_RULES for entry in basis or ())
    }
    ids.update(
        CreditRecord.objects.effective()
        .filter(type=RecordType.PENALTY_IMPOSED.value, date__gt=as_of - LOOKBACK, date__lte=as_of)
        .values_list("employer_id", flat=True)
        .distinct()
    )
    return sorted(ids)


def repair_due(*, as_of: datetime.date, horizon_days: int = 30) -> RepairDueList:
    """第二十一条 评价周期满后5个工作日内调整: the adjustments due (overdue first), the cycles
    ending within `horizon_days`, and the C employers whose evidence is missing."""
    ids = _candidates(as_of)
    employers = Employer.objects.in_bulk(ids)
    records = effective_records(ids)
    adjustments: dict[tuple[int, datetime.date], RepairAdjustment] = {
        (a.employer_id, a.cycle_end): a
        for a in RepairAdjustment.objects.filter(employer_id__in=ids)
    }
    current = calendar()
    horizon = as_of + datetime.timedelta(days=horizon_days)
    due, upcoming, awaiting = [], [], []
    for employer_id in ids:
        status = last_repair(records.get(employer_id, []), as_of)
        if status is None:
            continue
        adjustment = adjustments.get((employer_id, status.cycle_end))
        found = _file(employers[employer_id], status, as_of, current, adjustment)
        if status.finished:
            if adjustment is None:
                due.append(found)
            continue
        if not status.repaired:
            awaiting.append(found)
        if as_of < status.cycle_end <= horizon:
            upcoming.append(found)
    due.sort(key=_by_deadline)
    upcoming.sort(key=lambda f: (f.status.cycle_end, f.employer.name))
    awaiting.sort(key=lambda f: (f.status.cycle_end, f.employer.name))
    return RepairDueList(as_of, horizon_days, due, upcoming, awaiting)


def _by_deadline(found: RepairFile) -> Any:
    assert found.deadline is not None  # a finished repair has its evidence
    return (found.deadline.date, found.employer.name)
