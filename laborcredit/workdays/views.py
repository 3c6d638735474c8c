"""The holiday arrangements page (/workdays/): years known and entered, and entering a year."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from laborcredit.lib.errors import Refused
from laborcredit.rules.workdays import package_arrangements, package_years
from laborcredit.workdays.forms import ArrangementForm
from laborcredit.workdays.models import YearArrangement
from laborcredit.workdays.selectors import calendar
from laborcredit.workdays.services import arrangement_enter


def _page(
    request: HttpRequest, form: ArrangementForm | None = None, status: int = 200
) -> HttpResponse:
    today = datetime.date.today()
    current = calendar()
    known = sorted(package_years())
    history: dict[int, list[YearArrangement]] = {}
    for row in YearArrangement.objects.order_by("-year", "-version"):
        history.setdefault(row.year, []).append(row)
    coming = [
        {"year": year, "arranged": current.is_arranged(year), "package": year in known}
        for year in (today.year, today.year + 1)
    ]
    context: dict[str, Any] = {
        "first_known": known[0] if known else None,
        "last_known": known[-1] if known else None,
        "package_source": next(iter(package_arrangements().values())).source if known else "",
        "coming": coming,
        "entered": [{"latest": rows[0], "earlier": rows[1:]} for rows in history.values()],
        "form": form or ArrangementForm(initial={"year": (known[-1] + 1) if known else today.year}),
    }
    return render(request, "workdays/arrangements.html", context, status=status)


@login_required
@permission_required("workdays.view_yeararrangement", raise_exception=True)
def arrangements(request: HttpRequest) -> HttpResponse:
    """节假日安排: what the working-day deadlines are counted under, and entering a later year."""
    if request.method != "POST":
        return _page(request)
    if not request.user.has_perm("workdays.add_yeararrangement"):
        raise PermissionDenied
    form = ArrangementForm(request.POST)
    if form.is_valid():
        try:
            row = arrangement_enter(**form.cleaned_data, actor=request.user.get_username())
        except Refused as refused:
            form.show_problems(refused.problems)
        else:
            messages.success(
                request,
                f"已录入{row.year}年节假日安排第{row.version}版；此后显示的期限按新安排重新计算。",
            )
            return redirect("workdays:list")
    return _page(request, form, status=400)
