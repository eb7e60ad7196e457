"""The knowledge base as every command and the build see it: checked, modelled, and with its warnings.

The records layer checks and models (``kb.records.model``); the warnings need the layers above
it — the law (a source not verified, a citation awaiting review after a revision) and the counter
(a record too long for its one-sheet card) — so they are put together here, above all three.
Add a new kind of warning to ``WARNINGS``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from . import clock
from .counter import calendar, cardfit
from .law import advisories
from .records.load import Sources, load_sources
from .records.model import Loaded
from .records import model
from .records.report import Problem, sort_problems

#: Every kind of warning, in the order they are computed: ``(kb, today) -> iterable of Problem``.
WARNINGS: list[Callable[..., Iterable[Problem]]] = [advisories.source_checks, advisories.awaiting_review,
                                                   cardfit.warnings]


def warnings(kb, today: date) -> list[Problem]:
    """All warnings for ``kb`` on ``today``, sorted like errors."""
    return sort_problems([p for check in WARNINGS for p in check(kb, today)])


def load_knowledge_base(root: Path | str, today: date | str | None = None, check_cache: dict | None = None) -> Loaded:
    """Read, check and (when clean) model the knowledge base under ``root``, with its warnings.

    ``today`` (default: ``kb.clock.today()``) is the day the warnings are computed for;
    ``check_cache``: see ``kb.records.validate.check_sources`` (kept by ``mkdocs serve`` between builds).
    """
    return model_sources(load_sources(Path(root)), today, check_cache)


def model_sources(sources: Sources, today: date | str | None = None, check_cache: dict | None = None) -> Loaded:
    """Check sources already read and (when clean) model them, with their warnings.

    Besides the records layer's checks, the counter checks the locally registered holiday notices
    (``kb.counter.calendar.notice_problems``: the law's days, the package's years); any error means no model.
    """
    loaded = model.model_sources(sources, check_cache)
    errors = calendar.notice_problems(sources.registry.get("holidays"))
    if errors:
        return Loaded(sources, sort_problems(loaded.problems + errors), None)
    if loaded.kb is not None:
        loaded.warnings = warnings(loaded.kb, clock.today(today))
    return loaded
