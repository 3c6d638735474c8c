"""API keys and calls for the API tests."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from laborcredit.api.models import ApiKey
from laborcredit.api.services import apikey_create

ALL_SCOPES = ("read_grades", "read_records", "write_records")


def make_key(*scopes: str, department: str = "市市场监督管理局", rate: int = 1000, days: int = 30):
    """The full key (token) of a new key with `scopes` (all of them by default)."""
    with transaction.atomic():
        made = apikey_create(
            department=department,
            scopes=list(scopes or ALL_SCOPES),
            expires_on=timezone.localdate() + datetime.timedelta(days=days),
            rate_limit_per_minute=rate,
            actor="sysadmin",
        )
    return made.token


def expire(token: str) -> None:
    ApiKey.objects.filter(prefix=token.split("_")[1]).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def call(client, method: str, url: str, token: str | None = None, body: Any = None, **extra):  # type: ignore[no-untyped-def]
    if token is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if method == "GET":
        return client.get(url, **extra)
    data = body if isinstance(body, str | bytes) else json.dumps(body, ensure_ascii=False)
    return client.generic(method, url, data, content_type="application/json", **extra)
