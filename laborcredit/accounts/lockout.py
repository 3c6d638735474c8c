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
