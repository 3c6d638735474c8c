"""lib.ratewindows under real concurrent transactions (PostgreSQL): every count is counted once."""

from __future__ import annotations

import threading

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from tests.lib.test_ratewindows import TEN_MINUTES, T


@pytest.fixture
def postgresql_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers (IMMEDIATE transactions)")


def test_counts_at_the_same_moment_are_all_counted(postgresql_only):
    barrier = threading.Barrier(8)
    counts: list[object] = []

    def count() -> None:
        try:
            barrier.wait()
            counts.append(TEN_MINUTES.count("192.0.2.9", T))
        except BaseException as error:  # pragma: no cover - reported by the assertion
            counts.append(error)
        finally:
            connections[DEFAULT_DB_ALIAS].close()

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, 9)), counts  # type: ignore[type-var]
