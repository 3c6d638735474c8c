"""Login with password and TOTP (IA1–IA4), logout, password change, and account management (AC1).

Every view checks its permission itself (403 for a logged-in account without it).
"""

from __future__ import annotations

import base64
import functools
import time
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import (
    authenticate,
    get_user_model,
    login,
    logout,
    update_session_auth_hash,
)
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from laborcredit.accounts import services
from laborcredit.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    RoleForm,
    TokenForm,
    UserCreateForm,
)
from laborcredit.accounts.lockout import wrong_current_password
from laborcredit.accounts.roles import ROLES, role_label
from laborcredit.audit.services import audit_append
from laborcredit.lib.errors import Refused

User = get_user_model()

BAD_LOGIN = "账号或密码不正确"  # IA2: never says which of the two was wrong
LOCKED = "登录失败次数过多，已暂停登录 30 分钟，请稍后再试"
PENDING = (
    "laborcredit_pending_login"  # user id, backend, time: the password is right, the code is due
)
PENDING_SECONDS = 300


def permission_required(permission: str) -> Callable[..., Any]:
    """Anonymous → the login page; logged in without the permission → 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _login_page(
    request: HttpRequest, form: LoginForm, error: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "error": error,
            "expired": "expired" in request.GET,
            "require_2fa": settings.LABORCREDIT_REQUIRE_2FA,
            "next": request.POST.get("next") or request.GET.get("next") or "",
        },
        status=status,
    )


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any) -> HttpResponse:
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): the login page with a generic message."""
    return _login_page(request, LoginForm(), LOCKED, status=429)


def login_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _login_page(request, LoginForm())
    form = LoginForm(request.POST)
    if not form.is_valid():
        return _login_page(request, form, BAD_LOGIN)
    username = form.cleaned_data["username"]
    user = authenticate(request, username=username, password=form.cleaned_data["password"])
    if user is not None and hasattr(user, "employer_account"):
        # 第十八条: an employer logs in on the portal (/portal/login/), never here; counted as a failure.
        user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
        user = None
    if user is None:
        with transaction.atomic():
            audit_append(
                event="login_failed",
                object_type="user",
                object_id=services.safe_username(username),
                outcome="denied" if getattr(request, "axes_locked_out", False) else "failure",
                data={"factor": "password"},
            )
        return _login_page(request, LoginForm(initial={"username": username}), BAD_LOGIN)
    if not settings.LABORCREDIT_REQUIRE_2FA:
        return _complete_login(request, user, device=None)
    request.session.cycle_key()
    request.session[PENDING] = {"user": user.pk, "backend": user.backend, "at": time.time()}
    return redirect(f"{reverse('accounts:otp')}?next={_next_url(request)}")


def _complete_login(request: HttpRequest, user: Any, device: Any) -> HttpResponse:
    request.session.pop(PENDING, None)
    login(request, user)
    if device is not None:
        otp_login(request, device)
    with transaction.atomic():
        audit_append(
            event="login",
            object_type="user",
            object_id=user.username,
            data={"second_factor": "totp" if device is not None else "none"},
        )
    return redirect(_next_url(request))


def _pending_user(request: HttpRequest) -> Any:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def otp_view(request: HttpRequest) -> HttpResponse:
    """IA4: the second factor; at first login the TOTP device is enrolled (QR code and secret)."""
    user = _pending_user(request)
    if user is None:
        request.session.pop(PENDING, None)
        return redirect(reverse("accounts:login"))
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        request.session.pop(PENDING, None)
        return locked_out(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="默认", confirmed=False)
    form = TokenForm(request.POST or None)
    error = ""
    if request.method == "POST":
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            return _complete_login(request, user, device)
        error = "验证码不正确或已使用过，请输入验证器上的新验证码"
        with transaction.atomic():
            audit_append(
                event="login_failed",
                object_type="user",
                object_id=user.username,
                data={"factor": "totp"},
            )
        # IA2: a wrong code is a failed login like a wrong password; the 5th locks (axes).
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            request.session.pop(PENDING, None)
            return locked_out(request)
    context = {"form": form, "error": error, "enrolling": enrolling, "next": _next_url(request)}
    if enrolling:
        context["secret"] = base64.b32encode(device.bin_key).decode("ascii")
        context["qr_svg"] = mark_safe(_qr_svg(device.config_url))  # made here, not from input
    return render(request, "accounts/otp.html", context)


def logout_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "accounts/logout.html")
    if request.user.is_authenticated:
        with transaction.atomic():
            audit_append(event="logout", object_type="user", object_id=request.user.username)
    logout(request)  # IA3: flushes the server-side session
    return redirect(reverse("accounts:login"))


def password_change_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(reverse("accounts:login"))
    form = PasswordChangeForm(request.POST or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
                actor=request.user,
                keep_session=request.session.session_key,
            )
        except Refused as refused:
            if refused.codes == ["wrong-password"] and wrong_current_password(request, "staff"):
                return locked_out(request)
            problems = [p.message for p in refused.problems]
        else:
            update_session_auth_hash(request, request.user)
            return redirect(reverse(settings.LOGIN_REDIRECT_URL))
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "problems": problems, "why": request.GET.get("why", "")},
    )


@permission_required("auth.view_user")
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.order_by("username").prefetch_related("groups")
    rows = [
        {
            "user": user,
            "roles": "、".join(role_label(g.name) for g in user.groups.all() if g.name in ROLES),
        }
        for user in users
    ]
    return render(request, "accounts/user_list.html", {"rows": rows})


@permission_required("auth.add_user")
def user_create_view(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.user_create(actor=request.user, **form.cleaned_data)
        except Refused as refused:
            problems = [p.message for p in refused.problems]
        else:
            return redirect(reverse("accounts:user_list"))
    return render(request, "accounts/user_create.html", {"form": form, "problems": problems})


@require_POST
@permission_required("auth.change_user")
def user_disable_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    try:
        services.user_disable(user=user, actor=request.user)
    except Refused as refused:
        return render(
            request,
            "accounts/user_list.html",
            {"rows": [], "problems": [p.message for p in refused.problems]},
            status=400,
        )
    return redirect(reverse("accounts:user_list"))


@permission_required("accounts.assign_roles")
def user_roles(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = RoleForm(request.POST or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        change = (
            services.role_assign
            if form.cleaned_data["action"] == "assign"
            else services.role_revoke
        )
        try:
            change(user=user, role=form.cleaned_data["role"], actor=request.user)
        except Refused as refused:
            problems = [p.message for p in refused.problems]
            status = 400
        else:
            return redirect(reverse("accounts:user_roles", args=[user.pk]))
    elif request.method == "POST":
        problems = [str(e) for errors in form.errors.values() for e in errors]
        status = 400
    held = [role_label(code) for code in services.role_codes(user)]
    return render(
        request,
        "accounts/user_roles.html",
        {"account": user, "held": held, "form": form, "problems": problems},
        status=status,
    )
