"""calendar: the table built from chinesecalendar says the same as the package, day by day; past the
package's last year the holidays of 《全国年节及纪念日放假办法》 are counted, computed from the lunar calendar."""

import json
from datetime import date, timedelta

import chinese_calendar
import pytest
from borax.calendars.lunardate import MAX_LUNAR_YEAR, LunarDate

from kb.counter.calendar import LAW_SINCE, HolidayCalendar, official, statutory_holidays

CAL = official()
#: The years the installed chinesecalendar covers, read from the package (not written down here: a new
#: release moves them, and these tests must hold for it too).
PACKAGE_FIRST = min(d.year for d in chinese_calendar.holidays)
PACKAGE_LAST = max(d.year for d in chinese_calendar.holidays)
UNCOVERED = PACKAGE_LAST + 1


def days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def test_the_table_agrees_with_the_package_on_every_covered_day():
    assert (CAL.first_year, CAL.last_year) == (PACKAGE_FIRST, PACKAGE_LAST)
    checked = 0
    for day in days(date(CAL.first_year, 1, 1), date(CAL.last_year, 12, 31)):
        assert CAL.is_workday(day) == chinese_calendar.is_workday(day), day
        checked += 1
    assert checked == (date(PACKAGE_LAST + 1, 1, 1) - date(PACKAGE_FIRST, 1, 1)).days


def test_2026_holidays_and_swapped_working_days():
    national_day = [date(2026, 10, d) for d in range(1, 8)]
    assert not any(CAL.is_workday(d) for d in national_day)
    assert CAL.is_workday(date(2026, 9, 20)) and date(2026, 9, 20).weekday() == 6  # a Sunday worked
    assert CAL.is_workday(date(2026, 10, 10)) and date(2026, 10, 10).weekday() == 5  # a Saturday worked
    assert not CAL.is_workday(date(2026, 2, 16))  # 春节, a Monday


def test_2027_new_years_day_is_a_rest_day_before_and_after_the_notice():
    """The issue's case: 2027-01-01 is a Friday and 元旦, whether or not the package has 2027 yet."""
    assert date(2027, 1, 1).weekday() == 4
    assert not CAL.is_workday(date(2027, 1, 1))
    assert CAL.is_workday(date(2027, 1, 4))


def test_the_statutory_holidays_of_2027_follow_the_law():
    """春节 from 除夕 (the day before 正月初一) to 初三, 清明 on the day of the solar term, the rest fixed."""
    got = statutory_holidays(2027)
    by_name = {}
    for day, name in got:
        by_name.setdefault(name, []).append(day.isoformat())
    assert LunarDate(2027, 1, 1).to_solar_date() == date(2027, 2, 6)  # 正月初一
    assert by_name == {
        "元旦": ["2027-01-01"],
        "春节": ["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08"],  # 除夕, 初一, 初二, 初三
        "清明节": ["2027-04-05"],
        "劳动节": ["2027-05-01", "2027-05-02"],
        "端午节": ["2027-06-09"],  # 五月初五
        "中秋节": ["2027-09-15"],  # 八月十五
        "国庆节": ["2027-10-01", "2027-10-02", "2027-10-03"],
    }
    assert len(got) == 13


def test_qingming_is_the_day_of_the_solar_term():
    """Two independent computations of 清明 agree: borax's table and chinesecalendar's formula."""
    for year in range(LAW_SINCE, 2100):  # chinesecalendar's formula reads 2100 as year 00
        (formula,) = [d for d, name in chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
                      if name == "清明"]
        assert dict((n, d) for d, n in statutory_holidays(year))["清明节"] == formula, year


def test_the_law_agrees_with_every_notice_the_package_has_under_it():
    """Every statutory day of a year the package covers under the current law is a holiday in the package."""
    years = range(LAW_SINCE, PACKAGE_LAST + 1)
    assert len(years) >= 2  # 2025 and 2026 at least
    for year in years:
        for day, name in statutory_holidays(year):
            assert chinese_calendar.is_holiday(day), (year, name, day)


def test_a_year_the_package_does_not_cover_counts_the_statutory_holidays():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(UNCOVERED, 1, 1))  # the package refuses; the table answers
    first = date(UNCOVERED, 1, 1)
    assert not CAL.covers(first) and CAL.pending(UNCOVERED)
    for day, _ in statutory_holidays(UNCOVERED):
        assert not CAL.is_workday(day), day
    holidays = {d for d, _ in statutory_holidays(UNCOVERED)}
    for day in days(first, date(UNCOVERED, 12, 31)):
        assert CAL.is_workday(day) == (day.weekday() < 5 and day not in holidays), day  # no swaps guessed


def test_past_the_lunar_calendars_range_and_before_the_package_monday_to_friday():
    assert CAL.statutory_until == MAX_LUNAR_YEAR  # read from the library (borax: 2100)
    assert CAL.pending(MAX_LUNAR_YEAR) and not CAL.pending(MAX_LUNAR_YEAR + 1)
    with pytest.raises(ValueError):
        statutory_holidays(MAX_LUNAR_YEAR + 1)
    national_day = [date(MAX_LUNAR_YEAR + 1, 10, d) for d in (1, 2, 3)]
    assert any(d.weekday() < 5 for d in national_day)
    assert all(CAL.is_workday(d) == (d.weekday() < 5) for d in national_day)  # not known there: Mon-Fri
    assert not CAL.is_workday(date(2003, 12, 27)) and not CAL.pending(2003)  # a Saturday before the package


def test_the_table_is_small_and_round_trips():
    table = CAL.table()
    assert all(date.fromisoformat(d).weekday() < 5 for d in table["rest"])
    assert all(date.fromisoformat(d).weekday() >= 5 for d in table["work"])
    assert HolidayCalendar.from_table(json.loads(json.dumps(table))) == CAL
    assert table["statutory_until"] == CAL.statutory_until
    assert len(json.dumps(table)) < 24_000  # ~8 KB of package days, ~10 KB of statutory days to 2100
    assert table["source"].startswith("chinesecalendar ")


def test_the_page_script_carries_the_table():
    script = CAL.script()
    prefix = "window.KB_CALENDAR = "
    line = next(line for line in script.splitlines() if line.startswith(prefix))
    assert json.loads(line[len(prefix):].rstrip(";")) == CAL.table()
    assert "<" not in script  # nothing that could end a script element
