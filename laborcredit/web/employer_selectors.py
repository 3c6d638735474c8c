"""Reads for the employer pages: the list's rows and one employer's credit file (第五条, 第八条–第十三条)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone

from laborcredit.credit.models import Action, CreditRecord, Employer
from laborcredit.credit.reference import INDUSTRY_SECTIONS, TOWNSHIPS
from laborcredit.lib.masking import mask_id_number, mask_name, mask_phone
from laborcredit.measures.selectors import measures_on
from laborcredit.rating.models import EmployerGrade, GradeChange
from laborcredit.rating.selectors import grade_ahead
from laborcredit.rules.articles import cited_articles
from laborcredit.rules.validation import check_uscc
from laborcredit.rules.vocabulary import Category, Grade, RecordType

ORDER_LABELS = {
    "name": "单位名称（升序）",
    "-name": "单位名称（降序）",
    "uscc": "统一社会信用代码（升序）",
    "-uscc": "统一社会信用代码（降序）",
    "grade": "信用等级（由低到高）",
    "-grade": "信用等级（由高到低）",
}

_BADGE = {"A+": "badge-aplus", "A": "badge-a", "B": "badge-b", "C": "badge-c"}


def badge_class(code: str) -> str:
    """The CSS class that colours a grade (A+ green, A blue, B amber, C red); "" for none."""
    return _BADGE.get(code, "")


def _grade_row(grade: EmployerGrade | None) -> dict[str, Any] | None:
    if grade is None:
        return None
    official = grade.official_grade
    return {
        "code": official,
        "label": Grade(official).label,
        "badge": _BADGE[official],
        "pending_review": grade.needs_review and grade.decision_id is None,
    }


def _current_grade(employer: Employer) -> EmployerGrade | None:
    try:
        return employer.current_grade
    except EmployerGrade.DoesNotExist:
        return None


def employer_rows(employers: list[Employer]) -> list[dict[str, Any]]:
    """What one row of the list shows for each employer."""
    return [
        {
            "uscc": e.uscc,
            "name": e.name,
            "township": e.township,
            "industry": " ".join(x for x in (e.industry_code, e.industry_name) if x),
            "grade": _grade_row(_current_grade(e)),
        }
        for e in employers
    ]


def filter_choices() -> dict[str, Any]:
    """The values the list's filters offer."""
    return {
        "grades": [{"code": g.value, "label": g.label} for g in Grade],
        "townships": TOWNSHIPS,
        "industries": sorted(INDUSTRY_SECTIONS.items()),
        "orders": list(ORDER_LABELS.items()),
    }


def employer_by_code(uscc: str) -> Employer:
    """The employer with this credit code; Http404 for an unknown or malformed code."""
    code, problem = check_uscc((uscc or "").strip().upper())
    if problem is not None:
        raise Http404("统一社会信用代码无效")
    try:
        return Employer.objects.get(uscc=code)
    except Employer.DoesNotExist:
        raise Http404("未找到该用人单位") from None


def _basic_information(employer: Employer, unmasked: bool) -> list[tuple[str, str]]:
    name, id_number, phone = (
        (str, str, str) if unmasked else (mask_name, mask_id_number, mask_phone)
    )
    rep = employer.legal_rep_name
    rep_id = employer.legal_rep_id_number or ""
    contact = employer.contact_name
    contact_phone = employer.contact_phone or ""
    return [
        ("统一社会信用代码", employer.uscc),
        ("单位名称", employer.name),
        ("法定代表人", name(rep) if rep else ""),
        ("法定代表人身份证号码", id_number(rep_id) if rep_id else ""),
        ("地址", employer.address),
        ("乡镇（街道）", employer.township),
        ("行业", " ".join(x for x in (employer.industry_code, employer.industry_name) if x)),
        ("登记注册类型", employer.registration_type),
        ("职工人数", "" if employer.employees is None else str(employer.employees)),
        ("联系人", name(contact) if contact else ""),
        ("联系电话", phone(contact_phone) if contact_phone else ""),
    ]


