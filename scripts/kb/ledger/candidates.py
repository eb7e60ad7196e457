"""The seeds of new records: unlinked cases that recur, grouped, each group with a suggested title and aliases.

Only cases that have no 一类事编号 *and* for which ``link`` finds no class go into the pool: a case
the search already places belongs to an existing record, it only needs its 编号 filled in.

Grouping is one pass over the pool (linear in the number of cases, as a province's year needs):
each summary is reduced to its content bigrams, exactly as the search worker reads a query
(function words masked, 繁体 folded; ``kb.search.rank``); a bigram weighs its idf over the pool,
and the bigrams that half the pool or a quarter of the records share (窗口, 部门) are left out. A case joins the group whose
first case it overlaps most — the shared weight over the smaller of the two — when that is at
least ``JOIN``; otherwise it starts a group. Groups of ``MIN_CASES`` or more recur.

The title is the longest run of jieba words (at most twelve characters) that at least ``SUPPORT`` of the group's summaries
contain; the aliases are the next such runs that the title does not already contain — the words
the cases themselves use. The id for ``kb new`` is the title's pinyin, word by word.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from pypinyin import Style, lazy_pinyin
import rjieba

from ..search.rank import _STOP, Ranker
from .check import Case

JOIN = 0.5
MIN_CASES = 2
SUPPORT = 0.6
#: A bigram in more than this share of the pool says nothing about which matter a case is.
COMMON = 0.5
#: A bigram in this share of the knowledge base's records is generic (部门, 办理, 窗口).
GENERIC = 0.25
#: Summaries looked at for a group's title (a big group says the same thing many times).
SAMPLE = 200
_ID_PART = re.compile(r"[^a-z0-9]+")


@dataclass
class Group:
    cases: list[Case] = field(default_factory=list)
    lead: dict[str, float] = field(default_factory=dict)  # the first case's bigrams and weights
    title: str = ""
    aliases: list[str] = field(default_factory=list)
    record_id: str = ""
    domain: str = ""


def _content(ranker: Ranker, summary: str) -> set[str]:
    grams: set[str] = set()
    for part in ranker.parse(summary):
        for reading in part.readings[:1]:
            grams.update(g for g in reading.grams if len(g) == 2)
    return grams


def group(cases: list[Case], ranker: Ranker, taken_ids=frozenset()) -> list[Group]:
    """Groups of recurring cases among ``cases`` (the unlinked ones no class fits), biggest first."""
    grams = [_content(ranker, c.summary) for c in cases]
    df = Counter(g for gs in grams for g in gs)
    total = len(cases)
    limit = max(2, COMMON * total)
    # a bigram most records have (部门, 办理) names no matter, however small the pool
    generic = {t for t, plist in ranker.postings.items() if len(plist) >= max(3, GENERIC * ranker.total)}
    idf = {g: math.log(1 + total / n) for g, n in df.items() if 2 <= n <= limit and g not in generic}
    groups: list[Group] = []
    by_gram: dict[str, list[int]] = {}
    for case, gs in zip(cases, grams):
        weights = {g: idf[g] for g in gs if g in idf}
        own = sum(weights.values())
        best, best_score = None, 0.0
        if own:
            shared: dict[int, float] = {}
            for g, w in weights.items():
                for number in by_gram.get(g, ()):
                    shared[number] = shared.get(number, 0.0) + w
            for number, value in shared.items():
                score = value / min(own, groups[number].lead_weight)
                if score > best_score or (score == best_score and best is not None and number < best):
                    best, best_score = number, score
        if best is not None and best_score >= JOIN:
            groups[best].cases.append(case)
            continue
        new = Group([case], weights)
        new.lead_weight = own  # type: ignore[attr-defined]
        if own:
            for g in weights:
                by_gram.setdefault(g, []).append(len(groups))
        groups.append(new)
    recurring = [g for g in groups if len(g.cases) >= MIN_CASES]
    recurring.sort(key=lambda g: (-len(g.cases), g.cases[0].accepted, g.cases[0].number))
    ids = set(taken_ids)
    for found in recurring:
        name(found, ranker, ids)
    return recurring


def _phrases(ranker: Ranker, summary: str) -> set[str]:
    """Runs of consecutive jieba words (two to twelve characters, no function word at either end)."""
    out: set[str] = set()
    for part in re.split(r"[^\u3400-\u9fffA-Za-z0-9]+", ranker.fold(summary)):
        if not part:
            continue
        words = [w for w in rjieba.cut(part, False) if w.strip()]
        for i in range(len(words)):
            text = ""
            for j in range(i, len(words)):
                text += words[j]
                if len(text) > 12:
                    break
                if 2 <= len(text) <= 12 and not _STOP.fullmatch(text[0]) and not _STOP.fullmatch(text[-1]):
                    out.add(text)
    return out


def name(found: Group, ranker: Ranker, taken_ids: set[str]) -> None:
    """Give ``found`` a suggested title, aliases, an id for ``kb new`` and its most common domain."""
    sample = found.cases[:SAMPLE]
    counts = Counter(p for case in sample for p in _phrases(ranker, case.summary))
    need = max(2, math.ceil(SUPPORT * len(sample)))
    frequent = sorted((p for p, n in counts.items() if n >= need), key=lambda p: (-len(p), -counts[p], p))
    if frequent:
        title = frequent[0]
    else:
        first = re.split(r"[，。；,;]", sample[0].summary)[0]
        title = first[:20]
    aliases: list[str] = []
    for phrase in frequent[1:]:
        if len(phrase) >= 3 and phrase not in title and not any(phrase in a for a in aliases):
            aliases.append(phrase)
        if len(aliases) == 5:
            break
    found.title = title
    found.aliases = aliases
    found.domain = Counter(c.domain for c in found.cases if c.domain).most_common(1)[0][0] if any(
        c.domain for c in found.cases) else ""
    found.record_id = record_id(title, taken_ids)
    taken_ids.add(found.record_id)


def record_id(title: str, taken: set[str]) -> str:
    """An id for ``kb new``: the title's pinyin, word by word (at most five words), unused."""
    words = [w for w in rjieba.cut(title, False) if w.strip()][:5]
    parts = [_ID_PART.sub("", "".join(lazy_pinyin(w, style=Style.NORMAL, errors="ignore")).lower()) for w in words]
    base = "-".join(p for p in parts if p)[:56].strip("-") or "new-class"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
