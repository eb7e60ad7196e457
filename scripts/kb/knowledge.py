"""The knowledge base as every command and the build see it: checked, modelled, and with its warnings.

The records layer checks and models (``kb.records.model``). Some rules need the layers above it: the
counter's calendar (do the steps fit in the committed limit, the committed in the statutory one, on every
acceptance day of the year; are the registered holiday notices right) and the law's dates (is a cited law
in force today) — those are errors (``ERRORS``); the warnings (a source not verified, a citation awaiting
review after a revision, a leftover ``upcoming`` mark, a record too long for its one-sheet card) are
``WARNINGS``. They are put together here, above all three layers.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from . import clock
from .counter import calendar, cardfit, limits
from .law import advisories, force
from .records.load import Sources, load_sources
from .records.model import Loaded
from .records import model
from .records.report import Problem, sort_problems

#: Errors that need the layers above the records — the calendar, the day a law takes effect: ``(kb, today) ->
#: iterable of Problem``. They run on a knowledge base the records layer found clean; any one means no model.
ERRORS: list[Callable[..., Iterable[Problem]]] = [limits.problems, force.errors]

#: Every kind of warning, in the order they are computed: ``(kb, today) -> iterable of Problem``; the card's
#: also takes the site's centre (``centre=``), whose office data every card prints.
WARNINGS: list[Callable[..., Iterable[Problem]]] = [advisories.source_checks, advisories.awaiting_review,
                                                   force.warnings, cardfit.warnings]


def warnings(kb, today: date, centre: dict | None = None, store=None) -> list[Problem]:
    """All warnings for ``kb`` on ``today``, sorted like errors; ``centre``: ``extra.kb.centre`` (None: none);
    ``store``: the last run's (``kb.records.store``), where the card's plan of an unchanged record is kept."""
    return sort_problems([p for check in WARNINGS
                          for p in (check(kb, today, centre=centre, store=store) if check is cardfit.warnings
                                    else check(kb, today))])


def load_knowledge_base(root: Path | str, today: date | str | None = None, check_cache: dict | None = None,
                        centre: dict | None = None) -> Loaded:
    """Read, check and (when clean) model the knowledge base under ``root``, with its warnings.

    ``today`` (default: ``kb.clock.today()``) is the day the warnings are computed for;
    ``check_cache``: see ``kb.records.validate.check_sources`` (kept by ``mkdocs serve`` between builds);
    ``centre``: the site's ``extra.kb.centre``, for the warnings about cards (see ``warnings``).
    """
    return model_sources(load_sources(Path(root)), today, check_cache, centre)


def model_sources(sources: Sources, today: date | str | None = None, check_cache: dict | None = None,
                  centre: dict | None = None) -> Loaded:
    """Check sources already read and (when clean) model them, with their warnings.

    Besides the records layer's checks, the counter checks the locally registered holiday notices
    (``kb.counter.calendar.notice_problems``: the law's days, the package's years); any error means no model.
    """
    try:
        return _model_sources(sources, today, check_cache, centre)
    finally:
        if sources.store is not None:
            sources.store.close()


def _model_sources(sources: Sources, today, check_cache: dict | None, centre: dict | None) -> Loaded:
    loaded = model.model_sources(sources, check_cache)
    errors = calendar.notice_problems(sources.registry.get("holidays"))
    if errors:
        return Loaded(sources, sort_problems(loaded.problems + errors), None)
    if loaded.kb is None:
        return loaded
    day = clock.today(today)
    errors = sort_problems([p for check in ERRORS for p in check(loaded.kb, day)])
    if errors:
        return Loaded(sources, errors, None)
    loaded.warnings = warnings(loaded.kb, day, centre, sources.store)
    return loaded
