"""The window's discipline over the official calendar: by which day each case must be replied to and resolved.

The last days are counted exactly as on a guide's deadline panel and by ``kb deadline``
(``kb.counter.deadline.due`` over ``kb.counter.calendar.official()``): working days after the
acceptance day, skipping statutory holidays and counting swapped working days. A case is late
when it was replied to (resolved) after its last day, and overdue while still open past it on the
day the report is made (``--as-of``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..counter.calendar import official
from ..counter.deadline import due
from .check import Case
from .project import Window


@dataclass(frozen=True)
class Standing:
    """A case measured against the discipline on ``as_of``."""

    reply_by: date
    resolve_by: date
    reply_late: bool  # replied (or, without a reply, closed) after reply_by
    resolve_late: bool  # closed after resolve_by
    reply_open_late: bool  # neither replied nor closed, and as_of is past reply_by
    resolve_open_late: bool  # not closed, and as_of is past resolve_by
    uncovered: tuple[int, ...] = ()

    @property
    def reply_on_time(self) -> bool:
        return not (self.reply_late or self.reply_open_late)

    @property
    def overdue(self) -> bool:
        return self.reply_late or self.resolve_late or self.reply_open_late or self.resolve_open_late

    def reason(self) -> str:
        """Why the case is overdue, in words for the overdue page."""
        out = []
        if self.reply_late:
            out.append("答复超期")
        if self.reply_open_late:
            out.append("逾期未答复")
        if self.resolve_late:
            out.append("办结超期")
        if self.resolve_open_late:
            out.append("逾期未办结")
        return "、".join(out)


class Discipline:
    def __init__(self, window: Window):
        self.window = window
        self.calendar = official()
        self._last: dict[date, tuple[date, date, tuple[int, ...]]] = {}

    def last_days(self, accepted: date) -> tuple[date, date, tuple[int, ...]]:
        """(reply by, resolve by, years counted Monday–Friday for want of the calendar), remembered per day."""
        found = self._last.get(accepted)
        if found is None:
            reply = due(accepted, self.window.reply, self.calendar)
            resolve = due(accepted, self.window.resolve, self.calendar)
            found = self._last[accepted] = (reply.date, resolve.date, tuple(sorted({*reply.uncovered, *resolve.uncovered})))
        return found

    def standing(self, case: Case, as_of: date) -> Standing:
        reply_by, resolve_by, uncovered = self.last_days(case.accepted)
        answered = case.replied or case.closed  # a case closed without a separate reply was answered then
        return Standing(
            reply_by, resolve_by,
            reply_late=answered is not None and answered > reply_by,
            resolve_late=case.closed is not None and case.closed > resolve_by,
            reply_open_late=answered is None and as_of > reply_by,
            resolve_open_late=case.closed is None and as_of > resolve_by,
            uncovered=uncovered,
        )
