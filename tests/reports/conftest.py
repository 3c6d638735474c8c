from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The verification page's per-address counter starts at zero in every test."""
    cache.clear()
    yield
    cache.clear()
