"""The push page of the staff site (第六条、第二十条), mounted at /exchange/."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from laborcredit.accounts.views import permission_required
from laborcredit.exchange import selectors, services
from laborcredit.exchange.models import OutboxItem
from laborcredit.exchange.push import Config
from laborcredit.lib.errors import Refused

VIEW = "exchange.view_outboxitem"
CHANGE = "exchange.change_outboxitem"


_SETTING_NAMES = {"url": "接收地址", "app_id": "应用标识", "secret": "签名密钥"}


def _connection(config: Config) -> dict[str, Any]:
    """The platform connection in words an officer reads: configured or not, and what is missing.
    The settings' names are for the system administrator, in the README, not on this page."""
    missing = [label for field, label in _SETTING_NAMES.items() if not getattr(config, field)]
    return {"configured": not missing, "missing": missing}


@permission_required(VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    """推送情况: counts by state, failed items with their last error, late objection outcomes."""
    context = selectors.exchange_overview(today=timezone.localdate())
    context["connection"] = _connection(Config.from_settings())
    return render(request, "exchange/overview.html", context)


@require_POST
@permission_required(CHANGE)
def item_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer puts a failed item back in the queue."""
    item = get_object_or_404(OutboxItem, pk=pk)
    try:
        services.item_retry(item=item, actor=request.user.get_username())
    except Refused as refused:
        messages.error(request, refused.problems[0].message)
    else:
        messages.success(request, f"已重新加入推送队列：{item.idempotency_key}")
    return redirect("exchange:overview")
