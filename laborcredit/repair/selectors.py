"""Reads of 第二十一条 信用修复: an employer's repair file and the city's due list.

The repair itself is `rules.repair` reading the effective records; these
functions add the working-day deadline (always through `workdays.selectors.calendar`),
the recorded adjustment and the evidence.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.paginator import Page
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from laborcredit.credit.models import CreditRecord, Employer
from laborcredit.rating.selectors import official_c_for
from laborcredit.rating.services import effective_records
from laborcredit.repair.models import RepairAdjustment, RepairState
from laborcredit.repair.states import states_refresh
from laborcredit.rules.parameters import IN_FORCE_FROM, parameters_on
from laborcredit.rules.repair import (
    PENALTY_RULES,
    RepairStatus,
    adjustment_deadline,
    deadline_after,
    last_repair,
)
from laborcredit.rules.vocabulary import RecordType
from laborcredit.rules.workdays import Calendar, Deadline
from laborcredit.web.paging import page_of
from laborcredit.workdays.selectors import calendar

# A finished repair is listed as due while its latest penalty is this recent: one year of
# cycle, then up to a year of late evidence or late adjustment. Older ones have long been
# moved out of C by the daily regrade and are no longer anyone's work.
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


SECTIONS = ("due", "upcoming", "awaiting")
"""The due list's sections: adjustments due, cycles ending soon, evidence missing."""

HORIZON_DAYS = 30
"""How far ahead "即将期满" looks."""


@dataclass
class RepairDueList:
    as_of: datetime.date
    horizon_days: int
    due: list[RepairFile]
    upcoming: list[RepairFile]
    awaiting_evidence: list[RepairFile]  # each list empty unless its section was asked for

    def section(self, name: str) -> list[RepairFile]:
        """One of `SECTIONS` by its name."""
        return {"due": self.due, "upcoming": self.upcoming, "awaiting": self.awaiting_evidence}[
            name
        ]


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


def _penalties(as_of: datetime.date) -> QuerySet[CreditRecord]:
    """The effective penalties of the outer employer known on `as_of`."""
    return CreditRecord.objects.effective().filter(
        employer_id=OuterRef("pk"), type=RecordType.PENALTY_IMPOSED.value, date__lte=as_of
    )


def _evidence(kind: RecordType, as_of: datetime.date) -> Exists:
    """The outer penalty's case has a record of `kind` (correction, fulfilment) by `as_of`."""
    return Exists(
        CreditRecord.objects.effective().filter(
            employer_id=OuterRef("employer_id"), case=OuterRef("case"), type=kind.value,
            date__lte=as_of,
        )
    )  # fmt: skip


def _candidates(as_of: datetime.date, sections: tuple[str, ...], horizon_days: int) -> list[int]:
    """Employers that can be in `sections` on `as_of`, found in SQL (never the whole city graded).

    Every employer with a repair has a current grade of C because of a penalty, or a penalty
    recent enough to have a repair that ended and awaits its adjustment. Each section then
    needs more, a superset of what `last_repair` decides for it, never a second rule:
    - due (finished): a penalty, and every penalty's case corrected and fulfilled;
    - awaiting evidence: a penalty whose case is not yet corrected or fulfilled;
    - upcoming: a penalty whose cycle can end within the horizon — the latest penalty that
      holds the C sets the cycle end, a year (第十二条(一)'s 近一年内) after its date.
    """
    penalties = _penalties(as_of)
    unrepaired = Exists(
        penalties.filter(
            ~_evidence(RecordType.VIOLATION_CORRECTED, as_of)
            | ~_evidence(RecordType.PENALTY_FULFILLED, as_of)
        )
    )
    wanted = Q()
    if "due" in sections:
        wanted |= Exists(penalties) & ~unrepaired
    if "awaiting" in sections:
        wanted |= unrepaired
    if "upcoming" in sections:
        window = parameters_on(max(as_of, IN_FORCE_FROM)).recent_window
        slack = datetime.timedelta(days=7)  # 2月29日, and a cycle end is never a year plus a week
        first = as_of - window - slack
        last = as_of + datetime.timedelta(days=horizon_days) - window + slack
        wanted |= Exists(penalties.filter(date__gt=first, date__lte=last))
    can_have_repair = Q(pk__in=official_c_for(PENALTY_RULES).values("employer_id")) | Exists(
        penalties.filter(date__gt=as_of - LOOKBACK)
    )
    query = Employer.objects.filter(can_have_repair).filter(wanted)
    return list(query.order_by("pk").values_list("pk", flat=True))


