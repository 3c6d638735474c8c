"""lib.ratewindows: fixed-window counters in the database, here with the two tables that use them
(an API key's minutes, a client address's ten minutes)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from laborcredit.api.models import ApiRateWindow
from laborcredit.api.services import API_CALLS
from laborcredit.lib.ratewindows import WindowCounter
from laborcredit.reports.models import VerifyRateWindow
from tests.api.helpers import make_key

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
T = datetime.datetime(2026, 3, 2, 4, 7, 30, 250_000, tzinfo=UTC)
TEN_MINUTES = WindowCounter(
    VerifyRateWindow,
    owner="address",
    seconds=600,
    keep=datetime.timedelta(minutes=10),
    prune_every_owner=True,
)


def api_key():
    from laborcredit.api.models import ApiKey

    return ApiKey.objects.get(prefix=make_key("read_grades").split("_")[1])


def test_windows_start_at_multiples_of_their_length():
    assert TEN_MINUTES.window(T) == datetime.datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
    assert API_CALLS.window(T) == datetime.datetime(2026, 3, 2, 4, 7, tzinfo=UTC)
    in_wugang = T.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    assert TEN_MINUTES.window(in_wugang) == TEN_MINUTES.window(T)


def test_the_seconds_left_round_up_and_are_never_zero():
    assert TEN_MINUTES.seconds_left(T) == 150  # 149.75 s to 04:10
    assert API_CALLS.seconds_left(T.replace(second=0, microsecond=0)) == 60
    assert API_CALLS.seconds_left(T.replace(second=59, microsecond=999_999)) == 1


def test_counts_add_up_within_a_window_and_start_again_in_the_next():
    counts = [TEN_MINUTES.count("192.0.2.1", T) for _ in range(3)]
    assert counts == [1, 2, 3]
    assert TEN_MINUTES.count("192.0.2.2", T) == 1
    assert TEN_MINUTES.count("192.0.2.1", T + datetime.timedelta(minutes=10)) == 1


def test_an_owners_old_windows_only_are_cleared_when_owners_are_few():
    mine, other = api_key(), api_key()
    now = datetime.datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
    for key in (mine, other):
        API_CALLS.count(key.pk, now - datetime.timedelta(minutes=90))
    API_CALLS.count(mine.pk, now)
    left = sorted(ApiRateWindow.objects.values_list("key_id", "window"))
    assert left == sorted([(other.pk, now - datetime.timedelta(minutes=90)), (mine.pk, now)])


def test_every_owners_old_windows_are_cleared_when_owners_are_many():
    TEN_MINUTES.count("192.0.2.1", T - datetime.timedelta(minutes=30))
    TEN_MINUTES.count("192.0.2.2", T - datetime.timedelta(minutes=10))
    TEN_MINUTES.count("192.0.2.3", T)
    left = sorted(VerifyRateWindow.objects.values_list("address", flat=True))
    assert left == ["192.0.2.2", "192.0.2.3"]


def test_only_a_windows_first_count_clears():
    TEN_MINUTES.count("192.0.2.3", T)
    TEN_MINUTES.count("192.0.2.1", T - datetime.timedelta(minutes=30))
    TEN_MINUTES.count("192.0.2.3", T)
    assert VerifyRateWindow.objects.count() == 2


def test_more_statements_ride_along_on_postgresql_only():
    also = ", noted AS (SELECT %(owner)s, %(window)s, %(now)s)"
    if connection.vendor == "postgresql":
        assert TEN_MINUTES.count("192.0.2.1", T, also=also) == 1
    else:
        with pytest.raises(ValueError):
            TEN_MINUTES.count("192.0.2.1", T, also=also)
