"""Reads of the credit file: finding employers (第五条 基础信息) with their current grade.

Pages are keyset ("seek") pages: the next page starts after the last row's
(sort key, id), so page 10,000 of a million employers costs what page 1 costs,
where OFFSET would read and throw away every earlier row. The total is counted
up to COUNT_CAP only.

Cost of a text search. A whole ID number (through its blind index) or a
whole credit code is one index lookup. The code and the legal representative
are matched by prefix, which B-tree indexes serve (on PostgreSQL Django adds a
`varchar_pattern_ops` index beside each indexed CharField). Names, current and
former, are matched anywhere in the name (`icontains`: UPPER(name) LIKE
'%…%'), which no B-tree serves. On PostgreSQL a trigram index (pg_trgm, GIN, on
UPPER(name) of the name history: credit migration 0003) serves a fragment of
three characters or more: about 15 ms at a million employers, where reading the
whole name-history table took about 0.2 s (benchmarks/pages.py). Without the
extension, and on SQLite, the table is read: a few milliseconds at Wugang's size.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from laborcredit.credit.models import Employer, EmployerName
from laborcredit.lib.errors import Refused
from laborcredit.lib.fieldcrypto import blind_index
from laborcredit.rules.validation import check_uscc
from laborcredit.rules.vocabulary import Grade

ORDERS = ("name", "-name", "uscc", "-uscc", "id", "-id", "grade", "-grade")
"""`grade` lists the worst first (C, B, A, A+), `-grade` the best first; ties by id."""

COUNT_CAP = 10_000
"""Counting stops here: "more than 10,000" is as useful to an officer as the exact number,
and a capped count reads at most this many rows however large the city."""

_GRADES_WORST_FIRST = sorted(Grade, key=lambda g: g.rank)


@dataclass(frozen=True)
class EmployerPage:
    employers: list[Employer]
    """Each with `current_grade` (None when never graded) loaded."""
    next_cursor: str | None
    """Pass as `after` for the next page; None on the last page."""
    total: int
    """Employers matching, up to COUNT_CAP."""
    total_exact: bool
    """False when there are more than `total` (the count was capped)."""

    @property
    def total_display(self) -> str:
        return f"{self.total}" if self.total_exact else f"{self.total} 以上"


def _is_id_number(query: str) -> bool:
    from laborcredit.credit.services import check_id_number

    return len(query) == 18 and check_id_number(query.upper()) is None


def _exact(query: str) -> Q | None:
    """A whole ID number (GB 11643) or a whole credit code (GB 32100): one index lookup.

    An ID number is matched through its blind index, never by comparing plaintext.
    """
    if len(query) != 18:
        return None
    if _is_id_number(query):
        return Q(legal_rep_id_index=blind_index(query.upper()))
    code, problem = check_uscc(query.upper())
    return Q(uscc=code) if problem is None else None


def _text_branches(query: str) -> list[QuerySet[Any]]:
    """The ways a text matches: any part of a name, current or former (every name an employer
    has had is in EmployerName, the current one included); a prefix of the code or of the
    legal representative's name."""
    return [
        EmployerName.objects.filter(name__icontains=query).values_list("employer_id", flat=True),
        Employer.objects.filter(uscc__startswith=query.upper()).values_list("pk", flat=True),
        Employer.objects.filter(legal_rep_name__startswith=query).values_list("pk", flat=True),
    ]


def _matching_ids(query: str) -> set[int] | None:
    """The ids matching a text, or None when more than COUNT_CAP do (a broad text)."""
    ids: set[int] = set()
    for branch in _text_branches(query):
        found = list(branch.order_by()[: COUNT_CAP + 1])
        if len(found) > COUNT_CAP:
            return None
        ids.update(found)
    return ids if len(ids) <= COUNT_CAP else None


