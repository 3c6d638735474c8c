"""Reads of 第十九条、第二十条: objections with their deadlines, recomputed from the calendar on every read.

The handling deadline is the 3rd (本局自行处理) or 10th (需向有关部门核实)
working day after receipt; before acceptance the 3-day date is shown as a
provisional target (受理时确定). It is met when the applicant is told on or
before it. The push deadline is the 5th working day after the decision. Nothing
of this is stored, so an arrangement entered for a later year changes it at once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from laborcredit.credit.models import Employer, EmployerName
from laborcredit.objections.models import (
    Handling,
    Objection,
    ObjectionAttachment,
    ObjectionEvent,
    ObjectionRecord,
    Outcome,
    State,
)
from laborcredit.rules.workdays import Calendar, Deadline, provisional_reason
from laborcredit.workdays.selectors import calendar as current_calendar

# 第二十条: working days from receipt to telling the applicant, and from the decision to the push.
HANDLING_DAYS = {Handling.SELF: 3, Handling.VERIFY: 10}
PUSH_DAYS = 5


def handling_deadline(objection: Objection, cal: Calendar) -> Deadline:
    days = HANDLING_DAYS.get(objection.handling or Handling.SELF, 3)  # type: ignore[call-overload]
    return cal.add_working_days(objection.received_on, days)


def push_deadline(objection: Objection, cal: Calendar) -> Deadline | None:
    if objection.decided_on is None:
        return None
    return cal.add_working_days(objection.decided_on, PUSH_DAYS)


def days_left(cal: Calendar, today: datetime.date, due: datetime.date) -> int:
    """Working days from today to the due day (0 on it); negative: working days overdue."""
    if today <= due:
        return cal.working_days_between(today, due)
    return -cal.working_days_between(due, today)  # 0 when only rest days have passed since


def describe_days_left(left: int | None, overdue: bool = False) -> str:
    if left is None:
        return ""
    if overdue:
        return f"已逾期 {-left} 个工作日" if left < 0 else "已逾期"
    if left > 0:
        return f"剩余 {left} 个工作日"
    return "今日到期"


@dataclass
class ObjectionView:
    objection: Objection
    state_label: str
    due: Deadline | None
    days_left: int | None
    overdue: bool
    met: bool | None
    push_due: Deadline | None
    push_days_left: int | None
    push_overdue: bool
    events: Any = field(default_factory=list)
    records: Any = field(default_factory=list)
    attachments: Any = field(default_factory=list)
    notice: str = ""
    due_tentative: bool = False  # before acceptance: the 3-day date, 受理时确定

    @property
    def due_note(self) -> str:
        """What to say beside the due date: 暂定 and why (受理时确定, or a year without arrangement)."""
        notes = []
        if self.due_tentative:
            notes.append("暂定：受理时确定处理方式（自行处理3个工作日，需核实10个工作日）")
        if self.due is not None and self.due.provisional:
            notes.append(f"暂定：{provisional_reason(self.due.provisional_years)}")
        return "；".join(notes)

    @property
    def push_due_note(self) -> str:
        if self.push_due is not None and self.push_due.provisional:
            return f"暂定：{provisional_reason(self.push_due.provisional_years)}"
        return ""

    @property
    def days_left_text(self) -> str:
        return describe_days_left(self.days_left, self.overdue)

    @property
    def push_days_left_text(self) -> str:
        return describe_days_left(self.push_days_left, self.push_overdue)

    @property
    def attention(self) -> bool:
        return self.overdue or self.push_overdue


def objection_view(
    objection: Objection, *, calendar: Calendar | None = None, today: datetime.date | None = None
) -> ObjectionView:
    """An objection with its deadlines and days left as of today, its steps, records and files."""
    cal = calendar or current_calendar()
    today = today or timezone.localdate()
    due = handling_deadline(objection, cal)
    told_on = timezone.localdate(objection.notified_at) if objection.notified_at else None
    if told_on is not None:
        left, overdue, met = None, False, told_on <= due.date
    else:
        left = days_left(cal, today, due.date)
        overdue, met = today > due.date, None
    push_due = push_deadline(objection, cal)
    push_left, push_overdue = None, False
    if push_due is not None and objection.pushed_at is None:
        push_left = days_left(cal, today, push_due.date)
        push_overdue = today > push_due.date
    return ObjectionView(
        objection=objection,
        state_label=State(objection.state).label,
        due=due,
        days_left=left,
        overdue=overdue,
        met=met,
        push_due=push_due,
        push_days_left=push_left,
        push_overdue=push_overdue,
        events=ObjectionEvent.objects.filter(objection=objection).order_by("at", "id"),
        records=ObjectionRecord.objects.filter(objection=objection).select_related(
            "record", "result"
        ),
        attachments=ObjectionAttachment.objects.filter(objection=objection),
        notice=objection.notice_text if objection.notified_at else "",
        due_tentative=objection.state == State.RECEIVED,
    )


def objections_of(*, employer: Any) -> QuerySet[Objection]:
    """An employer's own objections, newest first (the portal)."""
    return Objection.objects.filter(employer=employer).order_by("-received_on", "-id")


