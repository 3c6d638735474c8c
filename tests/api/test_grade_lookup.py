"""The grade lookup's own SQL (laborcredit/api/selectors.py) answers as the ORM path does, and
the per-minute counter writes the key's last use at most once a minute."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from laborcredit.api.models import ApiKey, ApiRateWindow
from laborcredit.api.services import call_count
from laborcredit.rating.services import review_decide
from tests.api.helpers import call, make_key
from tests.factories import EmployerFactory
from tests.rating.helpers import not_corrected

pytestmark = pytest.mark.django_db


def _both(client, token, code):  # type: ignore[no-untyped-def]
    one = call(client, "GET", f"/api/v1/employers/{code}/grade", token).json()
    (item,) = call(client, "POST", "/api/v1/grades/batch", token, {"codes": [code]}).json()[
        "results"
    ]
    return one, item["grade"]


def test_the_lookup_gives_the_officers_decision_as_the_batch_does(client):
    employer = not_corrected()
    review_decide(employer=employer, decided_grade="C", reason="拒不整改", actor="张科长")
    one, batch = _both(client, make_key("read_grades"), employer.uscc)
    assert one == batch
    assert (one["grade"], one["grade_label"], one["pending_review"]) == ("C", "较差", False)


def test_the_lookup_says_a_result_awaits_review_as_the_batch_does(client):
    employer = not_corrected()
    one, batch = _both(client, make_key("read_grades"), employer.uscc)
    assert one == batch
    assert (one["grade"], one["pending_review"]) == ("B", True)


def test_the_lookup_of_a_clean_employer_matches_the_batch(client):
    employer = EmployerFactory()
    one, batch = _both(client, make_key("read_grades"), employer.uscc)
    assert one == batch and one["grade"] == "A"


def test_the_last_use_is_written_on_a_minutes_first_call_only():
    key = ApiKey.objects.get(prefix=make_key("read_grades").split("_")[1])
    minute = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(minutes=5)

    assert call_count(key, minute + datetime.timedelta(seconds=1)) == (1, 59)
    assert call_count(key, minute + datetime.timedelta(seconds=30)) == (2, 30)
    key.refresh_from_db()
    assert key.last_used_at == minute + datetime.timedelta(seconds=1)

    assert call_count(key, minute + datetime.timedelta(seconds=61)) == (1, 59)
    key.refresh_from_db()
    assert key.last_used_at == minute + datetime.timedelta(seconds=61)


def test_a_minutes_first_call_clears_the_keys_windows_older_than_an_hour():
    key = ApiKey.objects.get(prefix=make_key("read_grades").split("_")[1])
    now = timezone.now().replace(second=0, microsecond=0)
    call_count(key, now - datetime.timedelta(minutes=90))
    call_count(key, now - datetime.timedelta(minutes=30))

    call_count(key, now)

    windows = sorted(ApiRateWindow.objects.filter(key=key).values_list("window", flat=True))
    assert windows == [now - datetime.timedelta(minutes=30), now]
