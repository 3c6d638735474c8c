"""The browser's middleware, for the site's pages only: sessions, CSRF, sign-in and its second
factor, the account policy, messages and static files.

A call to the key-authenticated API (第六条, /api/v1/) comes from another department's system,
authenticates by its key alone and uses none of these; other departments' systems call it many
times a second. Each class here is the named middleware, unchanged for every other request, that
lets such a call pass straight through (and its view hooks do nothing for it). The window's own
JSON (/api/v1/window/) is called from the window page with the officer's session, so it is a
page here. django-axes's middleware stays as it is (its check wants it by name); it does nothing
for a request that is not a locked-out login.

settings.MIDDLEWARE names these classes in place of the originals.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.contrib.sessions.middleware import SessionMiddleware as _Sessions
from django.middleware.csrf import CsrfViewMiddleware as _Csrf
from django_otp.middleware import OTPMiddleware as _OTP
from whitenoise.middleware import WhiteNoiseMiddleware as _WhiteNoise

from laborcredit.accounts.middleware import AccountPolicyMiddleware as _AccountPolicy

KEY_API = "/api/v1/"
PAGES_UNDER_KEY_API = ("/api/v1/window/",)  # measures/api.py: the officer's session


def is_key_api(request: Any) -> bool:
    """Whether `request` is a call to the key-authenticated API."""
    path: str = request.path_info
    return path.startswith(KEY_API) and not path.startswith(PAGES_UNDER_KEY_API)


_HOOKS = ("process_view", "process_exception", "process_template_response")


def pages_only(middleware: type) -> type:
    """A subclass of `middleware` that a call to the key-authenticated API passes by."""

    def __call__(self: Any, request: Any) -> Any:
        if is_key_api(request):
            return self.get_response(request)
        return middleware.__call__(self, request)

    namespace: dict[str, Any] = {
        "__call__": __call__,
        "__module__": __name__,
        "__doc__": f"{middleware.__module__}.{middleware.__qualname__}, for the pages only.",
    }
    for hook in _HOOKS:
        if hasattr(middleware, hook):
            namespace[hook] = _skipping_key_api(getattr(middleware, hook))
    return type(middleware.__name__, (middleware,), namespace)


def _skipping_key_api(hook: Any) -> Any:
    # Every hook's first argument after self is the request; None lets Django go on.
    def skipping(self: Any, request: Any, *args: Any) -> Any:
        return None if is_key_api(request) else hook(self, request, *args)

    return skipping


WhiteNoiseMiddleware = pages_only(_WhiteNoise)
SessionMiddleware = pages_only(_Sessions)
CsrfViewMiddleware = pages_only(_Csrf)
AuthenticationMiddleware = pages_only(_Authentication)
OTPMiddleware = pages_only(_OTP)
AccountPolicyMiddleware = pages_only(_AccountPolicy)
MessageMiddleware = pages_only(_Messages)
