"""The address django-axes counts failed logins against (IA2), kept apart for the two sites.

IA2 locks an account and its source address after 5 failures. The employer portal (第十八条) is
public and its users share addresses behind the same proxies as anybody else's; without a
separation, five wrong passwords typed on the portal would lock the bureau's staff login from
that address too. So axes sees a portal login's address as a different one: a stable address
derived from it in a private IPv6 prefix (axes stores addresses in an IP field). Each site
keeps its own address lock; the audit log records the real address.
"""

from __future__ import annotations

import hashlib
import ipaddress
from typing import Any

from laborcredit.audit.middleware import client_address

PORTAL_PREFIX = "/portal/"
_PORTAL_NET = ipaddress.IPv6Network("fd70:6f72:7461:6c00::/64")  # "portal" in a ULA prefix


def portal_address(address: str) -> str:
    """The stand-in of `address` for portal logins: the same address always gives the same one."""
    low = int.from_bytes(hashlib.sha256(address.encode()).digest()[:8], "big")
    return str(_PORTAL_NET[low])


def axes_client_address(request: Any) -> str:
    address = client_address(request)
    if getattr(request, "path", "").startswith(PORTAL_PREFIX):
        return portal_address(address)
    return address


def wrong_current_password(request: Any, site: str) -> bool:
    """IA2 for a signed-in password change: a wrong current password is a failed login like
    a wrong password at the login page (else a borrowed or stolen session could guess the
    password without limit). Counted by django-axes and audited; the failure that locks the
    account also ends this session. Returns whether the account is now locked; the caller
    answers with its site's lockout page."""
    from django.contrib.auth import logout
    from django.contrib.auth.signals import user_login_failed
    from django.db import transaction

    from laborcredit.audit.services import audit_append

    username = request.user.get_username()
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    locked = bool(getattr(request, "axes_locked_out", False))
    with transaction.atomic():
        audit_append(
            event="login_failed",
            object_type="user",
            object_id=username,
            outcome="denied" if locked else "failure",
            data={"factor": "current_password", "site": site},
        )
    if locked:
        logout(request)  # IA3: the server-side session ends
    return locked
