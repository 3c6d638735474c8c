"""The department API at /api/v1/ (`laborcredit.api.v1`), each call audited, with its Chinese
description at /api/v1/docs (`laborcredit.api.docs`); and /apikeys/, the system
administrator's page of keys. Mounted at the site's root, first (laborcredit/urls.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, include, path, re_path

from laborcredit.api import views
from laborcredit.api.services import api_call_audit
from laborcredit.api.v1 import api
from laborcredit.audit.context import AuditContext, new_request_id, resolved_by
from laborcredit.audit.middleware import client_address

BODY_MAX = 1024 * 1024  # bytes; a batch of 1,000 codes is about 25 KB
_JSON = {"ensure_ascii": False}
_UNAUDITED = {"openapi-json", "openapi-view", "api-root"}

_STATUS_CODES = {
    400: ("bad-request", "请求无法解析"),
    404: ("not-found", "请求的资源不存在"),
    405: ("method-not-allowed", "该接口不接受此请求方法"),
    413: ("body-too-large", f"请求体过大：不能超过 {BODY_MAX // 1024} KB"),
}


def _json_error(status: int) -> JsonResponse:
    code, message = _STATUS_CODES.get(status, ("request-refused", "请求无法处理"))
    return JsonResponse({"code": code, "message": message}, status=status, json_dumps_params=_JSON)


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _error_code(response: HttpResponse) -> str:
    if response.status_code < 400 or not response.get("Content-Type", "").startswith(
        "application/json"
    ):
        return ""
    try:
        body = json.loads(response.content)
    except ValueError:
        return ""
    return str(body.get("code", "")) if isinstance(body, dict) else ""


def audited(view: Callable[..., HttpResponse], name: str) -> Callable[..., HttpResponse]:
    """One audit entry per call (AU1), refused calls included; oversize bodies refused with 413
    before they are read; every error JSON."""

    @wraps(view)
    def call(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.api_key = None  # type: ignore[attr-defined]
        request.api_employers = []  # type: ignore[attr-defined]
        address = client_address(request)
        request_id = getattr(request, "audit_request_id", "") or new_request_id()

        def context() -> AuditContext:
            key = request.api_key  # type: ignore[attr-defined]
            actor = f"api:{key.department}"[:150] if key is not None else ""
            return AuditContext(actor=actor, role="接口", address=address, request_id=request_id)

        with resolved_by(context):
            if _content_length(request) > BODY_MAX:
                response: HttpResponse = _json_error(413)
            else:
                response = view(request, *args, **kwargs)
            if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
                "application/json"
            ):
                response = _json_error(response.status_code)
            key = request.api_key  # type: ignore[attr-defined]
            employers = list(dict.fromkeys(request.api_employers))  # type: ignore[attr-defined]
            count = getattr(request, "api_employer_count", len(employers))
            api_call_audit(
                key_prefix=key.prefix if key is not None else "",
                department=key.department if key is not None else "",
                endpoint=name,
                method=request.method or "",
                status=response.status_code,
                code=_error_code(response),
                employers=employers,
                count=count,
            )
        return response

    return call


def root(request: HttpRequest, **kwargs: Any) -> JsonResponse:
    return JsonResponse(
        {"code": "not-found", "message": "此处没有接口；接口说明见 /api/v1/docs"},
        status=404,
        json_dumps_params=_JSON,
    )


def unknown(request: HttpRequest, rest: str = "") -> JsonResponse:
    return _json_error(404)


def _patterns() -> list[Any]:
    patterns, _app, _namespace = api.urls
    out: list[Any] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name == "api-root":
            pattern.callback = root  # ninja's own raises Http404, an HTML page
        elif isinstance(pattern, URLPattern) and pattern.name not in _UNAUDITED:
            pattern.callback = audited(pattern.callback, pattern.name or str(pattern.pattern))
        out.append(pattern)
    return out


v1_patterns = [
    *_patterns(),
    re_path(r"^(?P<rest>.*)$", unknown, name="unknown"),
]
key_patterns = [
    path("", views.keys, name="list"),
    path("<str:prefix>/revoke", views.revoke, name="revoke"),
]
urlpatterns = [
    path("api/v1/", include((v1_patterns, "api-v1"))),
    path("apikeys/", include((key_patterns, "apikeys"))),
]
