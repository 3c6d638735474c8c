"""The employer portal (第十八条–第二十一条): login, activation, and the employer's own pages.

Every page takes the employer from the logged-in account (`employer_required`),
never from the URL or a form: an id in a URL (an objection, an attachment) is
looked up among this employer's own rows only, and anything else is a 404.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from laborcredit.accounts.forms import PasswordChangeForm
from laborcredit.accounts.lockout import wrong_current_password
from laborcredit.accounts.services import safe_username
from laborcredit.audit.services import audit_append
from laborcredit.lib.errors import Refused
from laborcredit.objections.models import Channel
from laborcredit.portal import selectors, services
from laborcredit.portal.forms import ActivateForm, LoginForm, ObjectionForm
from laborcredit.portal.models import EmployerAccount, username_for
from laborcredit.portal.oidc import sso_start_url

BAD_LOGIN = "统一社会信用代码或密码不正确"  # IA2: never says which of the two was wrong
LOCKED = "登录失败次数过多，已暂停登录 30 分钟，请稍后再试"


def employer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous (or a disabled employer) → the portal login; a staff account → 403.

    The view receives the employer's `EmployerAccount` as `account`."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('portal:login')}?next={request.path}")
        account = selectors.account_of(user)
        if account is None:
            if EmployerAccount.objects.filter(user=user).exists():
                logout(request)  # disabled since it logged in
                return redirect(reverse("portal:login"))
            raise PermissionDenied  # a staff account: the portal is for employers only
        request.portal_account = account  # type: ignore[attr-defined]
        return view(request, *args, account=account, **kwargs)

    return wrapped


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/portal/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return reverse("portal:home")


def _login_page(
    request: HttpRequest, form: LoginForm, error: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "portal/login.html",
        {
            "form": form,
            "error": error,
            "expired": "expired" in request.GET,
            "next": request.POST.get("next") or request.GET.get("next") or "",
            "sso_url": sso_start_url(),
        },
        status=status,
    )


def _login_failed(request: HttpRequest, username: str, *, counted: bool) -> HttpResponse:
    if not counted:
        # IA2: a refusal after a right password still counts towards the lockout.
        user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    locked = getattr(request, "axes_locked_out", False)
    with transaction.atomic():
        audit_append(
            event="login_failed",
            object_type="user",
            object_id=safe_username(username),
            outcome="denied" if locked else "failure",
            data={"factor": "password", "site": "portal"},
        )
    if locked:
        # The portal answers a lockout with its own page; django-axes' handler (AxesMiddleware,
        # AXES_LOCKOUT_CALLABLE) would show the staff login instead.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        return _login_page(request, LoginForm(), LOCKED, status=429)
    typed = username.removeprefix("employer:")
    return _login_page(request, LoginForm(initial={"uscc": typed}), BAD_LOGIN)


@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """第十八条: the employer logs in with its credit code and password (no second factor)."""
    if request.method != "POST":
        return _login_page(request, LoginForm())
    form = LoginForm(request.POST)
    if not form.is_valid():
        return _login_page(request, form, BAD_LOGIN)
    typed = form.cleaned_data["uscc"].strip().upper()
    username = username_for(services.normalise_uscc(typed) or typed)
    user = authenticate(request, username=username, password=form.cleaned_data["password"])
    if user is None:
        return _login_failed(request, username, counted=True)
    if selectors.account_of(user) is None:
        return _login_failed(request, username, counted=False)  # staff, or disabled
    login(request, user)
    with transaction.atomic():
        audit_append(
            event="login",
            object_type="user",
            object_id=user.username,
            data={"second_factor": "none", "site": "portal"},
        )
    return redirect(_next_url(request))


@never_cache
def activate_view(request: HttpRequest) -> HttpResponse:
    """The employer sets its password with the one-time activation code the bureau gave it."""
    form = ActivateForm(request.POST or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.account_activate(
                    uscc=form.cleaned_data["uscc"],
                    code=form.cleaned_data["code"],
                    password=form.cleaned_data["password"],
                )
            except Refused as refused:
                problems = [p.message for p in refused.problems]
                status = 400
            else:
                return render(request, "portal/activated.html")
        else:
            status = 400
    return render(
        request, "portal/activate.html", {"form": form, "problems": problems}, status=status
    )


def logout_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "portal/logout.html")
    if request.user.is_authenticated:
        with transaction.atomic():
            audit_append(
                event="logout",
                object_type="user",
                object_id=request.user.username,
                data={"site": "portal"},
            )
    logout(request)  # IA3: flushes the server-side session
    return redirect(reverse("portal:login"))


@never_cache
@employer_required
def password_change(request: HttpRequest, account: EmployerAccount) -> HttpResponse:
    """The employer changes its own password: this browser stays logged in, every other ends."""
    form = PasswordChangeForm(request.POST or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.employer_password_change(
                    account=account,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password"],
                    keep_session=request.session.session_key,
                )
            except Refused as refused:
                if refused.codes == ["wrong-password"] and wrong_current_password(
                    request, "portal"
                ):
                    request.axes_locked_out = False  # type: ignore[attr-defined]  # as _login_failed
                    return _login_page(request, LoginForm(), LOCKED, status=429)
                problems = [p.message for p in refused.problems]
                status = 400
            else:
                # The user the service changed: its new hash keeps this session valid.
                update_session_auth_hash(request, account.user)
                messages.success(
                    request, "密码已修改。其他浏览器或设备上的登录已退出，今后请用新密码登录。"
                )
                return redirect(reverse("portal:password"))
        else:
            status = 400
    return render(
        request,
        "portal/password.html",
        {"employer": account.employer, "form": form, "problems": problems, "here": "password"},
        status=status,
    )


@employer_required
def home(request: HttpRequest, account: EmployerAccount) -> HttpResponse:
    """第十八条: the employer's grade, what it means, its basis and the measures that apply."""
    employer = account.employer
    return render(
        request,
        "portal/home.html",
        {"employer": employer, "grade": selectors.grade_overview(employer), "here": "home"},
    )


