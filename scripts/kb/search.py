"""The search index: what counter staff type must find the right guide.

Why not the theme's built-in index: it keeps jieba's whole words only (a page
about 居民身份证 is not found by 身份证), writes ASCII-escaped JSON and puts
every page's full text into one file that every visitor downloads (over 100 MB
for a country-sized knowledge base).

Instead each record is indexed from its fields, weighted (title > aliases >
synonyms > vocabulary > summary and situations > the rest), as

- character bigrams of every Chinese run, so any part of a longer word
  matches (身份证 inside 居民身份证, 换领 inside 换领上门服务);
- jieba search-mode words of three or more characters, with a user dictionary
  built from titles, aliases, vocabularies and synonyms, so a query that is a
  whole word or alias gets a bonus;
- the synonym groups (房产证 = 不动产权证书 …) added to every record that
  mentions one member.

Postings are split into shards by a hash of the term and written as compact
UTF-8 JSON; the browser's search worker (theme/assets/kb/search-worker.js)
fetches only the shards a query needs, so the download per query stays small
whatever the number of records.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import math
import os
import re
import unicodedata
from html.parser import HTMLParser

import jieba

from .edition import Edition

jieba.setLogLevel(logging.WARNING)

#: Field weights: a match in the title counts ten times a match in the body.
WEIGHTS = {"title": 10, "alias": 8, "synonym": 5, "keyword": 4, "summary": 3, "body": 1}
#: Target size of a postings shard; the browser fetches one shard per query term.
SHARD_BYTES = 48_000
#: Documents per metadata chunk (title, location, teaser, tags).
DOC_CHUNK = 200
TEASER_CHARS = 110

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ALNUM = re.compile(r"[a-z0-9]+")
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def fnv1a(term: str) -> int:
    """32-bit FNV-1a over code points; the worker computes the same number."""
    value = 0x811C9DC5
    for char in term:
        value ^= ord(char)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def char_terms(text: str, unigrams: bool = False) -> set[str]:
    """Bigrams of each Chinese run (a lone character stays a unigram), plus ASCII words."""
    text = normalize(text)
    terms: set[str] = set()
    for run in _HAN.findall(text):
        if len(run) == 1 or unigrams:
            terms.update(run)
        terms.update(run[i : i + 2] for i in range(len(run) - 1))
    terms.update(_ALNUM.findall(text))
    return terms


def word_terms(text: str) -> set[str]:
    """jieba search-mode words of three or more Chinese characters."""
    return {w for w in jieba.cut_for_search(normalize(text)) if len(w) >= 3 and _HAN.fullmatch(w)}


def _flatten(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _flatten(v)]
    if isinstance(value, list):
        return [s for v in value for s in _flatten(v)]
    return []


def record_fields(view: dict, synonyms: list[list[str]]) -> dict[str, list[str]]:
    """The searchable text of a record, by weight class. Boilerplate stays out."""
    basis = [b["law"].get("short") or b["law"]["title"] for b in view["legal_basis"]]
    fields = {
        "title": [view["title"]],
        "alias": list(view["aliases"]),
        "keyword": [view["domain"], view["category"], view["departments"]["lead"], *view.get("tags", [])],
        "summary": [view["summary"], *view["applies_when"]],
        "body": [
            *[s["title"] for s in view["procedure"]],
            *[s["department"] for s in view["procedure"]],
            *[m["name"] for m in view.get("materials", [])],
            *[q["question"] for q in view.get("faq", [])],
            *view["departments"].get("cooperating", []),
            *view["causes"],
            *basis,
        ],
    }
    haystack = normalize(" ".join(fields["title"] + fields["alias"] + fields["keyword"] + fields["summary"]))
    fields["synonym"] = [w for group in synonyms if any(normalize(m) in haystack for m in group) for w in group]
    return fields


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page_text(content_html: str) -> str:
    parser = _TextParser()
    parser.feed(content_html)
    parser.close()
    return _SPACE.sub(" ", " ".join(parser.parts)).strip()


class SearchIndexBuilder:
    """Collects documents during a build and writes the sharded index after it."""

    def __init__(self, edition: Edition):
        self.edition = edition
        self.pages: list[tuple[str, str, str]] = []
        self._dictionary_loaded = False

    def add_page(self, url: str, title: str, text: str) -> None:
        self.pages.append((url, title or "", text))

    def _load_dictionary(self) -> None:
        """Teach jieba the knowledge base's own words (aliases, vocabularies, synonyms)."""
        if self._dictionary_loaded:
            return
        kb = self.edition.kb
        words = {t.name for terms in kb.vocabularies.values() for t in terms}
        words.update(w for group in kb.synonyms for w in group)
        for view in self.edition.views:
            words.update(a for a in view["aliases"] if len(a) <= 12)
        for word in words:
            if len(word) >= 2:
                jieba.add_word(normalize(word), freq=2000)
        self._dictionary_loaded = True

    def documents(self) -> list[dict]:
        """(location, title, teaser, tags, weighted terms) for every document."""
        self._load_dictionary()
        synonyms = self.edition.kb.synonyms
        docs = []
        for view in self.edition.views:
            fields = record_fields(view, synonyms)
            tags = [view["domain"]] + (["草稿"] if view["status"] == "draft" else [])
            docs.append(self._document(view["url"], view["title"], view["summary"], tags, fields))
        for url, title, text in self.pages:
            docs.append(self._document(url, title, text, [], {"title": [title], "body": [text]}))
        return docs

    def _document(self, location, title, teaser, tags, fields) -> dict:
        weights: dict[str, int] = {}
        for kind, texts in fields.items():
            weight = WEIGHTS[kind]
            for text in texts:
                terms = char_terms(text, unigrams=kind in ("title", "alias"))
                if kind in ("title", "alias", "synonym", "keyword", "summary"):
                    terms |= word_terms(text)
                for term in terms:
                    weights[term] = max(weights.get(term, 0), weight) + (1 if term in weights else 0)
        teaser = teaser if len(teaser) <= TEASER_CHARS else teaser[:TEASER_CHARS] + "…"
        return {"location": location, "title": title, "teaser": teaser, "tags": tags, "terms": weights}

    def build(self) -> dict[str, bytes]:
        """Relative path -> file content, for everything under ``search/``."""
        docs = self.documents()
        postings: dict[str, list[int]] = {}
        for doc_id, doc in enumerate(docs):
            for term, weight in doc["terms"].items():
                postings.setdefault(term, []).extend((doc_id, min(weight, 99)))
        total = sum(len(t) * 3 + len(p) * 3 for t, p in postings.items())
        shards = max(1, math.ceil(total / SHARD_BYTES))
        buckets: list[dict] = [{} for _ in range(shards)]
        for term, flat in postings.items():
            encoded, previous = [], 0
            for i in range(0, len(flat), 2):  # delta-encode doc ids
                encoded += (flat[i] - previous, flat[i + 1])
                previous = flat[i]
            buckets[fnv1a(term) % shards][term] = encoded
        files: dict[str, bytes] = {}
        for index, bucket in enumerate(buckets):
            files[f"t{index}.json"] = _dump(bucket)
        for start in range(0, len(docs), DOC_CHUNK):
            chunk = [[d["location"], d["title"], d["teaser"], d["tags"]] for d in docs[start : start + DOC_CHUNK]]
            files[f"d{start // DOC_CHUNK}.json"] = _dump(chunk)
        digest = hashlib.sha1(b"".join(files[k] for k in sorted(files))).hexdigest()[:12]
        out = {f"search/kb/{digest}/{name}": data for name, data in files.items()}
        manifest = {
            "config": {
                "lang": ["zh"],
                "separator": r"[\s\-]+",
                "pipeline": [],
                "fields": {},
                "kb": {
                    "base": f"search/kb/{digest}/",
                    "shards": shards,
                    "chunk": DOC_CHUNK,
                    "docs": len(docs),
                    "records": len(self.edition.views),
                },
            },
            "docs": [],
        }
        out["search/search_index.json"] = _dump(manifest)
        return out

    def write(self, site_dir: str) -> dict:
        """Write the index into ``site_dir``; returns sizes for reporting."""
        files = self.build()
        stale = os.path.join(site_dir, "search", "kb")
        if os.path.isdir(stale):
            import shutil

            shutil.rmtree(stale)
        total = 0
        for rel, data in files.items():
            path = os.path.join(site_dir, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
            total += len(data)
        records = max(1, len(self.edition.views))
        return {"files": len(files), "bytes": total, "bytes_per_record": total // records}


def _dump(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def escape(text: str) -> str:
    return html.escape(text, quote=True)
