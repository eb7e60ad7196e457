"""Do a record's time limits fit together on every day of the year?

A work prompt promises a last day (承诺办结时限) that must never fall after the law's (法定办结时限), and its
steps, taken one after another, must be done by the promised day. Limits in different units (工作日 against
自然日) can only be compared through their last days, and those depend on the day the matter is accepted
(holidays, swapped working days). So both rules are checked for every acceptance day of the build's year,
over the official calendar and by the counting rules of ``kb.counter.deadline`` (行政许可法 第八十二条,
民法典 第二百零一条、第二百零三条). Steps marked ``counted: false`` (特殊环节) are left out of the chain; a record
with situations is checked once per situation, with the steps that apply to it.

The answer depends only on the limits, so records with the same limits share one computation: a
province's 2,000 records have a few dozen distinct chains.
"""

from __future__ import annotations

import bisect
import math
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable, Iterator

from ..records.report import Problem
from . import calendar as calendars
from .deadline import CALENDAR_DAYS, HOURS, IMMEDIATE, WORKING_DAYS, long_date


def _key(limit) -> tuple | str:
    return limit if not isinstance(limit, dict) else (limit["value"], limit["unit"])


class _Days:
    """Last days of limits over one calendar for a span of years, by bisection over its working days
    (the same answers as ``kb.counter.deadline.due``, which walks day by day)."""

    def __init__(self, calendar: calendars.HolidayCalendar, year: int):
        start, end = date(year - 1, 1, 1), date(year + 12, 12, 31)
        self.first, self.last = start, end
        day, work = start, []
        while day <= end:
            if calendar.is_workday(day):
                work.append(day.toordinal())
            day += timedelta(days=1)
        self.work = work

    def last_day(self, accepted: date, limit) -> date:
        if limit == IMMEDIATE:
            return accepted
        value, unit = limit
        ordinal = accepted.toordinal()
        if unit == WORKING_DAYS:
            index = bisect.bisect_right(self.work, ordinal) + value - 1
            if index >= len(self.work):
                raise OverflowError
            return date.fromordinal(self.work[index])
        if unit == CALENDAR_DAYS:
            index = bisect.bisect_left(self.work, ordinal + value)
            if index >= len(self.work):
                raise OverflowError
            return date.fromordinal(self.work[index])
        assert unit == HOURS
        return date.fromordinal(ordinal + math.ceil(value / 24))


@lru_cache(maxsize=4096)
def _first_misfit(days: _Days, year: int, committed, statutory, steps: tuple) -> tuple | None:
    """The first acceptance day of ``year`` on which the limits do not fit: (day, what, step index, its last
    day, the bound it passes); None when they fit every day. ``what`` is ``"statutory"`` or ``"step"``."""
    day = date(year, 1, 1)
    while day.year == year:
        try:
            promised = days.last_day(day, committed)
            if statutory is not None:
                bound = days.last_day(day, statutory)
                if promised > bound:
                    return day, "statutory", None, promised, bound
            start = day
            for index, limit in steps:
                start = days.last_day(start, limit)
                if start > promised:
                    return day, "step", index, start, promised
        except OverflowError:  # limits of years: past the span measured, nothing more to compare
            return None
        day += timedelta(days=1)
    return None


def _scenarios(data: dict) -> Iterator[tuple[str | None, str]]:
    """(situation id, how a message names it): one scenario with all steps when no step is situation-specific."""
    situations = [s for s in data.get("situations") or [] if isinstance(s, dict)]
    if not situations or not any(step.get("situations") for step in data.get("procedure") or []):
        yield None, ""
        return
    for situation in situations:
        yield situation["id"], f"（情形“{situation['title']}”）"


def _counted_steps(data: dict, situation: str | None) -> tuple:
    out = []
    for index, step in enumerate(data.get("procedure") or []):
        if step.get("counted") is False:
            continue
        if situation is not None and step.get("situations") and situation not in step["situations"]:
            continue
        out.append((index, _key(step["time_limit"])))
    return tuple(out)


def record_problems(record, days: _Days, year: int) -> Iterator[Problem]:
    data, doc = record.data, record.doc
    committed = _key(data["time_limit"])
    statutory = _key(data["statutory_time_limit"]) if isinstance(data.get("statutory_time_limit"), dict) else None
    said = set()
    for situation, label in _scenarios(data):
        misfit = _first_misfit(days, year, committed, statutory, _counted_steps(data, situation))
        if misfit is None:
            continue
        accepted, what, index, end, bound = misfit
        if what == "statutory":
            if what in said:
                continue
            said.add(what)
            yield doc.problem(("time_limit",), f"承诺办结时限比法定办结时限长：{accepted.isoformat()} 受理的，承诺的最后一天是"
                                               f"{long_date(end)}，晚于法定的最后一天{long_date(bound)}；承诺时限不能超过法定时限")
        elif index not in said:
            said.add(index)
            step = data["procedure"][index]
            yield doc.problem(("procedure", index, "time_limit"),
                              f"步骤“{step['title']}”{label}超出承诺办结时限：{accepted.isoformat()} 受理、各步依次办理的，"
                              f"这一步到{long_date(end)}才到期，晚于承诺的最后一天{long_date(bound)}。请核对各步时限，"
                              "或把不计入承诺时限的特殊环节（现场核查、公告、鉴定等）标为 counted: false 并写 note")


def problems(kb, today: date) -> list[Problem]:
    """Every record whose limits do not fit on some acceptance day of ``today``'s year (errors)."""
    calendar = calendars.for_notices(kb.holiday_notices) if kb.holiday_notices else calendars.official()
    days = _Days(calendar, today.year)
    return [p for record in kb.records for p in record_problems(record, days, today.year)]


def check(records: Iterable, calendar: calendars.HolidayCalendar, year: int) -> list[Problem]:
    """The same check for given records, calendar and year (tests)."""
    days = _Days(calendar, year)
    return [p for record in records for p in record_problems(record, days, year)]
