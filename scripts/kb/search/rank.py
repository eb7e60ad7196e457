"""The search worker's ranking, in Python: what the page would list for a query, without a browser.

A line-for-line port of ``parse`` and ``rank`` in ``theme/assets/kb/search-worker.js`` (the
query folded with the index's own ``lang.json`` table, split into parts, each part read as
characters or as pinyin and initials; function words masked; idf × weight × coverage², a
whole-word bonus, the share of parts matched). ``kb ledger link`` uses it to find the class a
case belongs to with the same rules staff meet in the search box. Keep the two in step:
``tests/search/test_search_rank_port.py`` types the query set ``tests/search_queries.yml`` into
the real page in headless Chromium and requires the same documents in the same order, with the
same scores, from this module over the same index files.

Two ways to get an index: ``Ranker.from_site`` reads a built site's ``search/`` files;
``Ranker.from_documents`` takes the documents ``SearchIndexBuilder`` computes (the records'
part of the index, with no build at all).
"""

from __future__ import annotations

import json
import math
import re
from importlib import resources
from dataclasses import dataclass, field
from pathlib import Path

from . import pinyin
from .fold import HAN, HAN_CLASS

_HAS_HAN = re.compile(f"[{HAN_CLASS}]")
_ALNUM = re.compile(r"[a-z0-9]+")
_LATIN = re.compile(r"[a-z]+")
_SCRIPT_RUNS = re.compile(r"[a-z]+|[^a-z]+")
SPLIT = re.compile(r"""[\s,，。、;；:：!！?？"'“”‘’()（）\[\]【】<>《》·/\\|+*=~`^_-]+""")

PINYIN_FACTOR = 0.8
INITIALS_FACTOR = 0.7
INITIALS = pinyin.INITIALS
JOIN = pinyin.JOIN
MAX_RESULTS = 30
UNKNOWN = 0.4
COVERED = 0.34
OPTIONAL_WEIGHT = 3

def _worker_words() -> tuple[list[str], str]:
    """The function words the page's worker masks, read from the worker itself (one list, not two)."""
    source = resources.files("kb").joinpath("theme", "assets", "kb", "search-worker.js").read_text(encoding="utf-8")
    words = re.search(r"const STOP_WORDS = \[(.*?)\];", source, re.S)
    chars = re.search(r'const STOP_CHARS = "([^"]*)";', source)
    if not words or not chars:  # pragma: no cover - the worker was rewritten: the port must follow it
        raise RuntimeError("search-worker.js 里找不到 STOP_WORDS / STOP_CHARS：检索排序的 Python 移植需要同步修改")
    return re.findall(r'"([^"]+)"', words.group(1)), chars.group(1)


STOP_WORDS, STOP_CHARS = _worker_words()
# JS sorts by length (a stable sort): equal lengths keep the list's order
_STOP = re.compile("|".join(sorted(STOP_WORDS, key=len, reverse=True)) + "|[" + STOP_CHARS + "]")


@dataclass
class Reading:
    grams: list[str]
    optional: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    bonus: list[str] = field(default_factory=list)
    factor: float = 1.0


@dataclass
class Part:
    text: str
    readings: list[Reading]


@dataclass
class Hit:
    """One document in the ranked list: its number in the index, score, and which parts it covers."""

    doc: int
    score: float
    matched: list[bool]
    coverage: list[float]


def _ordered(items) -> list:
    return list(dict.fromkeys(items))


