"""The seam for the province's single sign-on (河南省统一身份认证) through OpenID Connect.

Nothing here talks to an identity provider: the portal has no relying party yet.
A deployment that adds one sets LABORCREDIT_PORTAL_OIDC, for example::

    LABORCREDIT_PORTAL_OIDC = {
        "start_url": "/portal/oidc/authenticate/",  # the relying party's login start, mounted
        "uscc_claim": "uscc",                         # the ID-token claim with 统一社会信用代码
    }

and has the relying party's authentication backend call
`laborcredit.portal.services.account_for_verified_claim(claims)` with the claims
of a verified ID token, logging in the user of the account it returns (None:
refuse). Unset (the default), the login page shows no single sign-on entry.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULT_USCC_CLAIM = "uscc"


def oidc_settings() -> dict[str, Any] | None:
    value = getattr(settings, "LABORCREDIT_PORTAL_OIDC", None)
    if not isinstance(value, dict) or not value.get("start_url"):
        return None
    return value


def uscc_claim_name() -> str:
    configured = oidc_settings() or {}
    return str(configured.get("uscc_claim") or DEFAULT_USCC_CLAIM)


def sso_start_url() -> str:
    """Where the "使用河南省统一身份认证登录" entry leads; "" when single sign-on is not configured."""
    configured = oidc_settings()
    return str(configured["start_url"]) if configured else ""
