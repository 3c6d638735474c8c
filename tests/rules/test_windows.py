"""The windows (近一年内, 近60个月) and the dated parameters they come from (第二十二条)."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta

from laborcredit.rules import NotInForce, grade, parameters_on
from laborcredit.rules.parameters import IN_FORCE_FROM
from laborcredit.rules.periods import Window
from tests.rules.builders import day

ONE_YEAR = relativedelta(years=1)
SIXTY_MONTHS = relativedelta(months=60)


def test_last_year_window_excludes_the_day_one_year_back_and_includes_as_of():
    window = Window.ending(day("2026-11-24"), ONE_YEAR)
    assert window.after == day("2025-11-24")
    assert window.first_day == day("2025-11-25")
    assert window.until == day("2026-11-24")
    assert day("2025-11-24") not in window
    assert day("2025-11-25") in window
    assert day("2026-11-24") in window
    assert day("2026-11-25") not in window


def test_one_year_before_29_february_is_28_february():
    window = Window.ending(day("2028-02-29"), ONE_YEAR)
    assert window.after == day("2027-02-28")
    assert window.first_day == day("2027-03-01")


def test_one_year_before_28_february_after_a_leap_day_includes_the_leap_day():
    window = Window.ending(day("2029-02-28"), ONE_YEAR)
    assert window.after == day("2028-02-28")
    assert day("2028-02-29") in window


def test_one_year_before_1_march_excludes_the_leap_day():
    window = Window.ending(day("2029-03-01"), ONE_YEAR)
    assert window.after == day("2028-03-01")
    assert day("2028-02-29") not in window


def test_60_months_are_calendar_months():
    assert Window.ending(day("2026-11-24"), SIXTY_MONTHS).after == day("2021-11-24")
    assert Window.ending(day("2028-02-29"), SIXTY_MONTHS).after == day("2023-02-28")
    assert Window.ending(day("2026-03-31"), SIXTY_MONTHS).after == day("2021-03-31")


def test_window_describes_itself_from_first_day_to_as_of():
    assert Window.ending(day("2026-11-24"), ONE_YEAR).describe() == "2025-11-25至2026-11-24"


@pytest.mark.parametrize(
    ("first", "last", "overlaps"),
    [
        ("2020-01-01", None, True),  # still running
        ("2020-01-01", "2025-11-25", True),  # ends on the first day
        ("2020-01-01", "2025-11-24", False),  # ends on the day before it
        ("2026-11-24", None, True),  # starts on as_of
        ("2026-11-25", None, False),  # starts after as_of
        ("2026-02-01", "2026-03-01", True),  # wholly inside
        ("2025-01-01", "2027-01-01", True),  # spans it
    ],
)
def test_a_spell_overlaps_the_window_when_a_listed_day_is_in_it(first, last, overlaps):
    window = Window.ending(day("2026-11-24"), ONE_YEAR)
    assert window.overlaps(day(first), day(last) if last else None) is overlaps


def test_parameters_in_force_from_the_effective_date():
    params = parameters_on(datetime.date(2022, 12, 15))
    assert params.version == "2022-12-15"
    assert params.recent_window == ONE_YEAR
    assert params.a_plus_clean_window == SIXTY_MONTHS
    assert params.provincial_policy == "flag"
    assert params.provincial_low_levels == frozenset({"D"})
    assert params.provincial_cap_grade == "B"
    assert params.grade_adjustment_working_days == 5


def test_effective_date_is_the_issue_date():
    assert IN_FORCE_FROM == datetime.date(2022, 12, 15)


def test_parameters_before_the_effective_date_are_not_in_force():
    with pytest.raises(NotInForce) as raised:
        parameters_on(datetime.date(2022, 12, 14))
    assert raised.value.as_of == datetime.date(2022, 12, 14)
    assert "2022-12-15" in str(raised.value)


def test_grading_before_the_effective_date_is_refused():
    with pytest.raises(NotInForce):
        grade([], datetime.date(2022, 12, 14))


def test_grading_on_the_effective_date_uses_version_2022_12_15():
    result = grade([], datetime.date(2022, 12, 15))
    assert result.rule_version == "2022-12-15"


def test_rule_version_stays_2022_12_15_for_later_dates():
    assert grade([], datetime.date(2030, 12, 31)).rule_version == "2022-12-15"
