"""The kept repairs (repair.states, 第二十一条): today's lists read from them are the lists read
from the records, a row holds on every day until it expires, and every change to the records
rewrites it."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from laborcredit.credit.models import CreditRecord
from laborcredit.credit.services import record_create, record_void
from laborcredit.rating.services import effective_records, regrade_due
from laborcredit.repair.models import RepairState
from laborcredit.repair.selectors import SECTIONS, repair_due, repair_lists, repair_sections
from laborcredit.repair.states import state_of, states_expired, states_missing, states_refresh
from tests.factories import EmployerFactory
from tests.repair.helpers import CASE, DAY, penalised, today

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 6, 30)
Stage = RepairState.Stage


@pytest.fixture
def city():
    call_command("demo_data", employers=600, seed=11, as_of=AS_OF.isoformat(), stdout=StringIO())


def _kept_lists(day: datetime.date, horizon_days: int = 30) -> dict[str, list[str]]:
    everything = {section: 1 for section in SECTIONS}
    found = repair_lists(
        as_of=day, pages=everything, size=100_000, horizon_days=horizon_days, today=day
    )
    return {key: [f.employer.uscc for f in page] for key, page in found.pages.items()}


def _read_lists(day: datetime.date, horizon_days: int = 30) -> dict[str, list[str]]:
    listing = repair_due(as_of=day, horizon_days=horizon_days)
    return {
        "due": [f.employer.uscc for f in listing.due],
        "upcoming": [f.employer.uscc for f in listing.upcoming],
        "awaiting": [f.employer.uscc for f in listing.awaiting_evidence],
    }


def _key(row: RepairState | None) -> tuple | None:
    if row is None:
        return None
    return (row.stage, row.cycle_end, row.repaired, row.repaired_on, row.latest_penalty_on)


def test_the_city_has_its_rows_once_loaded(city):
    assert states_expired(AS_OF) == states_missing() == []
    with_penalty = set(
        CreditRecord.objects.effective()
        .filter(type="penalty_imposed")
        .values_list("employer_id", flat=True)
    )
    assert set(RepairState.objects.values_list("employer_id", flat=True)) == with_penalty
    stages = set(RepairState.objects.values_list("stage", flat=True))
    assert {Stage.RUNNING, Stage.FINISHED} <= stages


@pytest.mark.parametrize("days", [0, 150, 400, -200])
def test_todays_lists_from_the_kept_rows_are_those_read_from_the_records(city, days):
    day = AS_OF + datetime.timedelta(days=days)
    kept = _kept_lists(day)
    assert kept == _read_lists(day)
    assert kept["due"] and kept["awaiting"]  # the comparison is not of empty lists
    # Reading them left every row holding on that day, written on it or still valid.
    assert states_expired(day) == states_missing() == []


@pytest.mark.parametrize("days", [0, 400])
def test_the_daily_listing_reads_todays_sections_in_batches_as_the_records_give_them(city, days):
    """`laborcredit repair due`: today's whole sections from the kept repairs, 3 employers'
    records at a time, are the lists read from the records."""
    day = AS_OF + datetime.timedelta(days=days)
    sections = repair_sections(as_of=day, today=day, batch=3)
    streamed = {key: [f.employer.uscc for f in section.files] for key, section in sections.items()}
    assert streamed == _read_lists(day)
    assert {key: section.count for key, section in sections.items()} == {
        key: len(found) for key, found in streamed.items()
    }
    assert len(streamed["awaiting"]) > 3  # more than one batch


def test_a_long_horizon_finds_the_same_upcoming_cycles(city):
    kept = _kept_lists(AS_OF, horizon_days=200)
    assert kept["upcoming"] == _read_lists(AS_OF, horizon_days=200)["upcoming"]
    assert len(kept["upcoming"]) >= 3


def test_a_row_holds_on_every_day_until_it_expires(city):
    """What makes the kept copy a copy: `last_repair` answers the same on each day of a row's
    validity (checked weekly from its first day, and on its last)."""
    rows = list(RepairState.objects.all())
    records = effective_records([row.employer_id for row in rows])
    checked = 0
    for row in rows:
        mine = records[row.employer_id]
        last = (row.valid_until or AS_OF + datetime.timedelta(days=800)) - DAY
        weeks = (last - row.computed_on).days // 7
        days = [row.computed_on + 7 * week * DAY for week in range(weeks + 1)]
        for day in [*days, last]:
            assert _key(state_of(row.employer_id, mine, day)) == _key(row), (row, day)
            checked += 1
        if row.valid_until is not None:
            moved = state_of(row.employer_id, mine, row.valid_until)
            assert moved is not None and moved.computed_on == row.valid_until
    assert len(rows) >= 10 and checked > 200


def test_a_row_expires_and_is_rewritten_on_the_next_read(city):
    row = RepairState.objects.filter(valid_until__isnull=False).order_by("valid_until").first()
    assert row is not None and row.valid_until is not None
    day = row.valid_until
    assert row.employer_id in states_expired(day)
    assert row.employer_id not in states_expired(day - DAY)
    assert states_refresh(day) >= 1
    rewritten = RepairState.objects.get(pk=row.pk)
    assert rewritten.computed_on == day
    assert rewritten.valid_until is None or rewritten.valid_until > day


def test_every_change_to_the_records_rewrites_the_row():
    employer = EmployerFactory()
    penalised(employer, days_ago=100, corrected_after=None, fulfilled_after=None)
    row = RepairState.objects.get(employer=employer)
    assert (row.stage, row.repaired, row.computed_on) == (Stage.RUNNING, False, today())
    corrected = record_create(employer=employer, type="violation_corrected",
                              date=today() - 5 * DAY, case=CASE, actor="officer")  # fmt: skip
    fulfilled = record_create(employer=employer, type="penalty_fulfilled",
                              date=today() - 3 * DAY, case=CASE, actor="officer")  # fmt: skip
    row = RepairState.objects.get(employer=employer)
    assert (row.stage, row.repaired, row.repaired_on) == (
        Stage.RUNNING, True, today() - 3 * DAY,
    )  # fmt: skip
    record_void(record=corrected, reason="证据有误", actor="officer")
    assert RepairState.objects.get(employer=employer).repaired is False
    record_void(record=fulfilled, reason="证据有误", actor="officer")
    for penalty in CreditRecord.objects.effective().filter(
        employer=employer, type="penalty_imposed"
    ):
        record_void(record=penalty, reason="处罚决定已撤销", actor="officer")
    assert not RepairState.objects.filter(employer=employer).exists()


def test_an_employer_without_a_penalty_has_no_row():
    employer = EmployerFactory()
    record_create(employer=employer, type="violation_found", date=today() - 30 * DAY,
                  case=CASE, actor="officer")  # fmt: skip
    assert not RepairState.objects.filter(employer=employer).exists()
    assert states_missing() == []


def test_the_daily_regrade_writes_the_rows_a_bulk_load_left_out(city):
    expected = {row.employer_id: _key(row) for row in RepairState.objects.all()}
    RepairState.objects.all().delete()
    assert len(states_missing()) == len(expected)
    assert states_refresh(AS_OF) == 0  # a page rewrites expired rows only
    summary = regrade_due(today=AS_OF, actor="system")
    assert summary.repairs_refreshed == len(expected)
    assert {row.employer_id: _key(row) for row in RepairState.objects.all()} == expected


def test_migrate_writes_the_rows_of_records_older_than_the_table(city):
    RepairState.objects.all().delete()
    out = StringIO()
    call_command("migrate", verbosity=1, stdout=out)
    assert states_missing() == []
    assert RepairState.objects.exists()


def test_repair_states_rewrites_every_row(city):
    """After an upgrade that changes rules.repair, `laborcredit repair states` rewrites every row,
    also those still valid (here: made wrong by hand)."""
    count = RepairState.objects.count()
    row = RepairState.objects.filter(stage=Stage.RUNNING).first()
    assert row is not None
    RepairState.objects.filter(pk=row.pk).update(stage=Stage.NONE, valid_until=None)
    out = StringIO()
    call_command("repair", "states", stdout=out)
    assert f"已重写 {count} 家" in out.getvalue()
    assert RepairState.objects.get(pk=row.pk).stage == Stage.RUNNING
    assert RepairState.objects.count() == count
