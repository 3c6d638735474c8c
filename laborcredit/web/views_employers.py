"""The employer pages: the list with search and export, and one employer's credit file."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from laborcredit.credit.exporting import export_file
from laborcredit.credit.selectors import COUNT_CAP, employer_filter, employer_search
from laborcredit.lib.errors import Refused
from laborcredit.web import employer_selectors
from laborcredit.web.services import personal_info_view

FILTERS = ("q", "grade", "township", "industry", "needs_review", "order")
EXPORT_KINDS = {"employers": "用人单位基础信息", "grades": "信用等级"}


def _search_arguments(params) -> dict:  # type: ignore[no-untyped-def]
    review = params.get("needs_review", "")
    return {
        "query": params.get("q", "").strip(),
        "grade": params.get("grade") or None,
        "township": params.get("township") or None,
        "industry": params.get("industry") or None,
        "needs_review": {"1": True, "0": False}.get(review),
    }


@login_required
@permission_required("credit.view_employer", raise_exception=True)
def employer_list(request: HttpRequest) -> HttpResponse:
    """用人单位: search, filters, sorting and keyset pages (`after` is the next page's cursor)."""
    params = request.GET
    chosen = {name: params.get(name, "") for name in FILTERS}
    chosen["order"] = chosen["order"] or "name"
    after = params.get("after") or None
    context = {"chosen": chosen, "after": after, **employer_selectors.filter_choices()}
    try:
        page = employer_search(
            **_search_arguments(params), order=chosen["order"], after=after, limit=50
        )
    except Refused as refused:
        context["problems"] = [p.message for p in refused.problems]
        return render(request, "web/employers/list.html", context, status=400)
    kept = {k: v for k, v in chosen.items() if v}
    context.update(
        rows=employer_selectors.employer_rows(page.employers),
        total=page.total_display,
        next_url=f"?{urlencode({**kept, 'after': page.next_cursor})}" if page.next_cursor else "",
        first_url=f"?{urlencode(kept)}",
        export_kinds=EXPORT_KINDS,
        filtered=any(v for k, v in kept.items() if k != "order"),
    )
    return render(request, "web/employers/list.html", context)


@login_required
@permission_required("credit.view_creditrecord", raise_exception=True)
@require_POST
def employer_export(request: HttpRequest) -> HttpResponse:
    """The current selection as .xlsx, masked and audited (IN2, AC3)."""
    kind = request.POST.get("kind", "grades")
    if kind not in EXPORT_KINDS:
        kind = "grades"
    arguments = _search_arguments(request.POST)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        # AC3: every bulk export records its reason; a filter that matches everyone is no less bulk.
        return _export_refused(request, ["批量导出须填写导出事由，事由记入审计日志"])
    try:
        matching = employer_filter(**arguments)
        usccs = list(matching.order_by("id").values_list("uscc", flat=True)[: COUNT_CAP + 1])
    except Refused as refused:
        return _export_refused(request, [p.message for p in refused.problems])
    if not usccs:
        return _export_refused(request, ["当前查询没有符合条件的用人单位，无可导出的数据"])
    if len(usccs) > COUNT_CAP:
        return _export_refused(
            request, [f"当前查询超过 {COUNT_CAP} 家单位，请先缩小查询范围再导出"]
        )
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "export.xlsx"
        export_file(kind, target, fmt="xlsx", usccs=usccs, reason=reason)
        content = target.read_bytes()
    filename = f"{EXPORT_KINDS[kind]}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def _export_refused(request: HttpRequest, problems: list[str]) -> HttpResponse:
    """The list's page with the refusal, the search it was asked for kept in its form."""
    chosen = {name: request.POST.get(name, "") for name in FILTERS}
    chosen["order"] = chosen["order"] or "name"
    kept = {k: v for k, v in chosen.items() if v}
    context = {
        "problems": problems,
        "chosen": chosen,
        "back_url": f"?{urlencode(kept)}",
        **employer_selectors.filter_choices(),
    }
    return render(request, "web/employers/list.html", context, status=400)


@login_required
@permission_required("credit.view_creditrecord", raise_exception=True)
def credit_file(request: HttpRequest, uscc: str) -> HttpResponse:
    """信用档案: basic information, the grade and its basis, its history, and the records."""
    employer = employer_selectors.employer_by_code(uscc)
    unmasked = request.user.has_perm("credit.view_personal_info")
    if unmasked:
        personal_info_view(employer=employer)
    context = employer_selectors.credit_file(employer=employer, unmasked=unmasked)
    return render(request, "web/employers/credit_file.html", context)
