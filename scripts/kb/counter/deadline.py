"""办理时限 as a date: by which day a matter accepted on a given day must be done.

The rules are the law's, and ``assets/kb/deadline.js`` applies exactly the same
ones on the page (tests compare the two for every day of a year):

- ``N 工作日``: count N working days after the acceptance day; the acceptance day
  itself is not counted (《中华人民共和国行政许可法》第八十二条: 期限以工作日计算，
  不含法定节假日; 《中华人民共和国民法典》第二百零一条第一款: 开始的当日不计入，自下一日开始计算).
  Working days follow the official calendar (``kb.calendar``).
- ``N 自然日``: the Nth calendar day after the acceptance day; a last day that is
  not a working day (a weekend or a statutory holiday) moves to the next working
  day (民法典 第二百零三条第一款: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日).
- ``即办``: the acceptance day itself.
- ``N 小时``: hours run on from the moment of acceptance, through nights and rest
  days (民法典 第二百零一条第二款: 按照小时计算期间的，自法律规定或者当事人约定的时间开始计算;
  the rest-day rule of 第二百零三条 speaks of a period's last *day*). A date alone
  does not say at what time the matter was accepted, so the date given is the
  latest day the period can end on: accepted as late as possible (before 24:00),
  N hours end on the ``ceil(N / 24)``-th day after the acceptance day. The page
  says so next to such a date; read the exact hour off the acceptance time.

Steps are taken one after another: each step's period starts the day the previous
step's period ends (``chain``).

A day in a year the calendar does not cover is counted Monday–Friday less the
holidays the law fixes (``kb.calendar``: ``pending`` years), or Monday–Friday alone
past the lunar calendar's range; the years concerned come back in ``Due.uncovered``
so that the reader can be told (``uncovered_notes``).

Dates end at 9999-12-31 (Python's and the page's): a period that would end after
it raises ``DateOutOfRange``, never an ``OverflowError`` or a year 10000.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

from .calendar import HolidayCalendar, official

WORKING_DAYS, CALENDAR_DAYS, HOURS = "工作日", "自然日", "小时"
UNITS = (WORKING_DAYS, CALENDAR_DAYS, HOURS)
IMMEDIATE = "即办"
#: The largest time limit a record may state (record.schema.json: time_limit.value maximum).
MAX_VALUE = 3650

_ONE_DAY = timedelta(days=1)


class DateOutOfRange(ValueError):
    """The last day would fall after 9999-12-31; the message is Chinese and names the acceptance day."""


@dataclass(frozen=True)
class Due:
    """The last day of a period, and the years counted Monday–Friday for want of the official calendar."""

    date: date
    uncovered: tuple[int, ...] = ()


def due(accepted: date, limit: str | dict, calendar: HolidayCalendar | None = None) -> Due:
    """The last day of ``limit`` (``"即办"`` or ``{"value": N, "unit": 工作日|自然日|小时}``) for a matter
    accepted on ``accepted``. Raises ``ValueError`` for a limit of another shape."""
    calendar = calendar or official()
    if limit == IMMEDIATE:
        return Due(accepted)
    if not isinstance(limit, dict) or limit.get("unit") not in UNITS:
        raise ValueError(f"时限应为“{IMMEDIATE}”或 {{value: 正整数, unit: {'|'.join(UNITS)}}}，实际为 {limit!r}")
    value, unit = limit.get("value"), limit["unit"]
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_VALUE:
        raise ValueError(f"时限数值应为 1 到 {MAX_VALUE} 的整数，实际为 {value!r}")
    uncovered: set[int] = set()

    def workday(day: date) -> bool:
        if not calendar.covers(day):
            uncovered.add(day.year)
        return calendar.is_workday(day)

    day = accepted
    try:
        if unit == WORKING_DAYS:
            left = value
            while left > 0:
                day += _ONE_DAY
                if workday(day):
                    left -= 1
        elif unit == CALENDAR_DAYS:
            day = accepted + timedelta(days=value)
            while not workday(day):
                day += _ONE_DAY
        else:  # HOURS
            day = accepted + timedelta(days=math.ceil(value / 24))
    except OverflowError:
        raise DateOutOfRange(f"从受理日期 {accepted.isoformat()} 起算 {value} {unit}，最后一天超出可计算的日期范围"
                             f"（最晚到 {date.max.isoformat()}）") from None
    return Due(day, tuple(sorted(uncovered)))


def chain(accepted: date, limits: Iterable[str | dict], calendar: HolidayCalendar | None = None) -> list[Due]:
    """The last day of each step when the steps are taken one after another from ``accepted``."""
    out, start = [], accepted
    for limit in limits:
        end = due(start, limit, calendar)
        out.append(end)
        start = end.date
    return out


def uncovered_years(dues: Iterable[Due]) -> tuple[int, ...]:
    return tuple(sorted({year for d in dues for year in d.uncovered}))


def uncovered_notes(years: Iterable[int], calendar: HolidayCalendar) -> list[str]:
    """What the reader must be told about the years counted without their notice (one line each kind)."""
    from .calendar import LAW, LAW_HOLIDAYS

    pending = [y for y in years if calendar.pending(y)]
    unknown = [y for y in years if not calendar.pending(y)]
    notes = []
    these = "这一年" if len(pending) == 1 else "这几年"
    if pending:
        notes.append(
            f"注意：{'、'.join(map(str, pending))} 年的调休上班日和补假日尚未公布（日历收录到 {calendar.last_year} 年），"
            f"{these}已按{LAW}把{LAW_HOLIDAYS}计为休息日，其余周一至周五计为工作日；"
            "国务院办公厅公布安排后可能不同，以通知为准。")
    if unknown:
        notes.append(
            f"注意：{'、'.join(map(str, unknown))} 年超出节假日日历的范围（收录 {calendar.first_year}–{calendar.last_year} 年的"
            f"安排，法定节假日推算到 {max(calendar.statutory_until, calendar.last_year)} 年），"
            f"{'这一年' if len(unknown) == 1 else '这几年'}按周一至周五为工作日计算，法定节假日未计入。")
    return notes


WEEKDAYS = "一二三四五六日"


def weekday_name(day: date) -> str:
    return f"星期{WEEKDAYS[day.weekday()]}"


def day_text(day: date) -> str:
    """2026-10-09 -> 2026年10月9日: the part of a shown date that pages keep on one line (class kb-date)."""
    return f"{day.year}年{day.month}月{day.day}日"


def long_date(day: date) -> str:
    """2026-10-09 -> 2026年10月9日（星期五）: how the page and the command line show a due date."""
    return f"{day_text(day)}（{weekday_name(day)}）"