def _matching(query: str) -> tuple[Q, bool]:
    """Selective texts (the usual search for one firm) are resolved to their ids first, so the
    page is a lookup by id; a broad text ("有限公司") matches densely, and walking the sort
    order with the condition finds a page of matches after a few rows."""
    exact = _exact(query)
    if exact is not None:
        return exact, False
    ids = _matching_ids(query)
    if ids is not None:
        return Q(pk__in=sorted(ids)), False
    former = EmployerName.objects.filter(employer=OuterRef("pk"), name__icontains=query)
    broad = (
        Q(name__icontains=query)
        | Exists(former)
        | Q(uscc__startswith=query.upper())
        | Q(legal_rep_name__startswith=query)
    )
    return broad, True


def _official_grade(grade: Grade | str | None) -> Q:
    """An employer whose grade in force is `grade` (an officer's decision overrides the computed
    one, `EmployerGrade.official_grade`); None: never graded.

    A semi-join on the undecided grades of that grade, which the partial index on
    (grade, employer) answers alone: the list walks its order and checks each row in that
    index, the count joins the two. An OR across the grade and decision tables made
    PostgreSQL read every employer's grade row (issue 4: 0.45 s at a million). Only when
    some decision gives this grade is the OR added back, for those employers.
    """
    if grade is None:
        return Q(current_grade__isnull=True)
    from laborcredit.rating.models import EmployerGrade

    value = Grade(grade).value
    undecided = EmployerGrade.objects.filter(grade=value, decision__isnull=True)
    in_force = Q(pk__in=undecided.values("employer_id"))
    # `decision IS NOT NULL` first: the decision index finds the few decided rows at once.
    decided = EmployerGrade.objects.filter(decision__isnull=False, decision__decided_grade=value)
    if decided.exists():
        in_force |= Q(pk__in=decided.values("employer_id"))
    return in_force


def employer_filter(
    *,
    query: str = "",
    grade: str | None = None,
    township: str | None = None,
    industry: str | None = None,
    needs_review: bool | None = None,
) -> QuerySet[Employer]:
    """The employers matching the search, unordered."""
    return _filtered(
        query=query, grade=grade, township=township, industry=industry, needs_review=needs_review
    )[0]


def _filtered(
    *,
    query: str,
    grade: str | None,
    township: str | None,
    industry: str | None,
    needs_review: bool | None,
) -> tuple[QuerySet[Employer], bool]:
    """The matching employers, and whether more than COUNT_CAP are known to match already."""
    employers = Employer.objects.all()
    query = (query or "").strip()
    broad = False
    if query:
        matching, broad = _matching(query)
        employers = employers.filter(matching)
    if grade:
        if grade not in {g.value for g in Grade}:
            raise Refused.one(
                "grade", f"信用等级应为 A+、A、B、C 之一，收到“{grade}”", "value-invalid"
            )
        employers = employers.filter(_official_grade(grade))
    if township:
        employers = employers.filter(township=township)
    if industry:
        # A section letter (C) finds its divisions too (C31, C33 …).
        code = industry.strip().upper()
        by_code = Q(industry_code__startswith=code) if len(code) == 1 else Q(industry_code=code)
        employers = employers.filter(by_code)
    if needs_review is not None:
        # Waiting for an officer: flagged and not yet decided.
        pending = Q(current_grade__needs_review=True, current_grade__decision__isnull=True)
        employers = employers.filter(pending if needs_review else ~pending)
    over_cap = broad and not (grade or township or industry or needs_review is not None)
    return employers, over_cap


def _encode(order: str, key: Any, last_id: int) -> str:
    raw = json.dumps([order, key, last_id], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, order: str) -> tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode() + b"=" * (-len(cursor) % 4))
        cursor_order, key, last_id = json.loads(raw)
    except (ValueError, TypeError):
        raise Refused.one("after", "翻页标记无效，请从第一页重新查询", "cursor-invalid") from None
    if cursor_order != order or not isinstance(last_id, int):
        raise Refused.one("after", "翻页标记与排序方式不符，请从第一页重新查询", "cursor-invalid")
    return key, last_id


