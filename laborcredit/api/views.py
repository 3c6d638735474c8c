"""/apikeys/: the system administrator's page of API keys (第六条): list, create, revoke."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from laborcredit.accounts.views import permission_required
from laborcredit.api.forms import ApiKeyForm
from laborcredit.api.models import ApiKey
from laborcredit.api.services import apikey_create, apikey_revoke
from laborcredit.lib.errors import Refused


def _page(
    request: HttpRequest, form: ApiKeyForm | None = None, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {"keys": ApiKey.objects.all(), "form": form or ApiKeyForm(), **extra}
    response = render(request, "api/keys.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("api.view_apikey")
def keys(request: HttpRequest) -> HttpResponse:
    """接口密钥: every key with its scopes, expiry and state; creating one shows it once."""
    if request.method != "POST":
        return _page(request)
    if not request.user.has_perm("api.add_apikey"):
        raise PermissionDenied
    form = ApiKeyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = apikey_create(
                department=data["department"],
                scopes=data["scopes"],
                expires_on=data["expires"],
                rate_limit_per_minute=data["rate"],
                actor=request.user.get_username(),
            )
        except Refused as refused:
            form.show_problems(refused.problems)
        else:
            return _page(request, made=made)
    return _page(request, form, status=400)


@require_POST
@permission_required("api.change_apikey")
def revoke(request: HttpRequest, prefix: str) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        messages.error(request, "吊销不可恢复：请勾选“确认吊销”后再提交。")
        return redirect("apikeys:list")
    try:
        key = apikey_revoke(prefix=prefix, actor=request.user.get_username())
    except Refused as refused:
        messages.error(request, "；".join(p.message for p in refused.problems))
    else:
        messages.success(
            request, f"已吊销{key.department}的接口密钥 {key.prefix}，其后的调用一律拒绝。"
        )
    return redirect("apikeys:list")
