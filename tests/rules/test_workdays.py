"""Working days (第二十条、第二十一条 deadlines) under the real 2024–2026 arrangements.

The dates below are those of the State Council's notices, as the chinese-calendar
package holds them: 国庆节 2025 off 10月1日–8日, at work Sunday 9月28日 and
Saturday 10月11日; 春节 2026 off 2月15日–23日, at work Saturday 2月14日 and 2月28日.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laborcredit.rules.workdays import (
    MAX_WORKING_DAYS,
    Arrangement,
    Calendar,
    WorkdaysInputError,
    arrangement_problems,
    package_years,
    parse_count,
    parse_days,
)

D = datetime.date
CALENDAR = Calendar()


def add(start: datetime.date, n: int, calendar: Calendar = CALENDAR) -> datetime.date:
    deadline = calendar.add_working_days(start, n)
    assert not deadline.provisional, deadline
    return deadline.date


def test_the_package_arrangements_are_read_from_its_data_through_2026():
    years = package_years()
    assert {2024, 2025, 2026} <= years
    assert min(years) <= 2010


def test_national_day_2025_is_off_and_its_weekend_makeup_days_are_working_days():
    assert not any(CALENDAR.is_working_day(D(2025, 10, day)) for day in range(1, 9))
    assert CALENDAR.is_working_day(D(2025, 9, 28))  # Sunday, 调休
    assert CALENDAR.is_working_day(D(2025, 10, 11))  # Saturday, 调休
    assert not CALENDAR.is_working_day(D(2025, 10, 12))  # an ordinary Sunday


def test_spring_festival_2026_comes_from_the_package():
    assert not any(CALENDAR.is_working_day(D(2026, 2, day)) for day in range(15, 24))
    assert CALENDAR.is_working_day(D(2026, 2, 14)) and CALENDAR.is_working_day(D(2026, 2, 28))


def test_the_day_of_receipt_is_not_counted():
    assert add(D(2025, 11, 17), 1) == D(2025, 11, 18)  # Monday → Tuesday


def test_three_working_days_from_an_ordinary_friday_skip_the_weekend():
    assert add(D(2025, 11, 14), 3) == D(2025, 11, 19)


def test_three_working_days_from_the_friday_before_national_day_2025_count_the_sunday_makeup_day():
    # 9月28日 (Sunday, 调休) is the first, 9月29日 and 9月30日 the second and third.
    assert add(D(2025, 9, 26), 3) == D(2025, 9, 30)


def test_ten_working_days_across_national_day_2025_count_the_saturday_makeup_day():
    # 9月28、29、30日, then 10月9、10、11日 (Saturday, 调休), 13、14、15、16日.
    assert add(D(2025, 9, 26), 10) == D(2025, 10, 16)


def test_three_working_days_received_the_day_before_the_holiday_end_after_it():
    assert add(D(2025, 9, 30), 3) == D(2025, 10, 11)


def test_spring_festival_2026_three_and_ten_working_days_from_the_friday_before():
    assert add(D(2026, 2, 13), 3) == D(2026, 2, 25)  # 2月14日 (Saturday, 调休), 24日, 25日
    assert add(D(2026, 2, 13), 10) == D(2026, 3, 5)  # … 2月28日 (Saturday, 调休) counted


def test_national_day_2024_three_working_days_from_the_friday_before():
    assert add(D(2024, 9, 27), 3) == D(2024, 10, 8)  # 9月29日 (Sunday, 调休), 30日, 10月8日


def test_a_deadline_in_a_year_beyond_the_package_is_provisional_for_that_year():
    beyond = max(package_years()) + 1
    deadline = CALENDAR.add_working_days(D(beyond - 1, 12, 30), 3)
    assert deadline.provisional and deadline.provisional_years == {beyond}
    # 12月31日, 2027年1月1日 (a Friday, taken as a working day), 1月4日
    assert deadline.date == D(2027, 1, 4)
    assert "暂定" in deadline.describe() and f"{beyond}年" in deadline.describe()


def test_a_deadline_entirely_in_a_known_year_is_final_even_near_the_year_end():
    deadline = CALENDAR.add_working_days(D(2026, 12, 28), 3)
    assert deadline.date == D(2026, 12, 31) and not deadline.provisional


def test_entering_the_years_arrangement_makes_the_deadline_final_and_can_move_it():
    holidays = frozenset({D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 3)})
    entered = Calendar([Arrangement(2027, holidays, frozenset())])
    deadline = entered.add_working_days(D(2026, 12, 30), 3)
    assert deadline.date == D(2027, 1, 5) and not deadline.provisional
    assert CALENDAR.add_working_days(D(2026, 12, 30), 3).date == D(2027, 1, 4)


def test_an_entered_makeup_saturday_counts_as_a_working_day():
    national_day = frozenset({D(2027, 10, d) for d in range(1, 8)})
    entered = Calendar([Arrangement(2027, national_day, frozenset({D(2027, 10, 9)}))])
    assert entered.is_working_day(D(2027, 10, 9)) and not CALENDAR.is_working_day(D(2027, 10, 9))
    assert add(D(2027, 9, 30), 2, entered) == D(2027, 10, 9)


def test_days_left_counts_working_days_after_today_up_to_the_deadline():
    assert CALENDAR.working_days_between(D(2025, 9, 26), D(2025, 10, 16)) == 10
    assert CALENDAR.working_days_between(D(2025, 10, 16), D(2025, 10, 16)) == 0
    assert CALENDAR.working_days_between(D(2025, 10, 17), D(2025, 10, 16)) == 0


@pytest.mark.parametrize("n", [0, -1, True, 1.5, "3", None])
def test_a_count_that_is_not_a_positive_integer_is_refused_in_chinese(n):
    with pytest.raises(WorkdaysInputError, match="工作日数应为正整数") as refused:
        CALENDAR.add_working_days(D(2025, 1, 6), n)
    assert refused.value.code == "count-invalid"


def test_a_count_beyond_the_bound_is_refused():
    with pytest.raises(WorkdaysInputError) as refused:
        CALENDAR.add_working_days(D(2025, 1, 6), MAX_WORKING_DAYS + 1)
    assert refused.value.code == "count-too-large"


@pytest.mark.parametrize("start", ["2025-01-06", datetime.datetime(2025, 1, 6, 9), None])
def test_a_start_that_is_not_a_date_is_refused_in_chinese(start):
    with pytest.raises(WorkdaysInputError, match="起算日期应为日期") as refused:
        CALENDAR.add_working_days(start, 3)
    assert refused.value.code == "date-invalid"


@pytest.mark.parametrize("text", ["三", "", "0", "-2", "3.0", "３"])
def test_a_typed_count_must_be_ascii_digits_and_positive(text):
    with pytest.raises(WorkdaysInputError, match="工作日数"):
        parse_count(text)


def test_a_typed_count_is_read():
    assert parse_count(" 10 ") == 10


def test_a_good_arrangement_has_no_problems():
    holidays = [D(2027, 10, d) for d in range(1, 8)]
    assert arrangement_problems(2027, holidays, [D(2027, 9, 26), D(2027, 10, 9)]) == []


def test_an_arrangement_is_checked_whole():
    problems = arrangement_problems(
        2027,
        [D(2027, 10, 1), D(2028, 1, 1)],
        [D(2027, 10, 1), D(2027, 10, 8)],  # a holiday, and a Friday
    )
    codes = sorted(p.code for p in problems)
    assert codes == ["date-outside-year", "holiday-and-workday", "workday-not-weekend"]
    assert all("：" in p.message for p in problems)


def test_an_arrangement_for_a_year_the_package_knows_is_refused():
    (problem,) = arrangement_problems(2025, [D(2025, 10, 1)], [])
    assert problem.code == "year-already-known" and "2025年" in problem.message


def test_an_arrangement_without_holidays_is_refused():
    assert [p.code for p in arrangement_problems(2027, [], [])] == ["field-missing"]


@given(
    start=st.dates(min_value=D(2003, 1, 1), max_value=D(2028, 12, 31)),
    n=st.integers(min_value=1, max_value=40),
)
def test_the_deadline_is_a_working_day_with_exactly_n_working_days_after_the_start(start, n):
    deadline = CALENDAR.add_working_days(start, n)
    assert deadline.date > start and CALENDAR.is_working_day(deadline.date)
    assert CALENDAR.working_days_between(start, deadline.date) == n
    first = start + datetime.timedelta(days=1)
    span = set(range(first.year, deadline.date.year + 1))
    assert deadline.provisional_years == span - package_years()


def test_dates_are_read_with_chinese_separators_and_ranges():
    days = parse_days("2027-01-01，2027-10-01至2027-10-03 2027-01-01、2027-12-30..2027-12-31")
    assert days == [D(2027, 1, 1), D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3),
                    D(2027, 12, 30), D(2027, 12, 31)]  # fmt: skip
    assert parse_days("  ") == []


@pytest.mark.parametrize(
    ("text", "code"),
    [("2027-02-30", "date-invalid"), ("2027/10/01", "date-invalid"),
     ("2027-10-07..2027-10-01", "range-reversed"), ("2027-01-01..2028-12-31", "range-too-long")],
)  # fmt: skip
def test_bad_typed_dates_are_refused_with_their_code(text, code):
    with pytest.raises(WorkdaysInputError) as refused:
        parse_days(text)
    assert refused.value.code == code and refused.value.message