def _files(ids: list[int], as_of: datetime.date) -> dict[int, RepairFile]:
    """The repairs of these employers on `as_of` (those with one), with what a list shows."""
    # What the list shows and sorts by; a page reads the rest for its own rows.
    employers = Employer.objects.only("id", "uscc", "name").in_bulk(ids)
    records = effective_records(ids)
    adjustments: dict[tuple[int, datetime.date], RepairAdjustment] = {
        (a.employer_id, a.cycle_end): a
        for a in RepairAdjustment.objects.filter(employer_id__in=ids)
    }
    current = calendar()
    found = {}
    for employer_id in ids:
        status = last_repair(records.get(employer_id, []), as_of)
        if status is not None:
            adjustment = adjustments.get((employer_id, status.cycle_end))
            found[employer_id] = _file(employers[employer_id], status, as_of, current, adjustment)
    return found


def _recent(status: RepairStatus, as_of: datetime.date) -> bool:
    """A finished repair is listed as due while its latest penalty is within LOOKBACK."""
    return any(
        r.type is RecordType.PENALTY_IMPOSED and as_of - LOOKBACK < r.date <= as_of
        for r in status.records
    )


def repair_due(
    *, as_of: datetime.date, horizon_days: int = HORIZON_DAYS, sections: tuple[str, ...] = SECTIONS
) -> RepairDueList:
    """第二十一条 评价周期满后5个工作日内调整: the adjustments due (overdue first), the cycles
    ending within `horizon_days`, and the C employers whose evidence is missing — the
    `sections` asked for, on any date, read from the records (`repair_lists` reads today's
    from the kept repairs)."""
    files = _files(_candidates(as_of, sections, horizon_days), as_of)
    horizon = as_of + datetime.timedelta(days=horizon_days)
    due, upcoming, awaiting = [], [], []
    for found in files.values():
        status = found.status
        if status.finished:
            if found.adjustment is None and "due" in sections and _recent(status, as_of):
                due.append(found)
            continue
        if not status.repaired and "awaiting" in sections:
            awaiting.append(found)
        if as_of < status.cycle_end <= horizon and "upcoming" in sections:
            upcoming.append(found)
    due.sort(key=_by_deadline)
    upcoming.sort(key=lambda f: (f.status.cycle_end, f.employer.name))
    awaiting.sort(key=lambda f: (f.status.cycle_end, f.employer.name))
    return RepairDueList(as_of, horizon_days, due, upcoming, awaiting)


@dataclass
class RepairLists:
    """One page of each section asked for; each page's rows are `RepairFile`s."""

    as_of: datetime.date
    horizon_days: int
    pages: dict[str, Page]


def repair_lists(
    *,
    as_of: datetime.date,
    pages: Mapping[str, Any],
    size: int,
    horizon_days: int = HORIZON_DAYS,
    today: datetime.date | None = None,
) -> RepairLists:
    """The sections named in `pages` (section → the page number asked for), a page of each.

    Today's lists are chosen, counted, ordered and paged from the kept repairs
    (`repair.states`), after rewriting any that no longer hold; only the page's employers
    have their records read. Another date is read from the records by `repair_due`.
    """
    sections = tuple(pages)
    if as_of != (today or timezone.localdate()):
        listing = repair_due(as_of=as_of, horizon_days=horizon_days, sections=sections)
        shown = {s: page_of(listing.section(s), pages[s], size) for s in sections}
        return RepairLists(as_of, horizon_days, shown)
    states_refresh(as_of)
    shown = {}
    for section in sections:
        page = page_of(_kept(section, as_of, horizon_days), pages[section], size)
        page.object_list = _files_in_order(list(page.object_list), as_of)
        shown[section] = page
    return RepairLists(as_of, horizon_days, shown)


