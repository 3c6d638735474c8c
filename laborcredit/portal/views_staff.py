"""The bureau's side of the portal (第十八条): credit officers open employer accounts, hand over
one-time activation codes, disable accounts and enable them again. Staff pages on the staff
site's template."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from laborcredit.accounts.views import permission_required
from laborcredit.credit.models import Employer
from laborcredit.lib.errors import Refused
from laborcredit.portal import selectors, services
from laborcredit.portal.forms import AccountCreateForm
from laborcredit.portal.models import EmployerAccount


def _account(pk: int) -> EmployerAccount:
    account = EmployerAccount.objects.select_related("employer", "user").filter(pk=pk).first()
    if account is None:
        raise Http404("未找到该用人单位账号")
    return account


def _code_page(
    request: HttpRequest, account: EmployerAccount, code: str, first: bool, enabled: bool = False
) -> HttpResponse:
    """The code, shown this once, with its expiry, to print and hand over."""
    return render(
        request,
        "portal/staff/code.html",
        {
            "account": account,
            "code": code,
            "expires": services.activation_code_expiry(account),
            "first": first,
            "enabled": enabled,
            "activate_url": request.build_absolute_uri(reverse("portal:activate")),
        },
    )


@permission_required("portal.view_employeraccount")
def staff_accounts(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    return render(
        request,
        "portal/staff/accounts.html",
        {
            "rows": selectors.account_rows(query=query),
            "query": query,
            "form": AccountCreateForm(),
            "now": timezone.now(),
        },
    )


@never_cache
@permission_required("portal.add_employeraccount")
def staff_account_create(request: HttpRequest) -> HttpResponse:
    form = AccountCreateForm(request.POST or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            code = services.normalise_uscc(form.cleaned_data["uscc"])
            employer = Employer.objects.filter(uscc=code).first() if code else None
            if code is None:
                problems = ["统一社会信用代码无效（GB 32100-2015），请核对"]
            elif employer is None:
                problems = [f"未找到统一社会信用代码为 {code} 的用人单位，请先登记该单位"]
            else:
                try:
                    account, activation = services.employer_account_create(
                        employer=employer, actor=request.user
                    )
                except Refused as refused:
                    problems = [p.message for p in refused.problems]
                else:
                    return _code_page(request, account, activation or "", first=True)
        status = 400
    return render(
        request,
        "portal/staff/account_create.html",
        {"form": form, "problems": problems},
        status=status,
    )


@never_cache
@require_POST
@permission_required("portal.change_employeraccount")
def staff_account_code(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(pk)
    try:
        code = services.activation_code_issue(account=account, actor=request.user)
    except Refused as refused:
        return _refused(request, refused)
    return _code_page(request, account, code, first=False)


@require_POST
@permission_required("portal.change_employeraccount")
def staff_account_disable(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(pk)
    try:
        services.employer_account_disable(account=account, actor=request.user)
    except Refused as refused:
        return _refused(request, refused)
    return redirect(reverse("portal:staff_accounts"))


@never_cache
@require_POST
@permission_required("portal.change_employeraccount")
def staff_account_enable(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(pk)
    try:
        code = services.employer_account_enable(account=account, actor=request.user)
    except Refused as refused:
        return _refused(request, refused)
    return _code_page(request, account, code, first=False, enabled=True)


def _refused(request: HttpRequest, refused: Refused) -> HttpResponse:
    return render(
        request,
        "portal/staff/accounts.html",
        {
            "rows": selectors.account_rows(),
            "query": "",
            "form": AccountCreateForm(),
            "problems": [p.message for p in refused.problems],
            "now": timezone.now(),
        },
        status=400,
    )
