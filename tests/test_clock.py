"""clock: the day the knowledge base is computed for can be injected."""

from datetime import date, datetime

import pytest

from kb import clock


def test_an_explicit_day_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("KB_TODAY", "2027-01-01")
    assert clock.today("2026-05-01") == date(2026, 5, 1)
    assert clock.today(date(2026, 5, 2)) == date(2026, 5, 2)
    assert clock.today(datetime(2026, 5, 3, 8, 0)) == date(2026, 5, 3)
    assert clock.today() == date(2027, 1, 1)


def test_without_either_it_is_the_system_date(monkeypatch):
    monkeypatch.delenv("KB_TODAY")
    assert clock.today() == date.today()


def test_a_bad_day_is_a_chinese_error_naming_where_it_came_from(monkeypatch):
    monkeypatch.setenv("KB_TODAY", "明天")
    with pytest.raises(clock.ClockError, match="环境变量 KB_TODAY 的值“明天”不是日期"):
        clock.today()


def test_add_years_keeps_the_calendar_day():
    assert clock.add_years(date(2025, 11, 30), 1) == date(2026, 11, 30)
    assert clock.add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
