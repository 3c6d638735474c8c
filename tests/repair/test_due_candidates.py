"""repair_due chooses its candidates in SQL, section by section (due, upcoming, awaiting): on a
city of demo data, on several dates, the lists are exactly those found by reading every
employer's repair with `rules.repair.last_repair`."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from laborcredit.credit.models import CreditRecord, Employer
from laborcredit.rating.models import EmployerGrade
from laborcredit.repair import selectors
from laborcredit.repair.selectors import SECTIONS, repair_due
from laborcredit.rules.repair import PENALTY_RULES

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 6, 30)


@pytest.fixture
def city():
    call_command("demo_data", employers=600, seed=11, as_of=AS_OF.isoformat(), stdout=StringIO())


def _lists(listing):  # type: ignore[no-untyped-def]
    return {
        "due": [f.employer.uscc for f in listing.due],
        "upcoming": [f.employer.uscc for f in listing.upcoming],
        "awaiting": [f.employer.uscc for f in listing.awaiting_evidence],
    }


def _every_employer(as_of, sections, horizon_days):  # type: ignore[no-untyped-def]
    """Every employer that can have a repair (selectors.LOOKBACK), none left out by section."""
    official_c = {
        row.employer_id
        for row in EmployerGrade.objects.select_related("decision")
        if row.official_grade == "C" and {e["rule"] for e in row.basis} & PENALTY_RULES
    }
    recent = {
        record.employer_id
        for record in CreditRecord.objects.effective().filter(type="penalty_imposed")
        if as_of - selectors.LOOKBACK < record.date <= as_of
    }
    assert set(Employer.objects.values_list("pk", flat=True)) > official_c | recent
    return sorted(official_c | recent)


@pytest.mark.parametrize("days", [0, -200, 150, 400])
def test_each_section_holds_what_reading_every_employer_finds(city, monkeypatch, days):
    as_of = AS_OF + datetime.timedelta(days=days)
    found = {section: _lists(repair_due(as_of=as_of, sections=(section,)))[section]
             for section in SECTIONS}  # fmt: skip
    together = _lists(repair_due(as_of=as_of, horizon_days=30))
    monkeypatch.setattr(selectors, "_candidates", _every_employer)
    everyone = _lists(repair_due(as_of=as_of, horizon_days=30))
    assert found == together == everyone
    assert everyone["due"] and everyone["awaiting"]  # the comparison is not of empty lists


def test_a_long_horizon_finds_the_same_upcoming_cycles(city, monkeypatch):
    found = repair_due(as_of=AS_OF, horizon_days=200, sections=("upcoming",))
    monkeypatch.setattr(selectors, "_candidates", _every_employer)
    everyone = repair_due(as_of=AS_OF, horizon_days=200)
    assert _lists(found)["upcoming"] == _lists(everyone)["upcoming"]
    assert len(_lists(everyone)["upcoming"]) >= 3
    assert found.due == found.awaiting_evidence == []  # sections not asked for stay empty