def _basis(entries: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Each basis entry with the full text of the articles it cites."""
    return [
        {
            "citation": entry.get("article", ""),
            "articles": cited_articles(entry.get("article", "")),
            "reason": entry.get("reason", ""),
        }
        for entry in entries or []
    ]


def _measures(grade: EmployerGrade) -> list[dict[str, Any]]:
    """第十四条–第十七条 for the official grade, with the local measures in force today (issue 5)."""
    return measures_on(grade_row=grade, on=timezone.localdate())


def _describe(record: CreditRecord) -> str:
    text = f"{record.date:%Y-%m-%d} {record.get_type_display()}"
    return f"{text}（{record.case}）" if record.case else text


def _lineages(employer: Employer) -> dict[str, list[dict[str, Any]]]:
    """Records grouped by category (第五条), each with all its versions, newest first."""
    versions: dict[Any, list[CreditRecord]] = {}
    for record in CreditRecord.objects.filter(employer=employer).order_by("lineage", "version"):
        versions.setdefault(record.lineage, []).append(record)
    groups: dict[str, list[dict[str, Any]]] = {c.label: [] for c in Category}
    for chain in versions.values():
        current = chain[-1]
        if current.action == Action.VOID:
            status, status_class = "已作废", "status-void"
        elif current.version > 1:
            status, status_class = "已更正", "status-corrected"
        else:
            status, status_class = "有效", "status-valid"
        groups[RecordType(current.type).category.label].append(
            {
                "current": current,
                "title": _describe(current),
                "status": status,
                "status_class": status_class,
                "article": RecordType(current.type).article,
                "versions": list(reversed(chain)),
                "sort": (current.date, chain[0].pk),
            }
        )
    for items in groups.values():
        items.sort(key=lambda item: item["sort"], reverse=True)
    return groups


def grade_summary(employer: Employer) -> dict[str, Any] | None:
    """The current grade as the pages show it: official grade, basis with articles, measures."""
    grade = (
        EmployerGrade.objects.filter(employer=employer).select_related("decision", "run").first()
    )
    if grade is not None:
        official = grade.official_grade
        return {
            "code": official,
            "label": Grade(official).label,
            "badge": _BADGE[official],
            "as_of": grade.as_of,
            "needs_review": grade.needs_review,
            "pending_review": grade.needs_review and grade.decision_id is None,
            "computed": grade.grade,
            "computed_label": Grade(grade.grade).label,
            "decision": grade.decision,
            "cause": grade.get_cause_display(),
            "rule_version": grade.rule_version,
            "ahead": grade_ahead(grade),
            "provincial_level": grade.provincial_level,
            "basis": _basis(grade.basis),
            "measures": _measures(grade),
        }
    return None


def credit_file(*, employer: Employer, unmasked: bool) -> dict[str, Any]:
    """One employer's credit file: basic information, grade with its basis, history, records."""
    current = grade_summary(employer)
    history = [
        {
            "change": change,
            "from": (
                f"{change.from_grade}级（{Grade(change.from_grade).label}）"
                if change.from_grade
                else ""
            ),
            "same": change.from_grade == change.to_grade,
            "to": change.to_grade,
            "to_label": Grade(change.to_grade).label,
            "badge": _BADGE[change.to_grade],
            "cause": change.get_cause_display(),
            "record": change.record,
            "record_title": _describe(change.record) if change.record else "",
            "record_void": bool(change.record and change.record.action == Action.VOID),
            "decision": change.decision,
        }
        for change in GradeChange.objects.filter(employer=employer)
        .select_related("record", "decision")
        .order_by("-created_at", "-id")
    ]
    former_names = list(employer.names.exclude(name=employer.name).order_by("recorded_at", "id"))
    groups = _lineages(employer)
    return {
        "employer": employer,
        "unmasked": unmasked,
        "basic": _basic_information(employer, unmasked),
        "former_names": former_names,
        "grade": current,
        "history": history,
        "record_groups": [
            {"label": label, "items": items, "slug": category.value}
            for category in Category
            for label, items in [(category.label, groups[category.label])]
        ],
    }
