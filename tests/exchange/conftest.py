"""The fake platform, the settings pointing at it, and a clock the tests move by hand."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from laborcredit.exchange.push import Config, Pusher
from tests.exchange.platform import APP_ID, SECRET, FakePlatform


class Clock:
    """Time that passes only when told: backoff is checked without waiting for it."""

    def __init__(self) -> None:
        self.at = timezone.now() + datetime.timedelta(minutes=10)  # past the items made next

    def __call__(self) -> datetime.datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += datetime.timedelta(seconds=seconds)


@pytest.fixture
def platform():
    with FakePlatform() as running:
        yield running


@pytest.fixture
def configured(settings, platform):
    settings.LABORCREDIT_PLATFORM_URL = platform.url
    settings.LABORCREDIT_PLATFORM_APP_ID = APP_ID
    settings.LABORCREDIT_PLATFORM_SECRET = SECRET
    settings.LABORCREDIT_PLATFORM_TIMEOUT = 0.5
    settings.LABORCREDIT_PLATFORM_MAX_ATTEMPTS = 4
    settings.LABORCREDIT_PLATFORM_BACKOFF_BASE = 10
    settings.LABORCREDIT_PLATFORM_BACKOFF_MAX = 300
    settings.LABORCREDIT_PLATFORM_BATCH_SIZE = 50
    return platform


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def pusher(configured, clock):
    """A pusher on the fake clock with the jitter at its top (the full backoff)."""
    return Pusher(Config.from_settings(), now=clock, rand=lambda: 1.0, name="worker-a")


def drain(pusher: Pusher, clock: Clock, *, rounds: int = 50) -> None:
    """Send until nothing is pending, moving the clock past every backoff."""
    from laborcredit.exchange.models import OutboxItem, State

    for _ in range(rounds):
        pusher.push_due()
        if not OutboxItem.objects.filter(state=State.PENDING).exists():
            return
        clock.advance(pusher.config.backoff_max + 1)
    raise AssertionError("the outbox did not drain")
