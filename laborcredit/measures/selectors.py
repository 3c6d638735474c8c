"""Reads of 第十四条–第十七条: the measures on a date, the window's answer, the C employers
not yet interviewed (第十七条(三)) and the joint-punishment list (第十七条, last paragraph)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.core.paginator import Page
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from laborcredit.credit.models import CreditRecord, Employer
from laborcredit.lib.masking import mask_name
from laborcredit.measures.models import LOCAL_ITEMS, Interview, LocalMeasure
from laborcredit.rating.models import EmployerGrade, GradeChange
from laborcredit.rating.selectors import official_c_for
from laborcredit.rules.articles import article_text
from laborcredit.rules.measures import C_CAUSE_RULES, MEASURES, CCause, Kind, measures_for
from laborcredit.rules.vocabulary import Grade, RecordType
from laborcredit.web.paging import page_of

PRIORITY = "第十五条（一）"
NARROWED = "第十七条（一）"
JOINT = "第十七条联合惩戒"
JOINT_ARTICLE = "第十七条"


def in_force_on(on: datetime.date) -> Q:
    """Local measures in force on `on`: from their first day up to the day before retirement."""
    return Q(in_force_from__lte=on) & (Q(retired_from__isnull=True) | Q(retired_from__gt=on))


def basis_rules(grade_row: EmployerGrade) -> list[str]:
    return [entry.get("rule", "") for entry in grade_row.basis or []]


def _statutory(applied: Any) -> dict[str, Any]:
    m = applied.measure
    return {
        "code": m.code,
        "citation": m.citation,
        "kind": m.kind.label,
        "text": m.text,
        "why": applied.why,
        "article": m.article,
        "article_text": article_text(m.article),
        "local": False,
    }


def _local(measure: LocalMeasure, why: str) -> dict[str, Any]:
    text = measure.title + (f"：{measure.description}" if measure.description else "")
    return {
        "code": f"local-{measure.pk}",
        "citation": measure.item,
        "kind": Kind.INCENTIVE.label,
        "text": text,
        "why": f"{why}；{measure.item}所称其他激励措施，依据{measure.legal_basis}，"
        f"自{measure.in_force_from:%Y-%m-%d}起施行",
        "article": measure.item[:4],
        "article_text": article_text(measure.item[:4]),
        "local": True,
        "title": measure.title,
        "legal_basis": measure.legal_basis,
        "in_force_from": measure.in_force_from,
    }


def measures_on(
    *,
    on: datetime.date,
    grade_row: EmployerGrade | None = None,
    grade: Grade | str | None = None,
    rules: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """The measures that apply on `on` to an official grade (a grade row, or a grade and its
    basis rules), with why: 第十四条–第十七条 and, after their item (三), the local measures in force."""
    if grade_row is not None:
        grade, rules = grade_row.official_grade, basis_rules(grade_row)
    if grade is None:
        return []
    grade = Grade(grade)
    applied = measures_for(grade, rules)
    items = [item for item, g in LOCAL_ITEMS.items() if g == grade.value]
    local: dict[str, list[LocalMeasure]] = {}
    if items:
        for measure in LocalMeasure.objects.filter(in_force_on(on), item__in=items):
            local.setdefault(measure.item, []).append(measure)
    lines = []
    for a in applied:
        lines.append(_statutory(a))
        lines += [_local(m, a.why) for m in local.get(a.measure.citation, ())]
    return lines


def window_answer(measures: list[dict[str, Any]]) -> dict[str, Any]:
    """第十五条(一), 第十七条(一), 第十七条 last paragraph: what the licensing window must do,
    decided from the measures that apply — the one place the page and the API ask."""
    codes = {m["code"] for m in measures}
    priority, narrowed, joint = PRIORITY in codes, NARROWED in codes, JOINT in codes
    return {
        "priority_handling": priority,
        "priority_handling_article": PRIORITY if priority else None,
        "commitment_approval_narrowed": narrowed,
        "commitment_approval_narrowed_article": NARROWED if narrowed else None,
        "joint_punishment": joint,
        "joint_punishment_article": JOINT_ARTICLE if joint else None,
    }


def window_employer(code: str) -> Employer | None:
    """The employer with its current grade and any decision on it, in one query."""
    return (
        Employer.objects.select_related("current_grade", "current_grade__decision")
        .filter(uscc=code)
        .first()
    )


def window_check(employer: Employer, on: datetime.date | None = None) -> dict[str, Any]:
    """The licensing window's answer for one employer (第十五条(一), 第十七条)."""
    from laborcredit.web.employer_selectors import badge_class

    on = on or timezone.localdate()
    try:
        row: EmployerGrade | None = employer.current_grade
    except EmployerGrade.DoesNotExist:
        row = None
    measures = measures_on(grade_row=row, on=on) if row is not None else []
    grade = None
    if row is not None:
        official = row.official_grade
        grade = {
            "code": official,
            "label": Grade(official).label,
            "badge": badge_class(official),
            "as_of": row.as_of,
            "pending_review": row.needs_review and row.decision_id is None,
            "measures": measures,
        }
    answer = window_answer(measures)
    if answer["joint_punishment"]:
        # The listing behind the C, and its removal: a C stays for the year after a removal
        # (第十二条(二)), and the window must see that the employer is off the list.
        line = _joint_punishment_lines(
            [{"employer_id": employer.pk, "as_of": None}], unmasked=False
        )
        answer["blacklist"] = {k: line[0][k] for k in ("listed_on", "removed_on")}
    return {"employer": employer, "grade": grade, "measures": measures, **answer}


