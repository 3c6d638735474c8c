"""The browser tests run with the network off: the guard itself is checked here."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

OUTSIDE = "http://cdn.example.invalid/jquery.min.js"


def test_a_request_to_any_other_host_is_aborted_and_recorded(page, watch):
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    assert watch.outside == []  # the page itself asks for nothing outside
    outcome = page.evaluate("url => fetch(url).then(() => '已取得', () => '被拦截')", OUTSIDE)
    assert outcome == "被拦截"
    assert watch.outside == [OUTSIDE]
    assert any(
        "ERR_BLOCKED_BY_CLIENT" in e for e in watch.console_errors
    )  # seen by the console check
    watch.outside.clear()  # caught on purpose: the teardown checks the other pages' requests
    watch.allow("ERR_BLOCKED_BY_CLIENT")
