"""Reads for the staff site's shell."""

from __future__ import annotations

import datetime

from laborcredit.rules import articles, parameters
from laborcredit.rules.parameters import PROVINCIAL_POLICY_LABELS
from laborcredit.rules.vocabulary import Grade, RecordType


def _show(value: object) -> str:
    if hasattr(value, "years") and hasattr(value, "months"):
        months = value.years * 12 + value.months  # type: ignore[attr-defined]
        return f"{months}个月" + (f"（{months // 12}年）" if months % 12 == 0 else "")
    if isinstance(value, frozenset):
        return "、".join(sorted(value)) + "级"
    return str(value)


def _value(parameter: parameters.Parameter, value: object) -> str:
    if parameter is parameters.PROVINCIAL_POLICY:
        return PROVINCIAL_POLICY_LABELS.get(str(value), _show(value))
    if parameter is parameters.PROVINCIAL_CAP_GRADE:
        return f"{value}级"
    return _show(value)


def grading_rules_in_force(on: datetime.date) -> dict[str, object]:
    """What the home page shows: the grades, the record types and the parameters in force."""
    rows = []
    for parameter in parameters.ALL:
        try:
            since, value = parameter.value_on(on)
        except parameters.NotInForce:
            continue
        rows.append(
            {
                "name": parameter.name,
                "description": parameter.description,
                "value": _value(parameter, value),
                "reference": parameter.reference,
                "since": since,
            }
        )
    chapter = articles.CHAPTERS["第三章 信用等级评价"]
    return {
        "today": on,
        "title": articles.TITLE,
        "document_number": articles.DOCUMENT_NUMBER,
        "grades": [{"code": g.value, "label": g.label} for g in Grade],
        "record_types": [
            {"code": t.value, "label": t.label, "category": t.category.label, "article": t.article}
            for t in RecordType
        ],
        "parameters": rows,
        "articles": [{"number": n, "text": articles.ARTICLES[n]} for n in chapter]
        + [{"number": "第二十一条", "text": articles.ARTICLES["第二十一条"]}],
    }
