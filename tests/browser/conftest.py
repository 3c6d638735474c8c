"""Browser tests: Playwright (from PyPI) drives Debian's Chromium against pytest-django's live server.

Playwright's own browser download cannot work here, so Chromium is Debian's
(`/usr/bin/chromium`, or LABORCREDIT_CHROMIUM); scripts/test installs it. Where
it is missing the tests are skipped on a developer's machine and FAIL in CI
(CI, LABORCREDIT_REQUIRE_POSTGRES=1 or LABORCREDIT_REQUIRE_BROWSER=1).

Every page runs with the network off: a request to any host but the live
server is aborted and recorded, and the test fails at teardown if a page asked
for anything outside, or wrote an error to the console. A test that expects an
error status (a 403 page) says so with `watch.allow("status of 403")`.

The live server needs `transactional_db`; the override in tests/conftest.py
(lifting the append-only triggers around the flush) applies as for any other
test. Do not add `pytest.mark.django_db(transaction=True)`: with that marker
the flush runs before the override lifts the triggers, and fails. Sync Playwright runs an asyncio loop in the test thread, so Django's ORM
would refuse to run from the test body (SynchronousOnlyOperation):
DJANGO_ALLOW_ASYNC_UNSAFE is set while the browser runs. The browser lives for
the tests of this package only (package scope), so that no other test runs
beside a live event loop.

For a new flow: ask for `page`, `sign_in` and a user fixture (`officer`,
`inspector`, `leader`, `window_clerk`, `auditor`), go to a path
(`page.goto("/imports/")`, relative to the live server), find things by label
and role in Chinese, `shoot(page, name)` the main page, or `check_page(page,
name)` for a main page's shot plus its checks (one <h1>, every control named,
the main menu reached by Tab). Downloads: `with page.expect_download() as info: …`.
Background jobs (imports, evaluation runs): set `settings.LABORCREDIT_JOBS_INLINE
= True` and `settings.DATA_DIR = tmp_path / "data"`, and the job page shows the
outcome at once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from laborcredit.accounts.roles import roles_sync
from tests.accounts.helpers import make_user

CHROMIUM = Path(os.environ.get("LABORCREDIT_CHROMIUM", "/usr/bin/chromium"))
VIEWPORT = {"width": 1366, "height": 768}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _browser_required() -> bool:
    """In CI the browser tests must run: a missing browser is a failure, not a skip."""
    return any(
        os.environ.get(name, "").lower() not in ("", "0", "false")
        for name in ("CI", "LABORCREDIT_REQUIRE_POSTGRES", "LABORCREDIT_REQUIRE_BROWSER")
    )


def _unavailable(reason: str) -> None:
    if _browser_required():
        pytest.fail(f"浏览器测试无法运行：{reason}（CI 中不得跳过）", pytrace=False)
    pytest.skip(f"已跳过浏览器测试：{reason}（scripts/test 会自动安装）")


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("未安装 Playwright")
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"未找到 Chromium（{CHROMIUM}）")
    unsafe_before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"],
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if unsafe_before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = unsafe_before


@dataclass
class Watch:
    """What the pages did that they must not: asked outside, or logged an error."""

    outside: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)

    def allow(self, fragment: str) -> None:
        """A console error containing `fragment` is expected (e.g. "status of 403")."""
        self.allowed.append(fragment)

    def unexpected_errors(self) -> list[str]:
        return [e for e in self.console_errors if not any(a in e for a in self.allowed)]


@pytest.fixture
def watch() -> Watch:
    return Watch()


@contextmanager
def offline_page(browser: Any, live_server: Any, watch: Watch, **options: Any) -> Iterator[Any]:
    """A page in a fresh browser context (zh-CN, the server's time zone, `options` such as
    the viewport) with the network off but for the live server, its console watched; at the
    end, fails if a page asked outside or logged an error."""
    server = urlsplit(live_server.url)
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", timezone_id=settings.TIME_ZONE, **options
    )

    def only_the_live_server(route: Any) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in ("data", "blob", "about"):
            route.continue_()
        elif url.hostname in LOCAL_HOSTS and url.port == server.port:
            route.continue_()
        else:
            watch.outside.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", only_the_live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("console", lambda m: m.type == "error" and watch.console_errors.append(m.text))
    page.on("pageerror", lambda error: watch.console_errors.append(f"脚本错误：{error}"))
    yield page
    context.close()
    assert watch.outside == [], f"页面请求了本系统以外的地址（离线环境不可用）：{watch.outside}"
    assert watch.unexpected_errors() == [], f"浏览器控制台有错误：{watch.unexpected_errors()}"


def session_cookie_for(page: Any, live_server: Any, user: Any) -> None:
    """Give `page`'s browser a logged-in session of `user` (the login forms have their own
    tests). `force_login` fires `user_logged_in`, so the session carries its login time (IA3)
    like one made by a form."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def page(browser: Any, live_server: Any, watch: Watch) -> Iterator[Any]:
    """A fresh browser context at 1366×768 in zh-CN, with the network off but for the live server."""
    with offline_page(
        browser, live_server, watch, viewport=VIEWPORT, accept_downloads=True
    ) as page:
        yield page


@pytest.fixture
def sign_in(page: Any, live_server: Any) -> Any:
    """Gives the browser a logged-in session of a user (the login form has its own tests).

    `force_login` fires `user_logged_in`, so the session carries its login time (IA3)
    like one made by the form.
    """

    def sign_in(user: Any) -> None:
        session_cookie_for(page, live_server, user)

    return sign_in


@pytest.fixture
def roles(live_server: Any) -> None:
    """The role groups, also after an earlier test's flush.

    Workaround: `accounts.signals.keep_roles` ignores the post_migrate that a flush
    sends (it comes without `apps`), so after a transactional test the groups are gone.
    """
    from django.apps import apps

    roles_sync(apps)


@pytest.fixture
def officer(roles: None) -> Any:
    """信用管理员 with the real role group (laborcredit/accounts/roles.py)."""
    return make_user("xinyong", "credit_officer")


@pytest.fixture
def inspector(roles: None) -> Any:
    """监察员: may read credit files, may not enter records."""
    return make_user("jiancha", "inspector")


@pytest.fixture
def leader(roles: None) -> Any:
    """领导: approves evaluation runs."""
    return make_user("lingdao", "leadership")


@pytest.fixture
def window_clerk(roles: None) -> Any:
    """审批窗口: looks up an employer's grade and measures, nothing more."""
    return make_user("chuangkou", "licensing_window")


@pytest.fixture
def auditor(roles: None) -> Any:
    """审计管理员 (三员分立): reads the audit log, and nothing of the credit files."""
    return make_user("shenji", "audit_admin")
