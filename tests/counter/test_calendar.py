"""calendar: the table built from chinesecalendar says the same as the package, day by day."""

import json
from datetime import date, timedelta

import chinese_calendar
import pytest

from kb.counter.calendar import HolidayCalendar, official

CAL = official()


def days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def test_the_table_agrees_with_the_package_on_every_covered_day():
    assert (CAL.first_year, CAL.last_year) == (2004, 2026)  # chinesecalendar==1.11.0
    checked = 0
    for day in days(date(CAL.first_year, 1, 1), date(CAL.last_year, 12, 31)):
        assert CAL.is_workday(day) == chinese_calendar.is_workday(day), day
        checked += 1
    assert checked == 8401


def test_2026_holidays_and_swapped_working_days():
    national_day = [date(2026, 10, d) for d in range(1, 8)]
    assert not any(CAL.is_workday(d) for d in national_day)
    assert CAL.is_workday(date(2026, 9, 20)) and date(2026, 9, 20).weekday() == 6  # a Sunday worked
    assert CAL.is_workday(date(2026, 10, 10)) and date(2026, 10, 10).weekday() == 5  # a Saturday worked
    assert not CAL.is_workday(date(2026, 2, 16))  # 春节, a Monday


def test_years_not_covered_are_monday_to_friday():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 1))  # the package refuses; the table answers Mon-Fri
    assert not CAL.covers(date(2027, 1, 1)) and CAL.is_workday(date(2027, 1, 1))  # a Friday
    assert not CAL.is_workday(date(2027, 1, 2)) and not CAL.is_workday(date(2003, 12, 27))


def test_the_table_is_small_and_round_trips():
    table = CAL.table()
    assert all(date.fromisoformat(d).weekday() < 5 for d in table["rest"])
    assert all(date.fromisoformat(d).weekday() >= 5 for d in table["work"])
    assert HolidayCalendar.from_table(json.loads(json.dumps(table))) == CAL
    assert len(json.dumps(table)) < 12_000
    assert table["source"] == "chinesecalendar 1.11.0"


def test_the_page_script_carries_the_table():
    script = CAL.script()
    prefix = "window.KB_CALENDAR = "
    line = next(line for line in script.splitlines() if line.startswith(prefix))
    assert json.loads(line[len(prefix):].rstrip(";")) == CAL.table()
    assert "<" not in script  # nothing that could end a script element
