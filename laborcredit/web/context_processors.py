from __future__ import annotations

from typing import Any

from laborcredit.accounts.signals import is_employer_account


def menu(request: Any) -> dict[str, Any]:
    """Which menu item the page belongs to (its URL namespace, else its name), for aria-current."""
    # 第十八条: an error on the employer portal keeps the portal's own layout, and so does a
    # page outside it that an employer may open (the report verification): never the staff's
    # header, with the staff's password and logout links.
    user = getattr(request, "user", None)
    portal = request.path.startswith("/portal/") or (
        user is not None and user.is_authenticated and is_employer_account(user)
    )
    site_base = "portal/base.html" if portal else "web/base.html"
    match = getattr(request, "resolver_match", None)
    if match is None:  # error pages
        return {"menu_here": "", "menu_page": "", "site_base": site_base}
    return {
        "menu_here": match.namespace or match.url_name or "",
        "menu_page": match.url_name or "",
        "site_base": site_base,
    }