def objection_of(*, employer: Any, pk: Any) -> Objection | None:
    """The employer's objection `pk`, or None when it is not this employer's (AC2, object level)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Objection.objects.filter(employer=employer, pk=pk).select_related("employer").first()


def attachment_of(*, objection: Objection, pk: Any) -> ObjectionAttachment | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return (
        ObjectionAttachment.objects.filter(objection=objection, pk=pk)
        .select_related("objection__employer")
        .first()
    )


# Numbers are written 异议〔2025〕0007; a keyboard gives [] () （） 【】 more readily than 〔〕.
_BRACKETS = str.maketrans("[(（【])）】", "〔〔〔〔〕〕〕〕")

SEARCH_IDS_CAP = 10_000
"""Matches up to this many are listed by id; more (a text matching nearly everything) are listed
by the condition itself, which keeps the id list within what SQLite takes as parameters."""


def objection_search(text: str) -> Q:
    """What the list's search box matches: any part of the objection number (the year, the last
    digits), any part of the employer's name, current or former, or the start of its credit code.

    Each part is served by an index where one can serve it: a name fragment of three characters
    or more by the name history's trigram index on PostgreSQL (credit migration 0003), a code by
    the code's prefix index. The number is matched anywhere, which no B-tree serves: the
    objections table is read, a few hundred rows a year. The matching objections are found
    first, without the employers, and the list reads them by id: a search for one firm or one
    number took under 10 ms at 200,000 employers and 3,000 objections, where one query joining
    the conditions to the employer table made PostgreSQL read that table whole (60–100 ms). A
    fragment of one or two characters reads the name history whole, as on the employer list.
    """
    text = text.strip()
    names = EmployerName.objects.filter(name__icontains=text).values("employer_id")
    codes = Employer.objects.filter(uscc__startswith=text.upper()).values("pk")
    condition = (
        Q(number__contains=text.translate(_BRACKETS))
        | Q(employer_id__in=names)
        | Q(employer_id__in=codes)
    )
    matching = Objection.objects.filter(condition).order_by().values_list("pk", flat=True)
    ids = list(matching[: SEARCH_IDS_CAP + 1])
    return Q(pk__in=ids) if len(ids) <= SEARCH_IDS_CAP else condition


def _listed(state: str | None, overdue: bool, search: str | None) -> Any:
    query = Objection.objects.select_related("employer").order_by("-received_on", "-id")
    if state:
        query = query.filter(state=state)
    if search and search.strip():
        query = query.filter(objection_search(search))
    if overdue:
        query = query.exclude(state=State.PUSHED)
    return query


def objection_list(
    *,
    state: str | None = None,
    overdue: bool = False,
    search: str | None = None,
    today: datetime.date | None = None,
) -> list[ObjectionView]:
    """Objections for the staff, newest first; `overdue` keeps those past a deadline of 第二十条
    (not told within 3/10 working days, or not pushed within 5); `search` as `objection_search`."""
    cal = current_calendar()
    views = [
        objection_view(o, calendar=cal, today=today)
        for o in _listed(state, overdue, search)
    ]  # fmt: skip
    if overdue:
        views = [v for v in views if v.attention]
    return views


PAGE_SIZE = 50


@dataclass
class ObjectionPage:
    views: list[ObjectionView]
    total: int
    number: int  # 1-based
    pages: int

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def objection_page(
    *,
    page: int = 1,
    state: str | None = None,
    overdue: bool = False,
    search: str | None = None,
    today: datetime.date | None = None,
    size: int = PAGE_SIZE,
) -> ObjectionPage:
    """One page of `objection_list`, `size` objections a page (a page past the last is the last).

    The deadlines of 第二十条 are counted in working days in Python, so only the page's
    objections are counted, not every objection the bureau ever received; `overdue` needs the
    deadlines to choose, and counts every objection not yet pushed (the open ones, few).
    """
    if overdue:
        views = objection_list(state=state, overdue=True, search=search, today=today)
        total = len(views)
    else:
        query = _listed(state, False, search)
        total = query.count()
    pages = max(1, -(-total // size))
    number = min(max(1, page), pages)
    start = (number - 1) * size
    if overdue:
        chosen = views[start : start + size]
    else:
        cal = current_calendar()
        chosen = [objection_view(o, calendar=cal, today=today) for o in query[start : start + size]]
    return ObjectionPage(chosen, total, number, pages)


@dataclass
class MonthReport:
    year: int
    month: int
    received: int = 0
    online: int = 0
    paper: int = 0
    accepted_self: int = 0
    accepted_verify: int = 0
    not_accepted: int = 0
    upheld: int = 0
    rejected: int = 0
    told_on_time: int = 0
    told_late: int = 0
    open_overdue: int = 0
    open_in_time: int = 0
    pushed_on_time: int = 0
    pushed_late: int = 0
    push_pending_overdue: int = 0
    push_pending_in_time: int = 0
    rows: list[ObjectionView] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.year}年{self.month}月异议处理情况"

    @property
    def told(self) -> int:
        return self.told_on_time + self.told_late

    def lines(self) -> list[tuple[str, int]]:
        """The report's figures as (label, count), in the order the page and the xlsx show them."""
        return [
            ("本月收到异议申请", self.received),
            ("　其中网上提交", self.online),
            ("　其中书面提交", self.paper),
            ("受理：本局自行处理（3个工作日）", self.accepted_self),
            ("受理：需向有关部门核实（10个工作日）", self.accepted_verify),
            ("尚未受理", self.not_accepted),
            ("处理结果：异议成立", self.upheld),
            ("处理结果：异议不成立", self.rejected),
            ("按期告知申请人", self.told_on_time),
            ("逾期告知申请人", self.told_late),
            ("尚未告知且已逾期", self.open_overdue),
            ("尚未告知、仍在期限内", self.open_in_time),
            ("按期推送市信用信息共享平台（5个工作日）", self.pushed_on_time),
            ("逾期推送", self.pushed_late),
            ("尚未推送且已逾期", self.push_pending_overdue),
            ("尚未推送、仍在期限内", self.push_pending_in_time),
        ]


