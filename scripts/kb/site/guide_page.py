"""A guide page: the work prompt as the counter and the public read it, with its deadline panel (the last days
of the committed and statutory limits and of each step) and where to apply (the record's service over the
centre's). One ``SiteBuilder`` part, mixed in.
"""

from __future__ import annotations

from datetime import date


from ..counter import calendar, deadline
from ..law import revisions
from ..records.guide import merged_service
from .plan import Page
from .urls import guide_src


class GuidePage:
    """The guide of one record (``guide``) and what it is made of (a ``SiteBuilder`` part)."""

    def guide(self, view: dict) -> Page:
        src = guide_src(view["id"])
        overdue = self.edition.internal and view["review"]["next_review"] < self.today.isoformat()
        page = self._render(
            "guide.md.j2",
            src,
            r=view,
            slugs={
                "domain": self.slugs["domains"][view["domain"]],
                "category": self.slugs["categories"][view["category"]],
                "causes": self.slugs["causes"],
            },
            related=[self.edition.by_id[i] for i in view.get("related", [])],
            overdue=overdue,
            revised=[(flag, flag.sentence(self.today, cited))
                     for flag, cited in revisions.merged(self.revision_flags.get(view["id"], []))],
            revised_pending=any(not f.in_force(self.today) for f in self.revision_flags.get(view["id"], [])),
            revised_indexes={flag.index for flag in self.revision_flags.get(view["id"], [])},
            basis_names={f"{b['law']['id']} {b['article']}": (b["law"].get("short") or b["law"]["title"]) + b["article"]
                         for b in view["legal_basis"]},
            feedback_url=self.feedback_link(view),
            deadline=self.deadline_panel(view),
            service=self.service(view),
            situation_names={sit["id"]: sit["title"] for sit in view.get("situations") or []},
        )
        page.record = view["id"]
        return page

    def service(self, view: dict) -> dict:
        """Where and when to apply, whom to call: the record's ``service``, field by field over the centre's."""
        return merged_service(view.get("service"), self.settings.centre)

    def deadline_panel(self, view: dict) -> dict:
        """The rows of the guide's deadline panel, dated for a matter accepted on the build day.

        The page's script recomputes the dates for the day it is opened (or the day typed in);
        these are what a reader without scripts sees, and what tests compare the script with.
        """
        cal = self.calendar
        accepted = self.today
        due = self._due
        total = due(accepted, view["time_limit"])
        extras = [due(accepted, d["time_limit"]) for d in view.get("deadlines") or []]
        steps, start = [], accepted
        for step in view["procedure"]:  # one after another, as deadline.chain; a special step (counted: false)
            steps.append(due(start, step["time_limit"]))  # is dated from where it starts, but the next step
            if step.get("counted", True):                  # starts where the last counted one ended
                start = steps[-1].date
        statutory = view.get("statutory_time_limit")
        law = [due(accepted, statutory)] if isinstance(statutory, dict) else []

        def row(kind: str, label: str, limit, due: deadline.Due, attr: str, step: dict | None = None) -> dict:
            unit = limit if isinstance(limit, str) else limit["unit"]
            return {"kind": kind, "label": label, "limit": limit, "attr": attr, "unit": unit,
                    "value": None if isinstance(limit, str) else limit["value"], "hours": unit == deadline.HOURS,
                    "date": due.date.isoformat(), "long": deadline.long_date(due.date),
                    "day": deadline.day_text(due.date), "weekday": deadline.weekday_name(due.date),
                    "special": bool(step) and step.get("counted", True) is False,
                    "for": " ".join(step.get("situations") or []) if step else ""}

        rows = [row("total", "承诺办结", view["time_limit"], total, "data-kb-due-total")]
        rows += [row("statutory", "法定办结", statutory, d, "data-kb-due-statutory") for d in law]
        rows += [row("extra", d["title"], d["time_limit"], due, f'data-kb-due-extra="{i}"')
                 for i, (d, due) in enumerate(zip(view.get("deadlines") or [], extras), 1)]
        rows += [row("step", f"第 {i} 步：{s['title']}", s["time_limit"], due, f'data-kb-due-step="{i}"', s)
                 for i, (s, due) in enumerate(zip(view["procedure"], steps), 1)]
        return {
            "accepted": accepted.isoformat(),
            "rows": rows,
            "uncovered": (uncovered := deadline.uncovered_years([total, *law, *extras, *steps])),
            "pending": [y for y in uncovered if cal.pending(y)],
            "unknown": [y for y in uncovered if not cal.pending(y)],
            "calendar": cal,
            "law": calendar.LAW,
            "law_holidays": calendar.LAW_HOLIDAYS,
        }

    def _due(self, start: date, limit) -> deadline.Due:
        """deadline.due over the project's calendar, remembered: a province's guides share their limits."""
        key = (start, limit) if isinstance(limit, str) else (start, limit["unit"], limit["value"])
        found = self._dues.get(key)
        if found is None:
            found = self._dues[key] = deadline.due(start, limit, self.calendar)
        return found
