from __future__ import annotations

from typing import Any


def menu(request: Any) -> dict[str, Any]:
    """Which menu item the page belongs to (its URL namespace, else its name), for aria-current."""
    # 第十八条: an error on the employer portal keeps the portal's own layout.
    site_base = "portal/base.html" if request.path.startswith("/portal/") else "web/base.html"
    match = getattr(request, "resolver_match", None)
    if match is None:  # error pages
        return {"menu_here": "", "menu_page": "", "site_base": site_base}
    return {
        "menu_here": match.namespace or match.url_name or "",
        "menu_page": match.url_name or "",
        "site_base": site_base,
    }