class Ranker:
    """The ranking over one index: postings (term -> [(doc, weight), ...]), the number of documents,
    and the fold table and syllable inventory the worker reads from ``lang.json``."""

    def __init__(self, postings: dict[str, list[tuple[int, int]]], total: int, lang: dict,
                 locations: list[str] | None = None):
        self.postings = postings
        self.total = total
        self.locations = locations or []
        self.chars = lang.get("chars", {})
        self.variants = lang.get("variants", {})
        self.regional = lang.get("regional", {})
        self.syllable_set = frozenset(lang.get("syllables", ()))
        self.rule_length = max([0, *(len(k) for k in [*self.variants, *self.regional])])
        self._top = {term: max(w for _, w in plist) for term, plist in postings.items()}
        self._idf = {}
        self._syllables: dict[str, list[list[str]]] = {}

    # -- index -------------------------------------------------------------------------------------
    @classmethod
    def from_site(cls, site: Path | str) -> "Ranker":
        """The index a built site's search worker reads (``search/search_index.json`` and its folder)."""
        site = Path(site)
        manifest = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]["kb"]
        base = site / manifest["base"]
        postings: dict[str, list[tuple[int, int]]] = {}
        for number in range(manifest["shards"]):
            for term, packed in json.loads((base / f"t{number}.json").read_text(encoding="utf-8")).items():
                doc, plist = 0, []
                for value in ([packed] if isinstance(packed, int) else packed):
                    doc += value // 100
                    plist.append((doc, value % 100))
                postings[term] = plist
        lang = json.loads((base / manifest["lang"]).read_text(encoding="utf-8"))
        locations: list[str] = []
        number = 0
        while (base / f"d{number}.json").is_file():
            locations += [row[0] for row in json.loads((base / f"d{number}.json").read_text(encoding="utf-8"))]
            number += 1
        return cls(postings, manifest["docs"], lang, locations)

    @classmethod
    def from_documents(cls, docs: list[dict], lang: dict) -> "Ranker":
        """The index of ``docs`` (``SearchIndexBuilder`` documents: ``terms`` term -> weight), weights capped
        at 99 as in the shards."""
        postings: dict[str, list[tuple[int, int]]] = {}
        for number, doc in enumerate(docs):
            for term, weight in doc["terms"].items():
                postings.setdefault(term, []).append((number, min(weight, 99)))
        return cls(postings, len(docs), lang, [d["location"] for d in docs])

    # -- the query -----------------------------------------------------------------------------------
    def fold(self, text: str) -> str:
        import unicodedata

        chars = list(unicodedata.normalize("NFKC", text).lower())
        changed = [False] * len(chars)
        for i, char in enumerate(chars):
            simple = self.chars.get(char)
            if simple is not None:
                chars[i] = simple
                changed[i] = True
        i = 0
        while i < len(chars):
            for length in range(min(self.rule_length, len(chars) - i), 1, -1):
                key = "".join(chars[i:i + length])
                value = self.variants.get(key)
                if value is None and any(changed[i:i + length]):
                    value = self.regional.get(key)
                if value is not None:
                    chars[i:i + length] = list(value)
                    i += length - 1
                    break
            i += 1
        return "".join(chars)

    def syllables(self, word: str) -> list[list[str]]:
        """Every way to cut a Latin word into the fewest pinyin syllables (at most four ways)."""
        cached = self._syllables.get(word)
        if cached is not None:
            return cached
        memo: dict[int, list[list[str]]] = {}

        def cut(start: int) -> list[list[str]]:
            if start == len(word):
                return [[]]
            if start in memo:
                return memo[start]
            best: list[list[str]] = []
            fewest = math.inf
            for length in range(min(6, len(word) - start), 0, -1):
                syllable = word[start:start + length]
                if syllable not in self.syllable_set:
                    continue
                for rest in cut(start + length):
                    if len(rest) + 1 < fewest:
                        fewest = len(rest) + 1
                        best = []
                    if len(rest) + 1 == fewest and len(best) < 4:
                        best.append([syllable, *rest])
            memo[start] = best
            return best

        found = self._syllables[word] = cut(0)
        return found

    @staticmethod
    def han_reading(raw: str) -> Reading:
        grams: dict[str, None] = {}
        optional: dict[str, None] = {}
        singles: dict[str, None] = {}
        runs = HAN.findall(raw)
        words: dict[str, None] = {}
        bonus: dict[str, None] = {}
        for run in runs:
            chars = list(run)
            if len(chars) >= 3:
                (words if len(runs) == 1 else bonus)[run] = None
            mask = [0] * len(chars)
            for match in _STOP.finditer(run):
                for k in range(match.start(), match.end()):
                    mask[k] = 1
            if all(mask):
                mask = [0] * len(chars)
            for i in range(len(chars) - 1):
                stops = mask[i] + mask[i + 1]
                if stops == 0:
                    grams[chars[i] + chars[i + 1]] = None
                elif stops == 1:
                    optional[chars[i] + chars[i + 1]] = None
            for piece in "".join(" " if mask[i] else c for i, c in enumerate(chars)).split(" "):
                if len(piece) == 1:
                    singles[piece] = None
                elif len(piece) >= 3 and piece != run:
                    bonus[piece] = None
        for word in _ALNUM.findall(raw):
            grams[word] = None
        for single in singles:
            (optional if grams else grams)[single] = None
        for gram in grams:
            optional.pop(gram, None)
        return Reading(list(grams), list(optional), list(words), list(bonus), 1.0)

    def latin_readings(self, words: list[str]) -> list[Reading]:
        readings = [Reading(_ordered(words))]
        cuts: list[list[str]] = [[]]
        for word in words:
            ways = self.syllables(word)
            cuts = [[*cut, *way] for cut in cuts for way in ways][:4] if ways else []
        for cut in cuts:
            if len(cut) < 2:
                continue
            readings.append(Reading(_ordered(cut[i] + JOIN + cut[i + 1] for i in range(len(cut) - 1)), factor=PINYIN_FACTOR))
        if len(words) == 1 and pinyin.INITIALS_MIN <= len(words[0]) <= 10:
            readings.append(Reading([INITIALS + words[0]], factor=INITIALS_FACTOR))
        return readings

    def parse(self, query: str) -> list[Part]:
        pieces: list[str] = []
        for raw in SPLIT.split(self.fold(query)):
            if not raw:
                continue
            if _HAS_HAN.search(raw) and re.search("[a-z]", raw):
                pieces += _SCRIPT_RUNS.findall(raw)
            else:
                pieces.append(raw)
        groups: list[dict] = []
        for piece in pieces:
            latin = bool(_LATIN.fullmatch(piece))
            spelled = latin and len(self.syllables(piece)) > 0
            single = latin and piece in self.syllable_set
            last = groups[-1] if groups else None
            if spelled and last and last["spelled"] and (single or last["single"]):
                last["words"].append(piece)
            else:
                groups.append({"latin": latin, "spelled": spelled, "words": [piece]})
            groups[-1]["single"] = single
        parts = []
        for group in groups:
            readings = self.latin_readings(group["words"]) if group["latin"] else [self.han_reading(group["words"][0])]
            readings = [r for r in readings if r.grams]
            if readings:
                parts.append(Part(" ".join(group["words"]), readings))
        return parts

    # -- the ranking -----------------------------------------------------------------------------------
    def idf(self, term: str) -> float:
        value = self._idf.get(term)
        if value is None:
            value = self._idf[term] = math.log(1 + self.total / len(self.postings[term]))
        return value

    def _score(self, reading: Reading) -> dict[int, tuple[float, float]]:
        postings, idf = self.postings, self.idf
        strength = lambda term: min(1, self._top[term] / OPTIONAL_WEIGHT)  # noqa: E731
        known = [g for g in reading.grams if g in postings]
        unknown = len(reading.grams) - len(known)
        mass = 0.0
        for gram in known:
            mass += idf(gram) * strength(gram)
        mass += UNKNOWN * math.log(1 + self.total) * unknown
        hits: dict[int, list] = {}  # doc -> [sum, mass, extra, word]
        for gram in known:
            weight = idf(gram)
            share = weight * strength(gram)
            for doc, w in postings[gram]:
                entry = hits.get(doc)
                if entry is None:
                    entry = hits[doc] = [0.0, 0.0, 0.0, False]
                entry[0] += weight * w
                entry[1] += share
        for gram in reading.optional:
            if gram not in postings:
                continue
            weight = idf(gram)
            for doc, w in postings[gram]:
                entry = hits.get(doc)
                if entry is None or w < OPTIONAL_WEIGHT:
                    continue
                entry[0] += weight * w
                entry[2] += weight
        for word in [*reading.words, *reading.bonus]:
            if word not in postings:
                continue
            weight = idf(word)
            whole = word in reading.words
            for doc, w in postings[word]:
                entry = hits.get(doc)
                if entry is None:
                    entry = hits[doc] = [0.0, 0.0, 0.0, False]
                entry[0] += 2 * weight * w
                entry[3] = entry[3] or whole
        out = {}
        for doc, (total, got, extra, word) in hits.items():
            coverage = 1 if word else (min(1, (got + extra) / (mass + extra)) if mass else 0)
            out[doc] = (reading.factor * total * coverage * coverage * (1.5 if coverage == 1 else 1), coverage)
        return out

    def rank(self, parts: list[Part], limit: int | None = MAX_RESULTS) -> list[Hit]:
        scores: dict[int, Hit] = {}
        for index, part in enumerate(parts):
            best: dict[int, tuple[float, float]] = {}
            for reading in part.readings:
                for doc, hit in self._score(reading).items():
                    seen = best.get(doc)
                    if seen is None or hit[0] > seen[0]:
                        best[doc] = hit
            for doc, (score, coverage) in best.items():
                result = scores.get(doc)
                if result is None:
                    result = scores[doc] = Hit(doc, 0.0, [False] * len(parts), [0.0] * len(parts))
                result.score += score
                result.matched[index] = result.matched[index] or coverage >= COVERED
                result.coverage[index] = max(result.coverage[index], coverage)
        for result in scores.values():
            result.score *= sum(result.matched) / len(parts)
        ranked = sorted((r for r in scores.values() if any(r.matched)), key=lambda r: (-r.score, r.doc))
        return ranked[:limit] if limit else ranked

    def search(self, query: str, limit: int | None = MAX_RESULTS) -> list[Hit]:
        parts = self.parse(query)
        return self.rank(parts, limit) if parts else []