# ---------------------------------------------------------------- catalogue


def catalogue() -> dict[str, Any]:
    """The statutory measures with their article's words, and every local measure with its history."""
    today = timezone.localdate()
    statutory = []
    for m in MEASURES:
        if m.cause is CCause.BLACKLIST:
            applies = "因列入拖欠农民工工资“黑名单”被评价为C级（较差）的用人单位"
        elif m.cause is CCause.PENALTY:
            applies = "因违反人社法律法规受到行政处罚被评为C级（较差）的用人单位"
        else:
            applies = f"{m.grade.value}级（{m.grade.label}）用人单位"
        statutory.append(
            {
                "citation": m.citation,
                "kind": m.kind.label,
                "text": m.text,
                "applies": applies,
                "article": m.article,
                "article_text": article_text(m.article),
                "local_item": m.citation in LOCAL_ITEMS,
            }
        )
    local = []
    for measure in LocalMeasure.objects.order_by("item", "-in_force_from", "-id"):
        if measure.in_force_from > today:
            status = "尚未施行"
        elif measure.retired_from is not None and measure.retired_from <= today:
            status = "已停止适用"
        else:
            status = "施行中"
        local.append({"measure": measure, "status": status})
    return {"statutory": statutory, "local": local, "items": list(LOCAL_ITEMS)}


# ---------------------------------------------------------------- C employers

PAGE_SIZE = 50


def _c_because(cause: CCause) -> QuerySet[EmployerGrade]:
    """The grades in force that are C because of `cause` (第十七条), chosen in SQL."""
    return official_c_for([rule for rule, c in C_CAUSE_RULES.items() if c is cause])


def _employers(ids: list[int]) -> dict[int, Employer]:
    """The employers of one page, their encrypted fields left unread (no list shows them)."""
    return Employer.objects.defer("legal_rep_id_number", "contact_phone").in_bulk(ids)


# ---------------------------------------------------------------- interviews due (第十七条(三))


