"""laborcredit/web/pages_only.py: a call to the key-authenticated API (第六条) passes the
browser's middleware by; every page, and the window's own JSON, still goes through it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessions
from django.core import checks
from django.db import connection
from django.middleware.csrf import CsrfViewMiddleware as DjangoCsrf
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from laborcredit.web import pages_only
from tests.accounts.helpers import make_user
from tests.api.helpers import call, make_key
from tests.factories import EmployerFactory
from tests.portal.helpers import logged_in_as, open_account

pytestmark = pytest.mark.django_db

GRADE = "/api/v1/employers/{}/grade"


def _session_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]


def test_a_key_call_with_a_session_cookie_neither_reads_nor_renews_the_session(client):
    # The browser of an officer who also holds a key: the call is the key's, not the session's.
    client.force_login(make_user("xinyong", "credit_officer"))
    employer, token = EmployerFactory(), make_key("read_grades")
    with CaptureQueriesContext(connection) as captured:
        response = call(client, "GET", GRADE.format(employer.uscc), token)
    assert response.status_code == 200 and response.json()["uscc"] == employer.uscc
    assert _session_queries(captured) == []
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # the idle timeout not extended
    assert settings.CSRF_COOKIE_NAME not in response.cookies
    assert response["X-Request-ID"]  # the audit context's middleware still ran
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_page_still_reads_and_renews_the_session(client):
    client.force_login(make_user("xinyong", "credit_officer"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    assert _session_queries(captured) != []
    assert settings.SESSION_COOKIE_NAME in response.cookies  # SESSION_SAVE_EVERY_REQUEST


def test_an_employer_session_on_the_key_api_gets_the_apis_own_answer(client):
    # Before: the account policy sent a portal account back to the portal (a redirect); the API
    # knows keys only, and says so in JSON.
    account, _code = open_account()
    logged_in_as(client, account)
    response = client.get(GRADE.format(account.employer.uscc))
    assert response.status_code == 401
    assert response.json()["code"] == "api-key-missing"


def test_the_windows_json_is_a_page_that_needs_the_officers_session(client):
    employer = EmployerFactory()
    assert client.get(f"/api/v1/window/{employer.uscc}").status_code == 401
    client.force_login(make_user("chuangkou", "licensing_window"))
    response = client.get(f"/api/v1/window/{employer.uscc}")
    assert response.status_code == 200 and response.json()["uscc"] == employer.uscc


def test_csrf_is_still_checked_on_the_pages():
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user("xinyong", "credit_officer"))
    assert browser.post("/accounts/logout/").status_code == 403


@pytest.mark.parametrize(
    ("path", "key_api"),
    [
        ("/api/v1/employers/x/grade", True),
        ("/api/v1/docs", True),
        ("/api/v1/", True),
        ("/api/v1/window/x", False),
        ("/api/v1/window/", False),
        ("/apikeys/", False),
        ("/api/v1", False),
        ("/", False),
        ("/window/", False),
    ],
)
def test_which_requests_are_calls_to_the_key_api(rf, path, key_api):
    assert pages_only.is_key_api(rf.get(path)) is key_api


def test_each_class_is_the_original_with_the_same_hooks():
    named = [import_string(p) for p in settings.MIDDLEWARE if p.startswith(pages_only.__name__)]
    assert len(named) == 7
    for cls in named:
        (original,) = cls.__bases__
        assert cls.__name__ == original.__name__
        for hook in ("process_view", "process_exception", "process_template_response"):
            assert hasattr(cls, hook) == hasattr(original, hook)
    assert issubclass(pages_only.SessionMiddleware, DjangoSessions)
    assert issubclass(pages_only.CsrfViewMiddleware, DjangoCsrf)
    # Django admin's and django-axes's checks find the middleware they need.
    found = [m.id for m in checks.run_checks() if m.id.startswith(("admin.", "axes."))]
    assert found == []