def _after(field: str, descending: bool, key: Any, last_id: int) -> Q:
    """Rows after (key, id) in the order: written as `key >= k AND (key > k OR id > i)` so that
    the index on the sort key bounds the scan."""
    op = "lt" if descending else "gt"
    if field == "id":
        return Q(**{f"id__{op}": last_id})
    bound = "lte" if descending else "gte"
    return Q(**{f"{field}__{bound}": key}) & (
        Q(**{f"{field}__{op}": key}) | Q(**{field: key, f"id__{op}": last_id})
    )


def employer_search(
    *,
    query: str = "",
    grade: str | None = None,
    township: str | None = None,
    industry: str | None = None,
    needs_review: bool | None = None,
    order: str = "name",
    after: str | None = None,
    limit: int = 50,
    count: bool = True,
) -> EmployerPage:
    """A page of employers matching the search, with their current grade, and a cursor to the next."""
    if order not in ORDERS:
        raise Refused.one("order", f"不支持的排序方式“{order}”", "value-invalid")
    limit = max(1, min(int(limit), 500))
    matching, over_cap = _filtered(
        query=query, grade=grade, township=township, industry=industry, needs_review=needs_review
    )
    if order in ("grade", "-grade"):
        employers, cursor = _grade_page(matching, order, after, limit)
    else:
        field = order.lstrip("-")
        descending = order.startswith("-")
        page = matching
        if after:
            key, last_id = _decode(after, order)
            page = page.filter(_after(field, descending, key, last_id))
        sign = "-" if descending else ""
        employers = list(
            page.select_related("current_grade__decision").order_by(f"{sign}{field}", f"{sign}id")[
                : limit + 1
            ]
        )
        cursor = None
        if len(employers) > limit:
            employers = employers[:limit]
            last = employers[-1]
            cursor = _encode(order, getattr(last, field), last.pk)
    if over_cap:
        total, exact = COUNT_CAP, False
    elif count:
        total, exact = _capped_count(matching)
    else:
        total, exact = len(employers), cursor is None
    return EmployerPage(employers=employers, next_cursor=cursor, total=total, total_exact=exact)


def _grade_page(
    matching: QuerySet[Employer], order: str, after: str | None, limit: int
) -> tuple[list[Employer], str | None]:
    """Grades in rank order, then id: one simple `grade = g AND id > i` query per grade (four
    at most), each served by an index, rather than a sort on a computed rank."""
    groups: list[str | None] = [g.value for g in _GRADES_WORST_FIRST]
    if order == "-grade":
        groups.reverse()
    groups.append(None)  # never graded: last
    start, last_id = 0, 0
    if after:
        key, last_id = _decode(after, order)
        if key not in groups:
            raise Refused.one("after", "翻页标记无效，请从第一页重新查询", "cursor-invalid")
        start = groups.index(key)
    employers: list[Employer] = []
    their_groups: list[str | None] = []
    for position in range(start, len(groups)):
        group = groups[position]
        rows = matching.filter(_official_grade(group))
        if position == start and after:
            rows = rows.filter(id__gt=last_id)
        wanted = limit + 1 - len(employers)
        found = list(rows.select_related("current_grade__decision").order_by("id")[:wanted])
        employers += found
        their_groups += [group] * len(found)
        if len(employers) > limit:
            break
    if len(employers) <= limit:
        return employers, None
    return employers[:limit], _encode(order, their_groups[limit - 1], employers[limit - 1].pk)


def _capped_count(matching: QuerySet[Employer]) -> tuple[int, bool]:
    """COUNT over at most COUNT_CAP + 1 rows (SELECT COUNT(*) FROM (… LIMIT n))."""
    found = matching.order_by()[: COUNT_CAP + 1].count()
    return min(found, COUNT_CAP), found <= COUNT_CAP
