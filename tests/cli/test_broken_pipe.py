"""`laborcredit … | head`: when the reader stops reading, a command stops without a traceback."""

from __future__ import annotations

import io
import sys

import pytest
from django.db import connections

from laborcredit.cli import main

pytestmark = pytest.mark.django_db


class GoneReader(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_command_whose_reader_went_away_stops_quietly(monkeypatch):
    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test database
    errors = io.StringIO()
    monkeypatch.setattr(sys, "stdout", GoneReader())
    monkeypatch.setattr(sys, "stderr", errors)
    assert main(["repair", "due"]) == 1
    assert errors.closed  # nothing was written to it: closed so that exit writes nothing either
