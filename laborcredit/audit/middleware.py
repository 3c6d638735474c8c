"""Sets the audit context of every web request: user, role, source address, request id.

Place it after ``AuthenticationMiddleware``. The actor is read when an entry is
written, so a login or logout in the middle of the request is seen.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings

from laborcredit.audit.context import AuditContext, new_request_id, resolved_by

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id_of(request: Any) -> str:
    """The caller's X-Request-ID if it is a sane token, else a new one."""
    # From META, as request.headers would give it: the first use of request.headers builds a
    # mapping of every header, a cost on each API call that nothing else on its way needs.
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if _REQUEST_ID.fullmatch(given) else new_request_id()


def client_address(request: Any) -> str:
    """REMOTE_ADDR, or with LABORCREDIT_AUDIT_TRUSTED_PROXIES = n, the address the n-th proxy saw."""
    proxies = int(getattr(settings, "LABORCREDIT_AUDIT_TRUSTED_PROXIES", 0) or 0)
    address = request.META.get("REMOTE_ADDR", "") or ""
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            address = hops[-proxies]
    return address[:64]


class AuditContextMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        request_id = request_id_of(request)
        address = client_address(request)
        request.audit_request_id = request_id
        roles: dict[Any, str] = {}

        def resolve() -> AuditContext:
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                return AuditContext(actor="", role="", address=address, request_id=request_id)
            if user.pk not in roles:
                first = user.groups.order_by("name").values_list("name", flat=True).first()
                roles[user.pk] = first or ""
            return AuditContext(
                actor=user.get_username(),
                role=roles[user.pk],
                address=address,
                request_id=request_id,
            )

        with resolved_by(resolve):
            response = self.get_response(request)
        if "X-Request-ID" not in response:
            response["X-Request-ID"] = request_id
        return response
