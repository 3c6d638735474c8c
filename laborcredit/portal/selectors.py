"""Reads for the employer portal (第十八条): always of one employer, the one logged in.

Every function takes the employer of the account, never an id or code from a
request. Records marked 仅内部使用 (第七条: not authorised for publication) never
leave here: not as records, not as earlier versions, not as the cause of a grade
change, and their case and document numbers are blanked out of the grade's basis.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from laborcredit.credit.models import Action, CreditRecord, Disclosure, Employer
from laborcredit.measures.selectors import measures_on
from laborcredit.portal.models import EmployerAccount
from laborcredit.rating.models import EmployerGrade, GradeChange
from laborcredit.rating.selectors import grade_ahead
from laborcredit.rules.articles import article_text, cited_articles
from laborcredit.rules.meaning import GRADE_ARTICLE, grade_meaning
from laborcredit.rules.repair import PENALTY_RULES
from laborcredit.rules.vocabulary import Category, Grade, RecordType

VISIBLE = (Disclosure.PUBLIC, Disclosure.SHARED)
"""What an employer may see of its own records: everything but 仅内部使用."""

HIDDEN_REFERENCE = "〔不公开〕"

_BADGE = {"A+": "badge-aplus", "A": "badge-a", "B": "badge-b", "C": "badge-c"}


def account_of(user: Any) -> EmployerAccount | None:
    """The enabled employer account of a logged-in user; None for staff and the disabled."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return (
        EmployerAccount.objects.select_related("employer")
        .filter(user=user, disabled_at__isnull=True)
        .first()
    )


def objectionable_records(employer: Employer) -> QuerySet[CreditRecord]:
    """The employer's records in force that it may see: the ones it may object to (第十九条)."""
    return (
        CreditRecord.objects.effective()
        .filter(employer=employer, disclosure__in=VISIBLE)
        .order_by("-date", "-id")
    )


def describe(record: CreditRecord) -> str:
    text = f"{record.date:%Y-%m-%d} {record.get_type_display()}"
    return f"{text}（{record.case}）" if record.case else text


def _hidden_references(employer: Employer) -> list[str]:
    """Case and document numbers the employer sees on no record of `record_groups` (they are
    only on internal records, or on versions of a record now internal), longest first."""
    chains: dict[Any, list[tuple[str, str, str]]] = {}
    for lineage, disclosure, case, document in (
        CreditRecord.objects.filter(employer=employer)
        .order_by("lineage", "version")
        .values_list("lineage", "disclosure", "case", "document_number")
    ):
        chains.setdefault(lineage, []).append((disclosure, case, document))
    shown: set[str] = set()
    every: set[str] = set()
    for chain in chains.values():
        seen = chain[-1][0] in VISIBLE
        for disclosure, case, document in chain:
            references = {x for x in (case, document) if x}
            every |= references
            if seen and disclosure in VISIBLE:
                shown |= references
    return sorted(every - shown, key=len, reverse=True)


def visible_pks(employer: Employer) -> set[int]:
    """The ids of the record versions the employer sees: visible versions of records whose
    current version is visible (what `record_groups` shows)."""
    chains: dict[Any, list[tuple[int, str]]] = {}
    for pk, lineage, disclosure in (
        CreditRecord.objects.filter(employer=employer)
        .order_by("lineage", "version")
        .values_list("pk", "lineage", "disclosure")
    ):
        chains.setdefault(lineage, []).append((pk, disclosure))
    return {
        pk
        for chain in chains.values()
        if chain[-1][1] in VISIBLE
        for pk, disclosure in chain
        if disclosure in VISIBLE
    }


def scrubbed(text: str, hidden: list[str]) -> str:
    """`text` with every case or document number of a record the employer may not see hidden."""
    for reference in hidden:
        text = text.replace(reference, HIDDEN_REFERENCE)
    return text