def _interviews_due_query() -> QuerySet[EmployerGrade]:
    """第十七条(三): C because of a penalty, with no interview held since the grade last became C
    (from another grade; the grade's own date when the history has no such change)."""
    became_c = (
        GradeChange.objects.filter(employer_id=OuterRef("employer_id"), to_grade=Grade.C.value)
        .exclude(from_grade=Grade.C.value)
        .order_by("-as_of")
        .values("as_of")[:1]
    )
    last_held = (
        Interview.objects.filter(employer_id=OuterRef("employer_id"), status=Interview.Status.HELD)
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    # Only the columns the order needs: the page's employers are read for the page alone.
    return (
        _c_because(CCause.PENALTY)
        .annotate(c_since=Coalesce(Subquery(became_c), F("as_of")), last_held=Subquery(last_held))
        .filter(Q(last_held__isnull=True) | Q(last_held__lt=F("c_since")))
        .order_by("c_since", "employer__name", "employer_id")
        .values("employer_id", "c_since", "last_held")
    )


def _interview_lines(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The list's lines for these employers: penalty cases, last interview held, the one
    scheduled (the earliest)."""
    ids = [row["employer_id"] for row in rows]
    employers = _employers(ids)
    scheduled: dict[int, Interview] = {}
    for interview in Interview.objects.filter(
        employer_id__in=ids, status=Interview.Status.SCHEDULED
    ).order_by("scheduled_on", "id"):
        scheduled.setdefault(interview.employer_id, interview)
    cases: dict[int, list[str]] = {}
    for employer_id, case in (
        CreditRecord.objects.effective()
        .filter(employer_id__in=ids, type=RecordType.PENALTY_IMPOSED)
        .order_by("-date", "-id")
        .values_list("employer_id", "case")
    ):
        cases.setdefault(employer_id, []).append(case)
    return [
        {**row, "employer": employers[row["employer_id"]], "uscc": employers[row["employer_id"]].uscc,
         "scheduled": scheduled.get(row["employer_id"]), "cases": cases.get(row["employer_id"], [])}
        for row in rows
    ]  # fmt: skip


def interviews_due(*, page: Any = 1, size: int | None = None) -> Page:
    """One page of the employers to interview (第十七条(三)), earliest C first, each with its
    penalty cases, the last interview held and the one scheduled."""
    found = page_of(_interviews_due_query(), page, size or PAGE_SIZE)
    found.object_list = _interview_lines(list(found))
    return found


def interviews_due_count() -> int:
    return _interviews_due_query().count()


def interviews_due_rows(*, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """The whole list in the page's order, `batch` employers at a time (for the export)."""
    due = _interviews_due_query().iterator(chunk_size=batch)
    while rows := list(islice(due, batch)):
        yield from _interview_lines(rows)


def interview_list(*, status: str | None = None, limit: int = 200) -> list[Interview]:
    query = Interview.objects.select_related("employer", "record")
    if status:
        query = query.filter(status=status)
    return list(query.order_by("-scheduled_on", "-id")[:limit])


def interview_people(interview: Interview, unmasked: bool) -> dict[str, str]:
    """The persons interviewed as a reader may see them (names masked without the permission)."""
    show = (lambda s: s) if unmasked else _mask_names
    return {
        "principal": show(interview.principal),
        "responsible_persons": show(interview.responsible_persons),
        "attendees": show(interview.attendees),
    }


def _mask_names(text: str) -> str:
    parts = [p for p in text.replace("，", "、").replace(",", "、").split("、") if p.strip()]
    return "、".join(mask_name(p) for p in parts)


# ---------------------------------------------------------------- joint punishment


_LISTING_FIRST = Case(When(type=RecordType.BLACKLIST_LISTED, then=Value(0)), default=Value(1))


def _joint_punishment_query() -> QuerySet[EmployerGrade]:
    """C because of the blacklist, the spell in force listed most recently first (then by
    code, descending): the order of the list's 列入日期 column.

    The spell in force is the one holding the latest listing (第十二条(二),
    `rules.grading.blacklist_spells`: a listing while listed continues the spell, and on one
    day a listing counts before a removal). It began with the first listing after the last
    removal dated before that latest listing."""
    records = CreditRecord.objects.effective().filter(employer_id=OuterRef("employer_id"))
    listings = records.filter(type=RecordType.BLACKLIST_LISTED)
    removals = records.filter(type=RecordType.BLACKLIST_REMOVED)
    return (
        _c_because(CCause.BLACKLIST)
        .annotate(latest_listing=Subquery(listings.order_by("-date").values("date")[:1]))
        .annotate(
            removed_before=Subquery(
                removals.filter(date__lt=OuterRef("latest_listing"))
                .order_by("-date")
                .values("date")[:1]
            )
        )
        .annotate(
            listed_since=Subquery(
                listings.filter(
                    date__gt=Coalesce(OuterRef("removed_before"), Value(datetime.date.min))
                )
                .order_by("date")
                .values("date")[:1]
            )
        )
        .order_by(F("listed_since").desc(nulls_last=True), "-employer__uscc")
        .values("employer_id", "as_of")
    )


def _joint_punishment_lines(rows: list[dict[str, Any]], *, unmasked: bool) -> list[dict[str, Any]]:
    """The list's lines for these grades: the listing decision that began the spell in force
    (date, document number, authority), its removal if any, and the responsible persons."""
    ids = [row["employer_id"] for row in rows]
    employers = _employers(ids)
    spells: dict[int, list[CreditRecord]] = {}
    for record in (
        CreditRecord.objects.effective()
        .filter(
            employer_id__in=ids,
            type__in=[RecordType.BLACKLIST_LISTED, RecordType.BLACKLIST_REMOVED],
        )
        # On one day a listing before a removal, as `rules.grading.blacklist_spells` counts.
        .order_by("date", _LISTING_FIRST, "id")
    ):
        spells.setdefault(record.employer_id, []).append(record)
    out = []
    for row in rows:
        employer = employers[row["employer_id"]]
        listing, removal = None, None
        for record in spells.get(employer.pk, []):
            if record.type == RecordType.BLACKLIST_LISTED:
                if listing is None or removal is not None:
                    listing, removal = record, None
            elif listing is not None and removal is None:
                removal = record
        rep = employer.legal_rep_name
        out.append(
            {
                "employer": employer,
                "uscc": employer.uscc,
                "name": employer.name,
                "legal_rep": (rep if unmasked else mask_name(rep)) if rep else "",
                "listed_on": listing.date if listing else None,
                "document_number": listing.document_number if listing else "",
                "authority": listing.issuing_body if listing else "",
                "removed_on": removal.date if removal else None,
                "responsible_persons": listing.description if listing else "",
                "grade_as_of": row["as_of"],
            }
        )
    return out


def joint_punishment_page(*, unmasked: bool, page: Any = 1, size: int | None = None) -> Page:
    """第十七条 last paragraph: one page of the employers graded C because of the wage-arrears
    blacklist, the most recently listed first (the whole list is the export)."""
    found = page_of(_joint_punishment_query(), page, size or PAGE_SIZE)
    found.object_list = _joint_punishment_lines(list(found), unmasked=unmasked)
    return found


def joint_punishment_count() -> int:
    return _c_because(CCause.BLACKLIST).count()


def joint_punishment_rows(*, unmasked: bool, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """The whole list in the page's order, one query read `batch` employers at a time (a
    server-side cursor on PostgreSQL), for the export."""
    grades = _joint_punishment_query().iterator(chunk_size=batch)
    while rows := list(islice(grades, batch)):
        yield from _joint_punishment_lines(rows, unmasked=unmasked)
