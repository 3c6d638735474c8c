"""Per-request account policy: absolute session lifetime (IA3), forced password change (IA1),
and the staff login as the only way in (IA4).

Place it after ``AuthenticationMiddleware`` and ``OTPMiddleware``. The idle
expiry needs nothing here: SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from laborcredit.accounts.models import AccountProfile
from laborcredit.accounts.signals import SESSION_LOGIN_AT

# Paths an employer account may open outside the portal (the public verification page).
_EMPLOYER_PREFIXES = ("/portal/", "/static/", "/healthz", "/reports/verify/")


def _is_employer(user: Any) -> bool:
    # By its name (a staff name cannot hold the prefix's colon): no query on every request.
    from laborcredit.portal.models import USERNAME_PREFIX

    return str(user.get_username()).startswith(USERNAME_PREFIX)


# Paths an account that must change its password may still open.
_OPEN_PREFIXES = ("/static/", "/healthz")


class AccountPolicyMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        path = request.path_info
        if path.startswith("/admin/login"):
            # Django's admin login knows no second factor: the staff login is the only door.
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': '/admin/'})}")
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        if self._session_too_old(request):
            logout(request)
            login_page = "portal:login" if path.startswith("/portal/") else "accounts:login"
            return redirect(f"{reverse(login_page)}?expired=1")
        if not path.startswith(_EMPLOYER_PREFIXES) and _is_employer(user):
            # 第十八条: an employer account belongs to the portal; the staff site is not its own.
            return redirect(reverse("portal:home"))
        if path.startswith("/admin/") and not user.is_staff:
            raise PermissionDenied  # AC1: deny by default, not a second login form
        if not path.startswith(_OPEN_PREFIXES) and path not in self._always_open():
            reason = self._password_reason(user)
            if reason:
                return redirect(
                    f"{reverse('accounts:password_change')}?{urlencode({'why': reason})}"
                )
        return self.get_response(request)

    @staticmethod
    def _always_open() -> set[str]:
        return {reverse("accounts:password_change"), reverse("accounts:logout")}

    @staticmethod
    def _session_too_old(request: Any) -> bool:
        """IA3: the absolute lifetime (LABORCREDIT_SESSION_MAX_HOURS) since login."""
        hours = int(getattr(settings, "LABORCREDIT_SESSION_MAX_HOURS", 12))
        login_at = request.session.get(SESSION_LOGIN_AT)
        if login_at is None:
            return True
        return hours > 0 and time.time() - float(login_at) > hours * 3600

    @staticmethod
    def _password_reason(user: Any) -> str:
        profile = AccountProfile.objects.filter(user=user).first()
        if profile is None:
            return ""
        if profile.must_change_password:
            return "first"
        if profile.password_expired(int(getattr(settings, "LABORCREDIT_PASSWORD_MAX_AGE_DAYS", 0))):
            return "expired"
        return ""
