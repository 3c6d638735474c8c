"""统计看板 (issue 4): grades by township and by industry, movement between the last two approved
annual evaluations (第十三条), and the work waiting for an officer; with the charts' geometry.

Every figure comes from a handful of aggregate queries (GROUP BY), whatever the number of
employers: one census of the employers with their grade in force, the draft runs, the last two
approved runs, and one grouping of the latest run's results.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from django.db.models import CharField, Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Substr, Upper
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from laborcredit.credit.models import Employer
from laborcredit.credit.reference import INDUSTRY_SECTIONS, TOWNSHIPS
from laborcredit.exchange.selectors import push_alerts
from laborcredit.rating.models import EvaluationRun, RunResult
from laborcredit.repair.selectors import repair_due_counts
from laborcredit.rules.vocabulary import Grade

GRADES = tuple(g.value for g in Grade)
"""Best first: A+, A, B, C."""

UNGRADED = ""
"""The key of employers with no grade yet."""

COLOURS = {"A+": "#1a7f37", "A": "#0969da", "B": "#9a6700", "C": "#b3261e", UNGRADED: "#8c959f"}
"""As in site.css (.badge-aplus …); grey for no grade yet."""

MOVE_COLOURS = {"up": "#1a7f37", "down": "#b3261e", "same": "#57606a"}

SLUGS = {"A+": "aplus", "A": "a", "B": "b", "C": "c", UNGRADED: "none"}

NO_GRADE_LABEL = "尚未评级"


def _grade_name(grade: str) -> str:
    return f"{grade}级（{Grade(grade).label}）" if grade else NO_GRADE_LABEL


def _percent(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "0.0%"


def _list_url(**filters: str) -> str:
    """The employer list filtered as named (parameters of views_employers.employer_list)."""
    kept = {k: v for k, v in filters.items() if v}
    return f"{reverse('employers:list')}?{urlencode(kept)}" if kept else reverse("employers:list")


# ---------------------------------------------------------------- queries


def _census(today: datetime.date) -> list[dict[str, Any]]:
    """One row per (township, industry section, grade in force) with its employers, those
    waiting for review and those overdue: one GROUP BY over employers and their grade."""
    official = Coalesce("current_grade__decision__decided_grade", "current_grade__grade")
    pending = Q(current_grade__needs_review=True, current_grade__decision__isnull=True)
    return list(
        Employer.objects.order_by()
        .values(
            "township",
            section=Upper(Substr("industry_code", 1, 1)),
            official=Coalesce(official, Value(UNGRADED), output_field=CharField()),
        )
        .annotate(
            n=Count("pk"),
            pending=Count("pk", filter=pending),
            overdue=Count("pk", filter=Q(current_grade__next_change_on__lte=today)),
        )
    )


def _movement() -> dict[str, Any]:
    """第十三条: how grades moved from the second-latest approved run to the latest one."""
    runs = list(
        EvaluationRun.objects.filter(status=EvaluationRun.Status.APPROVED).order_by(
            "-as_of", "-id"
        )[:2]
    )
    if len(runs) < 2:
        return {"available": False, "runs": runs}
    latest, earlier = runs
    if latest.previous_id == earlier.pk:
        # The draft already holds each employer's result in the earlier run.
        before: Any = F("previous_grade")
    else:
        before = Coalesce(
            Subquery(
                RunResult.objects.filter(run=earlier, employer_id=OuterRef("employer_id"))
                .order_by()
                .values("grade")[:1]
            ),
            Value(""),
            output_field=CharField(),
        )
    rows = (
        RunResult.objects.filter(run=latest)
        .order_by()
        .values(before_grade=before, after_grade=F("grade"))
        .annotate(n=Count("pk"))
    )
    pairs: Counter[tuple[str, str]] = Counter()
    for row in rows:
        pairs[(row["before_grade"] or "", row["after_grade"])] += row["n"]
    return {"available": True, **_transitions(pairs, earlier=earlier, latest=latest)}


def _transitions(
    pairs: Counter[tuple[str, str]], *, earlier: EvaluationRun, latest: EvaluationRun
) -> dict[str, Any]:
    largest = max((n for (a, _), n in pairs.items() if a), default=0)
    up = down = same = 0
    matrix: list[dict[str, Any]] = []
    for before in GRADES:
        cells: list[dict[str, Any]] = []
        for after in GRADES:
            n = pairs[(before, after)]
            rank_change = Grade(after).rank - Grade(before).rank
            if rank_change > 0:
                up += n
                kind = "up"
            elif rank_change < 0:
                down += n
                kind = "down"
            else:
                same += n
                kind = "same"
            cells.append(
                {
                    "to": after,
                    "n": n,
                    "kind": kind,
                    # Shading in six steps (CSS .heat-0 … .heat-5), by share of the largest cell.
                    "heat": 0 if not n else 1 + (4 * n) // largest,
                    "label": f"由{_grade_name(before)}到{_grade_name(after)}：{n} 家",
                }
            )
        total = sum(c["n"] for c in cells)
        matrix.append(
            {"from": before, "from_name": _grade_name(before), "cells": cells, "total": total}
        )
    compared = up + down + same
    newcomers = sum(n for (before, _), n in pairs.items() if not before)
    totals: list[dict[str, Any]] = [
        {"key": "up", "label": "等级上升", "n": up, "percent": _percent(up, compared)},
        {"key": "down", "label": "等级下降", "n": down, "percent": _percent(down, compared)},
        {"key": "same", "label": "等级不变", "n": same, "percent": _percent(same, compared)},
    ]
    return {
        "earlier": earlier,
        "latest": latest,
        "grades": [{"code": g, "name": _grade_name(g)} for g in GRADES],
        "matrix": matrix,
        "column_totals": [sum(row["cells"][i]["n"] for row in matrix) for i in range(len(GRADES))],
        "compared": compared,
        "newcomers": newcomers,
        "totals": totals,
        "chart": _bar_row_chart(
            [(t["label"], t["n"], MOVE_COLOURS[t["key"]]) for t in totals], whole=compared
        ),
    }


# ---------------------------------------------------------------- chart geometry


def _donut(counts: dict[str, int], total: int) -> dict[str, Any]:
    """A ring of the grades: circles whose dash is the share (circumference 100, starts at 12 o'clock)."""
    segments = []
    start = 0.0
    for grade in (*GRADES, UNGRADED):
        n = counts.get(grade, 0)
        if not n:
            continue
        share = n * 100 / total
        segments.append(
            {
                "grade": grade,
                "colour": COLOURS[grade],
                "dash": f"{share:.3f} {100 - share:.3f}",
                "offset": f"{25 - start:.3f}",
                "url": _list_url(grade=grade) if grade else "",
                "title": f"{_grade_name(grade)}：{n} 家，占 {_percent(n, total)}",
            }
        )
        start += share
    return {"segments": segments, "total": total}


CHART_WIDTH = 1100
ROW_HEIGHT = 24
ROW_GAP = 8
TOP = 4


def _stacked_bars(
    rows: list[dict[str, Any]], *, filter_name: str, label_width: int
) -> dict[str, Any]:
    """Horizontal bars, one per township or industry section, in segments per grade; lengths
    are to scale across rows (the longest row fills the width) so size and mix both show."""
    bar_left = label_width + 8
    bar_room = CHART_WIDTH - bar_left - 70  # room for the total after the bar
    longest = max((row["total"] for row in rows), default=0)
    placed = []
    for index, row in enumerate(rows):
        y = TOP + index * (ROW_HEIGHT + ROW_GAP)
        x = float(bar_left)
        segments = []
        for grade in (*GRADES, UNGRADED):
            n = row["counts"].get(grade, 0)
            if not n:
                continue
            width = n * bar_room / longest
            url = ""
            if row["key"] and grade:
                url = _list_url(**{filter_name: row["key"], "grade": grade})
            segments.append(
                {
                    "x": f"{x:.2f}",
                    "width": f"{width:.2f}",
                    "colour": COLOURS[grade],
                    "n": n,
                    "text_x": f"{x + width / 2:.2f}",
                    "show_n": width >= 8 * len(str(n)) + 6,
                    "url": url,
                    "title": f"{row['label']} {_grade_name(grade)}：{n} 家，"
                    f"占本行 {_percent(n, row['total'])}",
                }
            )
            x += width
        placed.append(
            {
                **row,
                "y": y,
                "text_y": y + ROW_HEIGHT / 2 + 5,
                "label_x": label_width,
                "total_x": f"{x + 6:.2f}",
                "segments": segments,
            }
        )
    height = TOP * 2 + len(rows) * (ROW_HEIGHT + ROW_GAP)
    return {"rows": placed, "width": CHART_WIDTH, "height": height, "row_height": ROW_HEIGHT}


def _bar_row_chart(items: list[tuple[str, int, str]], *, whole: int) -> dict[str, Any]:
    """Simple horizontal bars (label, count, colour) against a common whole."""
    label_width, room = 90, 420
    bars = []
    for index, (label, n, colour) in enumerate(items):
        y = TOP + index * (ROW_HEIGHT + ROW_GAP)
        width = n * room / whole if whole else 0
        bars.append(
            {
                "label": label,
                "n": n,
                "colour": colour,
                "y": y,
                "text_y": y + ROW_HEIGHT / 2 + 5,
                "x": label_width + 8,
                "width": f"{width:.2f}",
                "end_x": f"{label_width + 8 + width + 6:.2f}",
                "percent": _percent(n, whole),
            }
        )
    return {
        "bars": bars,
        "label_x": label_width,
        "width": label_width + 8 + room + 110,
        "height": TOP * 2 + len(items) * (ROW_HEIGHT + ROW_GAP),
        "row_height": ROW_HEIGHT,
    }


# ---------------------------------------------------------------- the page


def _breakdown(
    census: list[dict[str, Any]], field: str, order: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """Counts per grade for each value of `field`, in the reference order; values outside it
    (an unfilled township, an unknown section) come last under their own label."""
    counts: dict[str, Counter[str]] = {}
    for row in census:
        counts.setdefault(row[field] or "", Counter())[row["official"]] += row["n"]
    known = dict(order)
    rows = []
    for key, label in order:
        if key in counts:
            rows.append((key, label, counts[key]))
    extra: Counter[str] = Counter()
    for key, counter in counts.items():
        if key not in known:
            extra.update(counter)
    if extra:
        rows.append(("", "未填写或无法识别", extra))
    return [
        {
            "key": key,
            "label": label,
            "counts": dict(counter),
            "total": sum(counter.values()),
            "url": _list_url(**{_FILTER[field]: key}) if key else "",
            "cells": [
                {
                    "grade": g,
                    "n": counter.get(g, 0),
                    "url": _list_url(**{_FILTER[field]: key, "grade": g}) if key and g else "",
                }
                for g in (*GRADES, UNGRADED)
            ],
        }
        for key, label, counter in rows
    ]


_FILTER = {"township": "township", "section": "industry"}


def dashboard(*, today: datetime.date) -> dict[str, Any]:
    """Everything the 统计看板 shows on `today`."""
    census = _census(today)
    by_grade: Counter[str] = Counter()
    for row in census:
        by_grade[row["official"]] += row["n"]
    total = sum(by_grade.values())
    graded = total - by_grade[UNGRADED]
    townships = _breakdown(census, "township", [(t, t) for t in TOWNSHIPS])
    sections = _breakdown(
        census, "section", [(code, f"{code} {name}") for code, name in INDUSTRY_SECTIONS.items()]
    )
    drafts = list(
        EvaluationRun.objects.filter(status=EvaluationRun.Status.DRAFT)
        .order_by("-as_of", "-id")
        .values("pk", "as_of", "created_at", "created_by", "employer_count")
    )
    return {
        "today": today,
        "total": total,
        "graded": graded,
        "ungraded": by_grade[UNGRADED],
        "pending_review": sum(row["pending"] for row in census),
        "overdue": sum(row["overdue"] for row in census),
        "review_url": _list_url(needs_review="1"),
        "drafts": drafts,
        "grades": [
            {
                "code": grade,
                "name": _grade_name(grade),
                "colour": COLOURS[grade],
                "slug": SLUGS[grade],
                "n": by_grade[grade],
                "percent": _percent(by_grade[grade], total),
                "url": _list_url(grade=grade) if grade else "",
            }
            for grade in (*GRADES, UNGRADED)
        ],
        "donut": _donut(by_grade, total),
        "legend": [
            {"code": g, "name": _grade_name(g), "slug": SLUGS[g]} for g in (*GRADES, UNGRADED)
        ],
        "townships": townships,
        "township_chart": _stacked_bars(townships, filter_name="township", label_width=120),
        "sections": sections,
        "section_chart": _stacked_bars(sections, filter_name="industry", label_width=260),
        "movement": _movement(),
        # 第二十条: late and failing pushes; one query, made only when the page shows the card.
        "pushes": SimpleLazyObject(lambda: push_alerts(today=today)),
        # 第二十一条: adjustments due after a repair, and those past their 5 working days.
        "repairs": repair_due_counts(as_of=today),
    }
