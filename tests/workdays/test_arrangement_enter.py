"""A year's official holiday arrangement entered by an administrator, versioned and audited."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, transaction

from laborcredit.audit.events import render
from laborcredit.lib.appendonly import AppendOnlyError
from laborcredit.lib.errors import Refused
from laborcredit.rules.workdays import package_years
from laborcredit.workdays.models import YearArrangement
from laborcredit.workdays.selectors import arrangement_latest, arrangement_list, calendar
from laborcredit.workdays.services import arrangement_enter
from tests.accounts.helpers import entries

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = max(package_years()) + 1  # 2027: not in chinese-calendar 1.11.0
SOURCE = f"国务院办公厅关于{YEAR}年部分节假日安排的通知（国办发明电〔{YEAR - 1}〕7号）"
NEW_YEAR = [D(YEAR, 1, 1), D(YEAR, 1, 2), D(YEAR, 1, 3)]
NATIONAL_DAY = [D(YEAR, 10, d) for d in range(1, 8)]


def _enter(**overrides):
    values = {
        "year": YEAR,
        "holidays": NEW_YEAR + NATIONAL_DAY,
        "workdays": [D(YEAR, 9, 26), D(YEAR, 10, 9)],
        "source": SOURCE,
        "actor": "sysadmin",
    }
    return arrangement_enter(**{**values, **overrides})


def test_entering_a_year_stores_its_dates_and_source_and_is_audited():
    row = _enter()
    assert row.version == 1 and row.entered_by == "sysadmin" and row.source == SOURCE
    assert row.holidays[0] == f"{YEAR}-01-01" and row.workdays == [f"{YEAR}-09-26", f"{YEAR}-10-09"]
    (entry,) = entries("year_arrangement_enter")
    assert entry.object_type == "year_arrangement" and entry.object_id == str(row.pk)
    sentence = render(entry)
    assert f"录入了{YEAR}年节假日安排第 1 版" in sentence and "放假 10 天" in sentence
    assert "国办发明电" in sentence


def test_a_deadline_in_the_entered_year_becomes_final_and_is_recomputed():
    before = calendar().add_working_days(D(YEAR - 1, 12, 30), 3)
    assert before.provisional_years == {YEAR} and before.date == D(YEAR, 1, 4)
    _enter()
    after = calendar().add_working_days(D(YEAR - 1, 12, 30), 3)
    assert not after.provisional and after.date == D(YEAR, 1, 5)


def test_an_entered_makeup_saturday_is_a_working_day():
    _enter()
    assert calendar().is_working_day(D(YEAR, 10, 9))


def test_a_correction_is_a_new_version_and_the_latest_counts():
    first = _enter()
    second = _enter(holidays=[*NEW_YEAR, D(YEAR, 1, 4)], workdays=[], source=SOURCE + "（更正）")
    assert second.version == 2 and YearArrangement.objects.count() == 2
    assert arrangement_latest(year=YEAR) == second and arrangement_list() == [second]
    assert not calendar().is_working_day(D(YEAR, 1, 4))
    assert calendar().is_working_day(D(YEAR, 10, 4))  # version 1's 国庆节 no longer counts
    first.refresh_from_db()
    assert first.holidays[-1] == f"{YEAR}-10-07"
    assert [e.data["version"] for e in entries("year_arrangement_enter")] == [1, 2]


def test_the_same_arrangement_again_is_refused_as_unchanged():
    _enter()
    with pytest.raises(Refused) as refused:
        _enter(source="另一份文件")
    assert refused.value.codes == ["arrangement-unchanged"]
    assert YearArrangement.objects.count() == 1


def test_a_year_the_package_knows_is_refused_in_chinese():
    with pytest.raises(Refused) as refused:
        _enter(year=2025, holidays=[D(2025, 10, 1)], workdays=[])
    assert refused.value.codes == ["year-already-known"]
    assert "系统内置" in refused.value.problems[0].message
    assert not YearArrangement.objects.exists() and not entries("year_arrangement_enter")


def test_bad_dates_and_a_missing_source_are_refused_whole():
    with pytest.raises(Refused) as refused:
        _enter(
            holidays=[D(YEAR, 10, 1), D(YEAR + 1, 1, 1)],
            workdays=[D(YEAR, 10, 1), D(YEAR, 10, 8)],  # a holiday, and a Friday
            source="  ",
        )
    assert sorted(refused.value.codes) == [
        "date-outside-year",
        "field-missing",
        "holiday-and-workday",
        "workday-not-weekend",
    ]
    assert not YearArrangement.objects.exists() and not entries("year_arrangement_enter")


def test_an_entered_arrangement_cannot_be_changed_or_deleted():
    row = _enter()
    row.source = "改过"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()


def test_the_database_refuses_an_update_behind_the_applications_back():
    _enter()
    with pytest.raises(DatabaseError), transaction.atomic():
        YearArrangement.objects.update(source="改过")
    with pytest.raises(DatabaseError), transaction.atomic():
        YearArrangement.objects.all().delete()
    assert YearArrangement.objects.get().source == SOURCE
