"""Which class of matters an unlinked case belongs to, by the site's own search — or none.

The 诉求摘要 is typed, as it is, into the same search the site's box runs: the index documents
``kb.search.index.SearchIndexBuilder`` makes for the records (titles, aliases, synonyms,
applies_when and the rest, weighted; 繁体, variant characters and pinyin folded; without the guide's
situations, fees, result and items, ``GUIDE_FIELD``, which pulled cases to neighbouring classes) and the worker's
ranking rules ported to Python (``kb.search.rank``, held to the page by a browser test). The
records are those of the internal edition (published and draft): a ledger is internal. The
hand-written pages of the site are not in this index (a case can belong only to a record), so
idf is counted over the records alone.

A wrong link is worse than none: staff would file the case under a class it does not belong to.
So the page's first result is suggested only when the evidence is strong and clear:

- ``strength``: the best-matched part's score for that record (idf × field weight × coverage²,
  with the whole-word bonus), i.e. how well one phrase of the summary names the record — measured
  per part because the page's score divides by the number of parts typed, and a ledger's summary
  is a sentence or two of a citizen's story;
- clear: the page's score of the first result leads the second's by ``MARGIN`` of it (two classes
  that fit about as well, 换领身份证上门 and 临时身份证, are left for staff to choose);

and the threshold ``THRESHOLD`` was set on the labelled set ``tests/ledger_link_cases.yml`` for
precision first (``kb bench --ledger`` prints precision and recall; docs/benchmarks.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..records.model import KnowledgeBase
from ..search.fold import HAN
from ..search.index import GUIDE_FIELD, SearchIndexBuilder
from ..search import pinyin
from ..search.rank import Ranker
from ..site.edition import INTERNAL, Edition

#: The least strength of the best part for a suggestion (see the module's docstring).
THRESHOLD = 40.0
#: How far the first result must lead the second on the page's score, as a share of the first's.
MARGIN = 0.3


@dataclass(frozen=True)
class Suggestion:
    record: str | None
    score: float  # the strength of the first result (0 when nothing matched at all)
    title: str = ""
    runner_up: str | None = None


class Linker:
    """The records' search index, and the decision whether its first result is close enough."""

    def __init__(self, kb: KnowledgeBase, threshold: float = THRESHOLD, margin: float = MARGIN):
        self.kb = kb
        self.threshold = threshold
        self.margin = margin
        self._cache: dict[str, Suggestion] = {}

    @cached_property
    def edition(self) -> Edition:
        return Edition(INTERNAL, self.kb)

    @cached_property
    def ranker(self) -> Ranker:
        builder = SearchIndexBuilder(self.edition, omit=frozenset({GUIDE_FIELD}))
        docs = builder.record_documents()
        ranker = Ranker.from_documents(docs, {})
        chars = {c for term in ranker.postings if HAN.fullmatch(term) for c in term}
        lang = builder.folder.table_for(chars, ranker.postings)
        lang["syllables"] = list(pinyin.syllables())
        return Ranker(ranker.postings, ranker.total, lang, ranker.locations)

    @cached_property
    def ids(self) -> list[str]:
        return [view["id"] for view in self.edition.views]

    def strengths(self, summary: str) -> list[tuple[str, float, float]]:
        """(record id, strength, page score) of every record the page would list, in the page's order."""
        ranker = self.ranker
        parts = ranker.parse(summary)
        if not parts:
            return []
        ranked = ranker.rank(parts, limit=None)
        if not ranked:
            return []
        # the best part's own score, per record: the page's score without the share-of-parts factor
        best: dict[int, float] = {}
        for part in parts:
            for hit in ranker.rank([part], limit=None):
                if hit.matched[0] and hit.score > best.get(hit.doc, 0.0):
                    best[hit.doc] = hit.score
        return [(self.ids[h.doc], best.get(h.doc, 0.0), h.score) for h in ranked]

    def suggest(self, summary: str) -> Suggestion:
        cached = self._cache.get(summary)
        if cached is not None:
            return cached
        found = self.strengths(summary)
        if not found:
            result = Suggestion(None, 0.0)
        else:
            first = found[0]  # the page's first result
            second = found[1] if len(found) > 1 else None
            strong = first[1] >= self.threshold
            clear = second is None or second[2] <= first[2] * (1 - self.margin)
            record = first[0] if strong and clear else None
            result = Suggestion(record, round(first[1], 2), self.kb.record(first[0]).title if record else "",
                                second[0] if second else None)
        if len(self._cache) < 200_000:
            self._cache[summary] = result
        return result
