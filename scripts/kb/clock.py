"""What day it is for the knowledge base: injectable, so a build or a test can be run "on" any day.

Several answers depend on the day: a review is overdue, a law is not yet in
force (尚未施行), a source has not been checked for a year. Every command and
the MkDocs build take "today" from, in this order: an explicit value (``kb ...
--today``, ``extra.kb.today`` in the MkDocs config, ``SiteSettings.today``),
the environment variable ``KB_TODAY`` (YYYY-MM-DD), the system date.
"""

from __future__ import annotations

import os
from datetime import date, datetime

ENV = "KB_TODAY"


class ClockError(ValueError):
    """A "today" that is not a date YYYY-MM-DD; the message is Chinese and names where it came from."""


def parse_day(value: date | datetime | str, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ClockError(f"{where} 的值“{value}”不是日期，应写成 YYYY-MM-DD，如 2026-11-30") from None


def today(value: date | datetime | str | None = None) -> date:
    """The day to compute with: ``value`` if given, else ``$KB_TODAY``, else the system date."""
    if value not in (None, ""):
        return parse_day(value, "today")
    env = os.environ.get(ENV, "").strip()
    if env:
        return parse_day(env, f"环境变量 {ENV}")
    return date.today()


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
