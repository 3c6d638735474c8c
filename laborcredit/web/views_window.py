"""审批窗口: an employer's grade and the measures that apply, by its credit code (第十五条(一), 第十七条(一))."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from laborcredit.measures.selectors import window_check, window_employer
from laborcredit.rules.validation import check_uscc


@login_required
@permission_required("rating.view_employergrade", raise_exception=True)
def grade_lookup(request: HttpRequest) -> HttpResponse:
    """Type a code, see the grade and the measures; nothing of the credit file beyond that."""
    code = request.GET.get("code", "").strip().upper()
    context: dict[str, object] = {"code": code}
    status = 200
    if code:
        checked, problem = check_uscc(code)
        if problem is not None:
            context["problem"] = problem
            status = 400
        else:
            employer = window_employer(checked)  # type: ignore[arg-type]
            if employer is None:
                context["problem"] = f"未找到统一社会信用代码为 {checked} 的用人单位"
                status = 404
            else:
                # The same answer as GET /api/v1/window/<uscc> (laborcredit.measures.api).
                context.update(window_check(employer))
    return render(request, "web/window/lookup.html", context, status=status)