def grade_overview(employer: Employer) -> dict[str, Any] | None:
    """The grade in force, what it means, its basis with the articles, and the measures."""
    grade = EmployerGrade.objects.filter(employer=employer).select_related("decision").first()
    if grade is None:
        return None
    hidden = _hidden_references(employer)
    official = grade.official_grade
    decision = grade.decision
    basis = [
        {
            "citation": entry.get("article", ""),
            "reason": scrubbed(entry.get("reason", ""), hidden),
            "articles": cited_articles(entry.get("article", "")),
        }
        for entry in grade.basis or []
    ]
    return {
        "code": official,
        "label": Grade(official).label,
        "badge": _BADGE[official],
        "as_of": grade.as_of,
        "meaning": grade_meaning(
            official,
            (entry.get("rule", "") for entry in grade.basis or []),
            decided=decision is not None,
        ),
        "article": GRADE_ARTICLE[official],
        "article_text": article_text(GRADE_ARTICLE[official]),
        "pending_review": grade.needs_review and grade.decision_id is None,
        "decided": decision is not None,
        "decided_on": decision.decided_at if decision else None,
        "decision_reason": scrubbed(decision.reason, hidden) if decision else "",
        "ahead": grade_ahead(grade),
        "provincial_level": grade.provincial_level,
        "basis": basis,
        "basis_hides": any(HIDDEN_REFERENCE in entry["reason"] for entry in basis),
        "penalty_c": official == Grade.C.value
        and any(entry.get("rule") in PENALTY_RULES for entry in grade.basis or []),
        "measures": measures_on(grade_row=grade, on=timezone.localdate()),
    }


def _version_row(record: CreditRecord) -> dict[str, Any]:
    """What the employer reads of one version: the fact, never who entered it or from where."""
    return {
        "pk": record.pk,
        "version": record.version,
        "action": record.get_action_display(),
        "reason": record.reason if record.action != Action.CREATE else "",
        "date": record.date,
        "type": record.get_type_display(),
        "case": record.case,
        "correction_deadline": record.correction_deadline,
        "passed": record.passed,
        "level": record.level,
        "document_number": record.document_number,
        "issuing_body": record.issuing_body,
        "description": record.description,
        "disclosure": record.get_disclosure_display(),
        "violation_type": record.violation_type,
        "penalty_category": record.penalty_category,
        "fine_amount": record.fine_amount,
        "penalty_basis": record.penalty_basis,
        "penalty_content": record.penalty_content,
    }


def record_groups(employer: Employer) -> list[dict[str, Any]]:
    """The employer's records by category (第五条): each record whose current version it may
    see, with the versions it may see, newest first; voids and corrections marked as such."""
    chains: dict[Any, list[CreditRecord]] = {}
    for record in CreditRecord.objects.filter(employer=employer).order_by("lineage", "version"):
        chains.setdefault(record.lineage, []).append(record)
    groups: dict[Category, list[dict[str, Any]]] = {c: [] for c in Category}
    for chain in chains.values():
        current = chain[-1]
        if current.disclosure not in VISIBLE:
            continue
        if current.action == Action.VOID:
            status, status_class = "已作废", "status-void"
        elif current.version > 1:
            status, status_class = "已更正", "status-corrected"
        else:
            status, status_class = "有效", "status-valid"
        kind = RecordType(current.type)
        groups[kind.category].append(
            {
                "title": describe(current),
                "status": status,
                "status_class": status_class,
                "article": kind.article,
                "versions": [_version_row(v) for v in reversed(chain) if v.disclosure in VISIBLE],
                "sort": (current.date, chain[0].pk),
            }
        )
    for items in groups.values():
        items.sort(key=lambda item: item["sort"], reverse=True)
    return [
        {"label": category.label, "slug": category.value, "items": groups[category]}
        for category in Category
    ]


def grade_history(employer: Employer) -> list[dict[str, Any]]:
    """第十三条 动态调整: the employer's grade changes, newest first, without staff names."""
    hidden = _hidden_references(employer)
    seen = visible_pks(employer)
    rows = []
    for change in (
        GradeChange.objects.filter(employer=employer)
        .select_related("record", "decision")
        .order_by("-created_at", "-id")
    ):
        record = change.record
        visible_record = record is not None and record.pk in seen
        rows.append(
            {
                "as_of": change.as_of,
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
                "record_title": describe(record) if visible_record else "",
                "record_void": visible_record and record.action == Action.VOID,  # type: ignore[union-attr]
                "decision_reason": scrubbed(change.decision.reason, hidden)
                if change.decision
                else "",
            }
        )
    return rows


def account_rows(*, query: str = "") -> list[dict[str, Any]]:
    """The staff list of employer accounts, newest first (at most 500), by code or name."""
    accounts = EmployerAccount.objects.select_related("employer").order_by("-created_at", "-id")
    query = query.strip()
    if query:
        from django.db.models import Q

        accounts = accounts.filter(
            Q(employer__uscc__startswith=query.upper()) | Q(employer__name__icontains=query)
        )
    rows = []
    for account in accounts[:500]:
        open_code = (
            account.activation_codes.filter(used_at__isnull=True, revoked_at__isnull=True)
            .order_by("-issued_at")
            .first()
        )
        rows.append(
            {
                "account": account,
                "code_expires": open_code.expires_at if open_code else None,
                "code_expired": bool(open_code and open_code.expires_at <= timezone.now()),
            }
        )
    return rows