@dataclass
class RepairSection:
    """One whole section of the lists: how many, then the files in the list's order."""

    count: int
    files: Iterator[RepairFile]


def repair_sections(
    *,
    as_of: datetime.date,
    horizon_days: int = HORIZON_DAYS,
    today: datetime.date | None = None,
    batch: int = 2000,
) -> dict[str, RepairSection]:
    """Every section whole, in `SECTIONS` order, for the daily listing (`laborcredit repair
    due`). Today's come from the kept repairs, as on the page, with the records read `batch`
    employers at a time (a province lists hundreds of thousands); another date is read from
    the records by `repair_due`."""
    if as_of != (today or timezone.localdate()):
        listing = repair_due(as_of=as_of, horizon_days=horizon_days)
        return {
            s: RepairSection(len(listing.section(s)), iter(listing.section(s))) for s in SECTIONS
        }
    states_refresh(as_of)
    found = {}
    for section in SECTIONS:
        ids = list(_kept(section, as_of, horizon_days))
        found[section] = RepairSection(len(ids), _in_batches(ids, as_of, batch))
    return found


def _in_batches(ids: list[int], as_of: datetime.date, batch: int) -> Iterator[RepairFile]:
    for start in range(0, len(ids), batch):
        yield from _files_in_order(ids[start : start + batch], as_of)


def _files_in_order(ids: list[int], as_of: datetime.date) -> list[RepairFile]:
    """The repairs of these employers (`_files`), in the order of `ids`."""
    files = _files(ids, as_of)
    return [files[pk] for pk in ids if pk in files]


def _kept(section: str, as_of: datetime.date, horizon_days: int) -> Any:
    """The employers of `section` on `as_of` in the list's order, from the kept repairs: the
    same conditions and order as `repair_due`."""
    rows = RepairState.objects.all()
    by_cycle_end = ("cycle_end", "employer__name", "employer_id")
    if section == "awaiting":
        awaiting = rows.filter(stage=RepairState.Stage.RUNNING, repaired=False)
        return awaiting.order_by(*by_cycle_end).values_list("employer_id", flat=True)
    if section == "upcoming":
        horizon = as_of + datetime.timedelta(days=horizon_days)
        upcoming = rows.filter(
            stage=RepairState.Stage.RUNNING, cycle_end__gt=as_of, cycle_end__lte=horizon
        )
        return upcoming.order_by(*by_cycle_end).values_list("employer_id", flat=True)
    return [pk for *_, pk in _due_by_deadline(as_of)]


def _due_by_deadline(as_of: datetime.date) -> list[tuple[datetime.date, str, int]]:
    """The adjustments due on `as_of`, from the kept repairs: (deadline, name, employer id),
    earliest deadline first."""
    adjusted = RepairAdjustment.objects.filter(
        employer_id=OuterRef("employer_id"), cycle_end=OuterRef("cycle_end")
    )
    due = RepairState.objects.filter(
        ~Exists(adjusted), stage=RepairState.Stage.FINISHED, latest_penalty_on__gt=as_of - LOOKBACK
    )
    current = calendar()
    return sorted(
        (deadline_after(cycle_end, repaired_on, current).date, name, pk)
        for pk, cycle_end, repaired_on, name in due.values_list(
            "employer_id", "cycle_end", "repaired_on", "employer__name"
        )
    )


def repair_due_counts(*, as_of: datetime.date) -> dict[str, int]:
    """第二十一条 评价周期满后5个工作日内调整, for the 统计看板: how many adjustments are due
    today and how many of them are past their deadline (the /repair/ list's 已逾期)."""
    states_refresh(as_of)
    due = _due_by_deadline(as_of)
    return {"due": len(due), "overdue": sum(1 for deadline, *_ in due if deadline < as_of)}


def _by_deadline(found: RepairFile) -> Any:
    assert found.deadline is not None  # a finished repair has its evidence
    return (found.deadline.date, found.employer.name)
