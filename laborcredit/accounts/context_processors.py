from __future__ import annotations

from typing import Any

from laborcredit.accounts.roles import ROLES, role_label


def account(request: Any) -> dict[str, Any]:
    """The current account's roles, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"account_roles": ""}
    names = user.groups.filter(name__in=ROLES).order_by("name").values_list("name", flat=True)
    return {"account_roles": "、".join(role_label(name) for name in names)}
