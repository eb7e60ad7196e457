"""Pinyin terms for the words people name a matter by (titles, aliases, synonyms).

Staff and citizens on phones type ``shenfenzheng``, ``shen fen zheng`` or just
``sfz``. The index gets, for each Chinese run of such a text (already folded,
see ``fold.py``), with the readings ``pypinyin`` gives in context (银行 hang):

- syllable bigrams, ``shen'fen`` and ``fen'zheng``: like the character bigrams,
  any part of a longer name is found, with or without spaces between syllables
  (the worker cuts what was typed into syllables);
- initials, ``^sfz``, of the whole run (up to ``INITIALS_MAX`` characters), of
  each word of three or more characters jieba finds in it and of every two or three words in a row (up to
  ``SPAN_MAX`` characters: 不定时工作制 is 不定时 + 工作制, ``^bdsgzz``), so the
  usual abbreviations work.

Tones are dropped and ü is written ``v`` (lv), as pinyin keyboards do. A
character without a reading (no data) breaks the run. The worker needs the
syllable inventory to cut a typed word; ``syllables()`` gives it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

#: Longest run whose initials are indexed whole (longer ones only by their words).
INITIALS_MAX = 8
#: Shortest word with an initials term: two letters (sb, yb) stand for dozens of words
#: and would cost a posting in nearly every record (measured: a third of the initials' bytes).
INITIALS_MIN = 3
#: Longest run of two or three consecutive words whose initials are indexed.
SPAN_MAX = 6
#: The prefix of an initials term: keeps ``^sfz`` apart from a word typed in Latin letters.
INITIALS = "^"
#: Between the two syllables of a bigram term: ``xi'an`` is not ``xian``.
JOIN = "'"


def _plain(reading: str) -> str:
    """A tone-marked reading without its tone, ü as v (lǜ -> lv)."""
    decomposed = unicodedata.normalize("NFD", reading.lower()).replace("u\u0308", "v")  # ǜ = u + ¨ + `
    return "".join(c for c in decomposed if c.isascii())


@lru_cache(maxsize=1)
def syllables() -> tuple[str, ...]:
    """Every syllable pypinyin can give (without tone), with a vowel: the worker's inventory."""
    found: set[str] = set()
    for readings in set(pinyin_dict.values()):
        for reading in readings.split(","):
            plain = _plain(reading)
            if plain.isalpha() and any(v in plain for v in "aeiouv"):
                found.add(plain)
    return tuple(sorted(found))


@lru_cache(maxsize=50_000)
def run_syllables(run: str) -> tuple[str | None, ...]:
    """The syllable of each character of a Chinese run, in context; ``None`` where unknown."""
    out = lazy_pinyin(run, style=Style.NORMAL, errors=lambda chars: ["?"] * len(chars), v_to_u=False)
    if len(out) != len(run):  # pypinyin gave a chunk as one item: no reliable alignment
        return tuple([None] * len(run))
    return tuple(s if s and s.isascii() and s.isalpha() else None for s in out)


@lru_cache(maxsize=50_000)
def bigrams(run: str) -> frozenset[str]:
    """Syllable bigram terms of a Chinese run (``shen'fen``)."""
    s = run_syllables(run)
    return frozenset(f"{a}{JOIN}{b}" for a, b in zip(s, s[1:]) if a and b)


@lru_cache(maxsize=100_000)
def initials(word: str) -> str | None:
    """The initials term of a word of ``INITIALS_MIN`` or more characters (``^sfz``), ``None`` if a character has no reading."""
    if len(word) < INITIALS_MIN:
        return None
    s = run_syllables(word)
    if not all(s):
        return None
    return INITIALS + "".join(x[0] for x in s)


def spans(words) -> set[str]:
    """Two or three consecutive words of a run (jieba's cut), up to ``SPAN_MAX`` characters."""
    out: set[str] = set()
    for i in range(len(words)):
        for j in (i + 2, i + 3):
            if j <= len(words):
                joined = "".join(words[i:j])
                if len(joined) <= SPAN_MAX:
                    out.add(joined)
    return out
