"""Reads of the API's hot path (第六条), each one statement of fixed SQL: the key a token names
and one employer's grade, asked for by other departments' systems many times a second, where
the ORM's query compilation would cost more than the database."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection

from laborcredit.api.models import ApiKey
from laborcredit.lib.postgresql import SessionStatement
from laborcredit.rules.vocabulary import Grade

_KEY = "SELECT * FROM api_apikey WHERE prefix = %s"

# EmployerGrade.official_grade: an officer's decision on the result, else the computed grade.
_GRADE_SQL = """
SELECT e.uscc, e.name, g.grade, g.as_of, g.needs_review, g.decision_id, d.decided_grade
FROM credit_employer e
LEFT JOIN rating_employergrade g ON g.employer_id = e.id
LEFT JOIN rating_reviewdecision d ON d.id = g.decision_id
WHERE e.uscc = %(code)s
"""


_GRADE = SessionStatement(name="laborcredit_api_grade", sql=_GRADE_SQL, types={"code": "text"})


def key_by_prefix(prefix: str) -> ApiKey | None:
    return next(iter(ApiKey.objects.raw(_KEY, [prefix])), None)


def grade_answer(code: str) -> dict[str, Any] | None:
    """The grade endpoint's answer for a normalised credit code; None if no such employer."""
    with connection.cursor() as cursor:
        _GRADE.execute(cursor, {"code": code})  # every grade lookup: planned once per session
        row = cursor.fetchone()
    if row is None:
        return None
    uscc, name, computed, as_of, needs_review, decision_id, decided = row
    grade = decided if decision_id is not None else computed
    if isinstance(as_of, str):  # SQLite returns dates as text through a bare cursor
        as_of = datetime.date.fromisoformat(as_of)
    return {
        "uscc": uscc,
        "name": name,
        "grade": grade,
        "grade_label": Grade(grade).label if grade else None,
        "as_of": as_of,
        "pending_review": bool(computed is not None and needs_review and decision_id is None),
    }
