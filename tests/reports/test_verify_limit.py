"""The public verification page's limit (reports.services.verify_attempt_limited): 30 codes per
client address in a ten-minute window, counted in the database so that every worker process
shares one count."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import caches

from laborcredit.reports.models import VerifyRateWindow
from laborcredit.reports.services import (
    VERIFY_ATTEMPTS,
    VERIFY_LIMIT,
    VERIFY_WINDOW,
    verify_attempt_limited,
)

pytestmark = pytest.mark.django_db

VERIFY = "/reports/verify/"
CODE = {"code": "0000-0000-0000-0000-0000"}
NOON = datetime.datetime(2026, 3, 2, 4, 0, tzinfo=datetime.UTC)  # 12:00 in Wugang


def forget_everything_in_this_process() -> None:
    """What a request served by another worker process would not see: every cache in memory."""
    for cache in caches.all(initialized_only=True):
        cache.clear()


def test_the_limit_holds_when_every_request_lands_on_another_worker(client):
    for _ in range(VERIFY_LIMIT):
        assert client.get(VERIFY, CODE).status_code == 200
        forget_everything_in_this_process()
    response = client.get(VERIFY, CODE)
    assert response.status_code == 429
    assert "验证过于频繁，请 10 分钟后再试" in response.content.decode()


def test_the_count_is_a_row_in_the_database(client):
    for _ in range(3):
        client.get(VERIFY, CODE)
    client.get(VERIFY)  # opening the page is not an attempt
    row = VerifyRateWindow.objects.get()
    assert (row.address, row.count) == ("127.0.0.1", 3)
    assert row.window == VERIFY_ATTEMPTS.window(row.window)  # a window's start


def test_clients_at_different_addresses_are_counted_separately(client):
    for _ in range(VERIFY_LIMIT + 1):
        client.get(VERIFY, CODE, REMOTE_ADDR="198.51.100.7")
    assert client.get(VERIFY, CODE, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert client.get(VERIFY, CODE, REMOTE_ADDR="198.51.100.8").status_code == 200
    counts = dict(VerifyRateWindow.objects.values_list("address", "count"))
    assert counts == {"198.51.100.7": VERIFY_LIMIT + 2, "198.51.100.8": 1}


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(client, settings):
    settings.LABORCREDIT_AUDIT_TRUSTED_PROXIES = 1
    for last in range(VERIFY_LIMIT + 1):
        client.get(VERIFY, CODE, HTTP_X_FORWARDED_FOR=f"203.0.113.{last}")
    assert set(VerifyRateWindow.objects.values_list("count", flat=True)) == {1}


def test_the_limit_is_reached_on_the_attempt_after_the_thirtieth():
    answers = [verify_attempt_limited(address="192.0.2.1", now=NOON) for _ in range(32)]
    assert answers == [False] * VERIFY_LIMIT + [True, True]


def test_a_new_window_lets_the_client_verify_again():
    for _ in range(VERIFY_LIMIT + 5):
        verify_attempt_limited(address="192.0.2.1", now=NOON)
    last_second = NOON + datetime.timedelta(seconds=VERIFY_WINDOW - 1)
    assert verify_attempt_limited(address="192.0.2.1", now=last_second)
    next_window = NOON + datetime.timedelta(seconds=VERIFY_WINDOW)
    assert not verify_attempt_limited(address="192.0.2.1", now=next_window)
    assert VerifyRateWindow.objects.get(window=next_window).count == 1


def test_the_page_is_open_again_once_the_window_has_passed(client):
    earlier = VERIFY_ATTEMPTS.window(datetime.datetime.now(datetime.UTC)) - datetime.timedelta(
        seconds=VERIFY_WINDOW
    )
    VerifyRateWindow.objects.create(address="127.0.0.1", window=earlier, count=VERIFY_LIMIT * 3)
    assert client.get(VERIFY, CODE).status_code == 200


def test_a_windows_first_attempt_clears_old_windows_of_every_address():
    two_windows_ago = NOON - datetime.timedelta(seconds=2 * VERIFY_WINDOW)
    last_window = NOON - datetime.timedelta(seconds=VERIFY_WINDOW)
    verify_attempt_limited(address="192.0.2.1", now=two_windows_ago)
    verify_attempt_limited(address="192.0.2.2", now=two_windows_ago)
    verify_attempt_limited(address="192.0.2.2", now=last_window)

    verify_attempt_limited(address="192.0.2.3", now=NOON)

    kept = sorted(VerifyRateWindow.objects.values_list("address", "window"))
    assert kept == [("192.0.2.2", last_window), ("192.0.2.3", NOON)]
