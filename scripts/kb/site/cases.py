"""The internal edition's ``cases/`` pages: what the window's ledger teaches, from plain data.

The data comes from ``kb.ledger.site.cases_for_build`` (the hook passes it in ``SiteSettings.cases``);
this module only plans and renders, so the site layer needs nothing of how a ledger is read.

- ``cases/``: the totals (收集诉求、已解决、形成一类事), the discipline kept, charts by month, cause,
  department, class and window (``stats.bar_chart``: readable in 关怀模式, with a table of the same
  numbers), and each class's cases over the months — a class's reuse;
- ``cases/candidates/``: unlinked cases that recur, grouped, with a suggested title, aliases and the
  ``kb new`` command that starts the record;
- ``cases/overdue/``: the cases replied to or resolved late, or still open past their last day.

Each internal guide says how many cases it served (``cases_served`` in the templates). The public
edition gets none of this; it may show the whole-site totals (``ledger_totals``, numbers only).
"""

from __future__ import annotations

from typing import Iterator

from .. import stats
from .plan import ANY, Planned

PAGES = ("cases/index.md", "cases/candidates/index.md", "cases/overdue/index.md")
#: Bars per chart at most (the rest are in the tables).
CHART_BARS = 15


class CasesPages:
    def __init__(self, builder):
        self.builder = builder
        data = builder.settings.cases or {}
        self.data = data
        self.internal = builder.edition.internal
        self.report = data.get("report") if self.internal else None
        served = (self.report or {}).get("by_class", {})
        builder.renderer.globals.update(
            cases_served=(lambda record_id: served.get(record_id, 0)) if self.report else (lambda record_id: None),
            ledger_totals=data.get("totals"),
        )

    def plan(self) -> Iterator:
        if not self.internal:
            return
        for src, make in zip(PAGES, (self.overview, self.candidates, self.overdue)):
            yield Planned(src, frozenset([ANY]), make)

    def _titles(self) -> dict[str, str]:
        return {view["id"]: view["title"] for view in self.builder.edition.views}

    def _common(self) -> dict:
        window = self.data.get("window")
        return {"configured": bool(self.report), "r": self.report or {}, "files": self.data.get("files", []),
                "reply": window and _limit(window.reply), "resolve": window and _limit(window.resolve),
                "titles": self._titles(), "shown": self.data.get("shown", 500)}

    def overview(self):
        report = self.report or {}
        titles = self._titles()
        charts = []
        if report:
            top = lambda counts: dict(list(counts.items())[:CHART_BARS])  # noqa: E731
            charts = [
                stats.bar_chart("按月份", report["by_month"], heading=("月份", "件数")),
                stats.bar_chart("按共性成因", top(report["by_cause"]), heading=("共性成因", "件数")),
                stats.bar_chart("按涉及部门", top(report["by_department"]), heading=("部门", "件数")),
                stats.bar_chart("按一类事", {titles.get(k, k): v for k, v in top(report["by_class"]).items()},
                                heading=("一类事", "件数")),
                stats.bar_chart("按窗口", top(report["by_window"]), heading=("窗口", "件数")),
            ]
        reuse = [{"id": k, "title": titles.get(k, k), "count": v, "months": report["by_class_month"].get(k, {})}
                 for k, v in report.get("by_class", {}).items()]
        return self.builder._render("cases.md.j2", PAGES[0], charts=charts, reuse=reuse, **self._common())

    def candidates(self):
        return self.builder._render("cases_candidates.md.j2", PAGES[1], **self._common())

    def overdue(self):
        return self.builder._render("cases_overdue.md.j2", PAGES[2], **self._common())


def _limit(limit) -> str:
    return limit if isinstance(limit, str) else f"{limit['value']} 个{limit['unit']}"