@employer_required
def records(request: HttpRequest, account: EmployerAccount) -> HttpResponse:
    """The employer's own credit records that it may see (never 仅内部使用)."""
    employer = account.employer
    return render(
        request,
        "portal/records.html",
        {"employer": employer, "groups": selectors.record_groups(employer), "here": "records"},
    )


@employer_required
def history(request: HttpRequest, account: EmployerAccount) -> HttpResponse:
    """第十三条 动态调整: the employer's grade history."""
    employer = account.employer
    return render(
        request,
        "portal/history.html",
        {"employer": employer, "history": selectors.grade_history(employer), "here": "history"},
    )


# ------------------------------------------------------------------ objections (第十九条、第二十条)


@employer_required
def objection_list(request: HttpRequest, account: EmployerAccount) -> HttpResponse:
    from laborcredit.objections.selectors import objection_view, objections_of
    from laborcredit.workdays.selectors import calendar

    cal = calendar()
    views = [objection_view(o, calendar=cal) for o in objections_of(employer=account.employer)]
    return render(
        request,
        "portal/objection_list.html",
        {"employer": account.employer, "views": views, "here": "objections"},
    )


def _record_choices(account: EmployerAccount) -> list[tuple[int, str]]:
    return [
        (record.pk, selectors.describe(record))
        for record in selectors.objectionable_records(account.employer)
    ]


@employer_required
def objection_new(request: HttpRequest, account: EmployerAccount) -> HttpResponse:
    """第十九条: the employer objects to its grade or to some of its own visible records."""
    from laborcredit.objections.services import objection_file

    choices = _record_choices(account)
    if request.method == "POST":
        form = ObjectionForm(request.POST, request.FILES, record_choices=choices)
    else:
        initial = {"subject": "records"} if request.GET.get("record") else {}
        if request.GET.get("record", "").isdigit():
            initial["records"] = [int(request.GET["record"])]
        form = ObjectionForm(initial=initial, record_choices=choices)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                objection = objection_file(
                    employer=account.employer,
                    subject=data["subject"],
                    records=data["records"] if data["subject"] == "records" else [],
                    reasons=data["reasons"],
                    attachments=data["attachments"],
                    actor=request.user.get_username(),
                )
            except Refused as refused:
                problems = [p.message for p in refused.problems]
                status = 400
            else:
                return redirect(reverse("portal:objection_detail", args=[objection.pk]))
        else:
            status = 400
    return render(
        request,
        "portal/objection_new.html",
        {
            "employer": account.employer,
            "form": form,
            "problems": problems,
            "has_records": bool(choices),
            "here": "objections",
        },
        status=status,
    )