def objection_month_report(
    *, year: int, month: int, today: datetime.date | None = None
) -> MonthReport:
    """第二十条: the objections received in one month, what became of them and whether the
    3/10-working-day and 5-working-day deadlines were met (as of today)."""
    first = datetime.date(year, month, 1)
    after = datetime.date(year + (month == 12), month % 12 + 1, 1)
    cal = current_calendar()
    report = MonthReport(year, month)
    query = (
        Objection.objects.filter(received_on__gte=first, received_on__lt=after)
        .select_related("employer")
        .order_by("received_on", "id")
    )
    for objection in query:
        view = objection_view(objection, calendar=cal, today=today)
        report.rows.append(view)
        report.received += 1
        report.online += objection.channel == "online"
        report.paper += objection.channel == "paper"
        if objection.handling == Handling.SELF:
            report.accepted_self += 1
        elif objection.handling == Handling.VERIFY:
            report.accepted_verify += 1
        else:
            report.not_accepted += 1
        report.upheld += objection.outcome == Outcome.UPHELD
        report.rejected += objection.outcome == Outcome.REJECTED
        if view.met is True:
            report.told_on_time += 1
        elif view.met is False:
            report.told_late += 1
        elif view.overdue:
            report.open_overdue += 1
        else:
            report.open_in_time += 1
        if view.push_due is not None:
            if objection.pushed_at is not None:
                on_time = timezone.localdate(objection.pushed_at) <= view.push_due.date
                report.pushed_on_time += on_time
                report.pushed_late += not on_time
            elif view.push_overdue:
                report.push_pending_overdue += 1
            else:
                report.push_pending_in_time += 1
    return report
