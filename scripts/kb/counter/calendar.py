"""The official working-day calendar: the State Council's holidays and swapped working days.

The data comes from the pinned ``chinesecalendar`` package, which transcribes the
notices of the General Office of the State Council (国务院办公厅关于××年部分节假日安排的通知)
year by year. At build time it is reduced to a small table that Python
(``kb.deadline``) and the page (``assets/kb/deadline.js``) read alike:

- ``rest``: Monday–Friday dates that are statutory holidays (法定节假日 and the days added to them);
- ``work``: Saturdays and Sundays that are working days (调休上班);
- ``first_year`` .. ``last_year``: the years the package covers.

A date outside those years is counted Monday–Friday, and whoever counts with it
is told which year is not covered yet. The calendar is updated by raising the
pin once the State Council publishes the next year's schedule (docs/operators.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import metadata

#: The package the table is built from (pinned in pyproject.toml).
PACKAGE = "chinesecalendar"


@dataclass(frozen=True)
class HolidayCalendar:
    """Working days of the covered years; Monday–Friday outside them."""

    first_year: int
    last_year: int
    rest: frozenset[date] = field(default_factory=frozenset)
    work: frozenset[date] = field(default_factory=frozenset)
    source: str = ""

    def covers(self, day: date) -> bool:
        return self.first_year <= day.year <= self.last_year

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day (工作日); uncovered years: Monday–Friday."""
        if not self.covers(day):
            return day.weekday() < 5
        if day in self.work:
            return True
        return day.weekday() < 5 and day not in self.rest

    def table(self) -> dict:
        """The table as plain data (ISO dates, sorted): what the page's script reads."""
        return {
            "source": self.source,
            "first_year": self.first_year,
            "last_year": self.last_year,
            "rest": sorted(d.isoformat() for d in self.rest),
            "work": sorted(d.isoformat() for d in self.work),
        }

    @classmethod
    def from_table(cls, table: dict) -> "HolidayCalendar":
        return cls(
            first_year=int(table["first_year"]),
            last_year=int(table["last_year"]),
            rest=frozenset(date.fromisoformat(d) for d in table["rest"]),
            work=frozenset(date.fromisoformat(d) for d in table["work"]),
            source=str(table.get("source", "")),
        )

    def script(self) -> str:
        """``assets/kb/calendar.js``: the table as a global the deadline script reads.

        A script file (not JSON fetched at run time) so that it also loads from
        ``file://`` and under ``script-src 'self'``.
        """
        data = json.dumps(self.table(), ensure_ascii=False, separators=(",", ":"))
        return (
            "// The official holiday and swapped-working-day calendar, generated at build time by\n"
            f"// scripts/kb/calendar.py from {self.source}. Do not edit: raise the pin and rebuild.\n"
            f"window.KB_CALENDAR = {data};\n"
        )


@lru_cache(maxsize=None)
def official() -> HolidayCalendar:
    """The calendar of the installed ``chinesecalendar`` package.

    Raises ``RuntimeError`` (with the Chinese message to show) when the package is missing.
    """
    try:
        import chinese_calendar
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise RuntimeError(f"缺少节假日日历 {PACKAGE}：请运行 pip install -e . 安装项目依赖") from exc
    holidays, workdays = chinese_calendar.holidays, chinese_calendar.workdays
    years = [d.year for d in holidays]
    return HolidayCalendar(
        first_year=min(years),
        last_year=max(years),
        rest=frozenset(d for d in holidays if d.weekday() < 5),
        work=frozenset(d for d in workdays if d.weekday() >= 5),
        source=f"{PACKAGE} {metadata.version(PACKAGE)}",
    )