def _timeline(view: Any, account: EmployerAccount) -> list[dict[str, Any]]:
    """The steps, each by 本单位 or 市人社局 (never a staff account's name); the notes of the
    bureau's inner steps are not shown, the notice to the employer is."""
    own = account.user.get_username()
    objection = view.objection
    rows = []
    for event in view.events:
        received = event.to_state == "received"
        row = {
            "at": event.at,
            "label": event.to_label,
            "by": "本单位" if event.actor == own else "市人社局",
            "note": event.note if received else "",
            "day_only": False,
        }
        if received and objection.channel != Channel.ONLINE:
            # A written objection counts from the day the bureau received it (第十九条), not
            # from when an officer entered it: that day is the step's date.
            row.update(at=objection.received_on, day_only=True,
                       note=f"{event.note}；{timezone.localtime(event.at):%Y-%m-%d %H:%M} 登记")  # fmt: skip
        rows.append(row)
    return rows


def _own_objection(account: EmployerAccount, pk: int) -> Any:
    from laborcredit.objections.selectors import objection_of

    objection = objection_of(employer=account.employer, pk=pk)
    if objection is None:
        raise Http404("未找到该异议申请")
    return objection


@employer_required
def objection_detail(request: HttpRequest, account: EmployerAccount, pk: int) -> HttpResponse:
    from laborcredit.objections.selectors import objection_view

    objection = _own_objection(account, pk)
    view = objection_view(objection)
    seen = selectors.visible_pks(account.employer)
    records = [
        {
            "title": selectors.describe(item.record),
            "resolution": item.get_resolution_display() if item.resolution else "",
            "result": selectors.describe(item.result)
            if item.result is not None and item.result.pk in seen
            else "",
        }
        for item in view.records
        if item.record.pk in seen
    ]
    return render(
        request,
        "portal/objection_detail.html",
        {
            "employer": account.employer,
            "view": view,
            "objection": objection,
            "timeline": _timeline(view, account),
            "records": records,
            "here": "objections",
        },
    )


@employer_required
def objection_attachment(
    request: HttpRequest, account: EmployerAccount, pk: int, attachment_pk: int
) -> HttpResponse:
    """One attachment of the employer's own objection, for the employer alone (audited)."""
    from laborcredit.objections.selectors import attachment_of
    from laborcredit.objections.services import objection_attachment_open

    objection = _own_objection(account, pk)
    attachment = attachment_of(objection=objection, pk=attachment_pk)
    if attachment is None:
        raise Http404("未找到该附件")
    try:
        path = objection_attachment_open(attachment=attachment, actor=request.user.get_username())
    except Refused:
        raise Http404("附件文件不存在") from None
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=attachment.download_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------ credit report (第十八条、第六条)


@employer_required
def credit_report(request: HttpRequest, account: EmployerAccount) -> HttpResponse:
    """第十八条: the employer's own credit report as a PDF with a verification code (POST: each
    download is an issued, audited report)."""
    from laborcredit.reports.services import report_issue
    from laborcredit.reports.views import credit_report_response

    if request.method != "POST":
        return redirect(reverse("portal:home"))
    try:
        report = report_issue(
            employer=account.employer,
            actor=request.user.get_username(),
            channel="portal",
            verify_url=request.build_absolute_uri(reverse("reports:verify")),
        )
    except Refused as refused:
        return render(
            request,
            "portal/home.html",
            {
                "employer": account.employer,
                "grade": selectors.grade_overview(account.employer),
                "here": "home",
                "report_problems": [p.message for p in refused.problems],
            },
            status=503,
        )
    return credit_report_response(report)


# ------------------------------------------------------------------ credit repair (第二十一条)


@employer_required
def repair(request: HttpRequest, account: EmployerAccount) -> HttpResponse:
    """第二十一条: what remains before a C for a penalty can be adjusted, and the earliest date."""
    from laborcredit.portal.repair_view import repair_context

    context = repair_context(account.employer)
    context.update(employer=account.employer, here="repair")
    return render(request, "portal/repair.html", context)
