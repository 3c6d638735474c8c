"""Reads of the grades in force, in SQL: the C employers by the rule of their basis.

The lists of 第十七条 and 第二十一条 (联合惩戒名单, 约谈, 信用修复) start from the employers whose
official grade is C for a given rule of the grade's basis. A province holds hundreds of
thousands of those (218,386 of 1,000,000 in the benchmark dataset): they are chosen in the
database, never by loading every C grade and reading its basis in Python.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db.models import BooleanField, Expression, F, Q, QuerySet
from django.utils import timezone

from laborcredit.rating.models import EmployerGrade, ReviewDecision
from laborcredit.rating.services import effective_records, provincial_policy
from laborcredit.rules.adjustment import next_grade_change
from laborcredit.rules.vocabulary import Grade


def official_grade_is(grade: Grade) -> Q:
    """The grade in force is `grade`: an officer's decision on the result, else the computed one
    (`EmployerGrade.official_grade`)."""
    decided = ReviewDecision.objects.filter(decided_grade=grade.value).values("pk")
    # Not a join on the decision: then PostgreSQL tests this before the costlier basis test.
    return Q(decision__isnull=True, grade=grade.value) | Q(decision_id__in=decided)


class BasisHasRule(Expression):
    """True when a grade's basis (a JSON list of entries) has an entry whose "rule" is one of
    `rules`: `basis @> '[{"rule": …}]'` on PostgreSQL, `json_each` on SQLite."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, rules: Iterable[str], field: str = "basis") -> None:
        super().__init__()
        self.rules = sorted(rules)
        if not self.rules:
            raise ValueError("至少需要一条评价规则")
        self.column = F(field)

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.column)
        marks = ", ".join(["%s"] * len(self.rules))
        sql = (
            f"EXISTS (SELECT 1 FROM json_each({column}) AS basis_entry "
            f"WHERE json_extract(basis_entry.value, '$.rule') IN ({marks}))"
        )
        return sql, [*params, *self.rules]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.column)
        tests = " OR ".join([f"{column} @> %s::jsonb"] * len(self.rules))
        values = [json.dumps([{"rule": rule}]) for rule in self.rules]
        return f"({tests})", [*params * len(self.rules), *values]


def official_c_for(rules: Iterable[str]) -> QuerySet[EmployerGrade]:
    """The grades in force that are C with one of `rules` in their basis. A C decided by an
    officer without such a rule in the computed basis is not among them: the officer must
    say which paragraph applies (`rules.measures.measures_for`)."""
    return EmployerGrade.objects.filter(official_grade_is(Grade.C)).filter(BasisHasRule(rules))


def grade_ahead(row: EmployerGrade) -> dict[str, Any] | None:
    """第十三条 动态调整, as users are told it: the day time alone moves the stored grade to
    another one if no record arrives meanwhile, and that grade; None when it never does,
    or when the grade in force is an officer's decision on review (第十二条 人工认定),
    which the records alone do not move.

    `overdue`: the day has come but the daily regrade (`regrade --due`) has not yet
    stored the new grade.
    """
    if row.needs_review:
        return None
    records = effective_records([row.employer_id])[row.employer_id]
    ahead = next_grade_change(records, row.as_of, provincial_policy=provincial_policy() or None)
    if ahead is None:
        return None
    to = ahead.result.grade
    return {
        "on": ahead.on,
        "to": to.value,
        "to_label": to.label,
        "overdue": ahead.on <= timezone.localdate(),
        # e.g. an A+ whose assessment leaves the year becomes an A to review (第九条(二))
        "review": ahead.result.needs_review,
    }
