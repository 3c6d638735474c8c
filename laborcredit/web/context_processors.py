from __future__ import annotations

from typing import Any


def menu(request: Any) -> dict[str, Any]:
    """Which menu item the page belongs to (its URL namespace, else its name), for aria-current."""
    match = getattr(request, "resolver_match", None)
    if match is None:  # error pages
        return {"menu_here": "", "menu_page": ""}
    return {"menu_here": match.namespace or match.url_name or "", "menu_page": match.url_name or ""}
