"""The search index: what counter staff type must find the right guide.

Why not the theme's built-in index: it keeps jieba's whole words only (a page
about 居民身份证 is not found by 身份证), writes ASCII-escaped JSON and puts
every page's full text into one file that every visitor downloads (over 100 MB
for a country-sized knowledge base).

Instead each record is indexed from its fields, weighted (title > aliases >
synonyms > vocabulary > summary and situations > the rest, the guide's own parts —
situations, fees, result, standard items — among the rest), as

- character bigrams of every Chinese run, so any part of a longer word
  matches (身份证 inside 居民身份证, 换领 inside 换领上门服务);
- jieba search-mode words of three or more characters, with a user dictionary
  built from titles, aliases, vocabularies and synonyms, so a query that is a
  whole word or alias gets a bonus;
- the synonym groups (房产证 = 不动产权证书 …) added to every record that
  mentions one member;
- pinyin of the titles, aliases and synonyms (syllable bigrams and initials,
  see ``pinyin.py``), weighted below the characters they spell.

Every text is folded first (``fold.py``: traditional and variant characters
to the simplified ones the records use); the worker folds the query the same
way with the part of the table this index needs (``lang.json``). Han
characters of every CJK block count, one code point each (Extension B and
beyond included). Words are cut by jieba-rs (``rjieba``), with the knowledge
base's own words added to a dictionary of this build only.

A bigram that only straddles two words (人不 in 老人不会手机认证) gets the
lowest weight wherever it is: it matches colloquial queries by accident.

Postings are split into shards by a hash of the term and written as compact
UTF-8 JSON, one number per posting (doc id delta * 100 + weight); the browser's
search worker (theme/assets/kb/search-worker.js) fetches only the shards a query
needs, so the download per query stays small whatever the number of records.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import marshal
import math
import os
import re
from html.parser import HTMLParser

import rjieba

from . import pinyin
from .. import parallel
from ..site.edition import Edition
from .fold import HAN, Folder, normalize

log = logging.getLogger("mkdocs.hooks.kb")

#: The field of a guide's situations, fees, result and standard items. Each of them, added to what ``kb ledger
#: link`` matches, pulled cases to a neighbouring class (precision 0.98 -> 0.95 on tests/ledger_link_cases.yml):
#: citizens' stories name 工本费 or 补领 for several classes alike. The site's search box indexes it.
GUIDE_FIELD = "guide"
#: Field weights: a match in the title counts ten times a match in the body.
WEIGHTS = {"title": 10, "alias": 8, "synonym": 5, "keyword": 4, "summary": 3, "body": 1, GUIDE_FIELD: 1}
#: Weights of the pinyin terms of a field: below its characters, so a record found
#: by what was typed in characters ranks above one found by its pinyin.
PINYIN_WEIGHTS = {"title": 5, "alias": 4, "synonym": 2}
#: Weight of a bigram that straddles two words (see ``segment_terms``), in any field.
STRADDLING_WEIGHT = 1
#: Target size of a postings shard; the browser fetches one shard per query term.
SHARD_BYTES = 48_000
#: Documents per metadata chunk (title, location, teaser, tags).
DOC_CHUNK = 200
#: The worker's fold table and syllable inventory (see ``fold.Folder.table_for``).
LANG_FILE = "lang.json"
TEASER_CHARS = 110

_HAN = HAN
_ALNUM = re.compile(r"[a-z0-9]+")
_SPACE = re.compile(r"\s+")


def fnv1a(term: str) -> int:
    """32-bit FNV-1a over code points; the worker computes the same number."""
    value = 0x811C9DC5
    for char in term:
        value ^= ord(char)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def char_terms(text: str, unigrams: bool = False) -> set[str]:
    """Bigrams of each Chinese run (a lone character stays a unigram), plus ASCII words.

    ``text`` is folded already (``Folder.fold``)."""
    terms: set[str] = set()
    for run in _HAN.findall(text):
        if len(run) == 1 or unigrams:
            terms.update(run)
        terms.update(run[i : i + 2] for i in range(len(run) - 1))
    terms.update(_ALNUM.findall(text))
    return terms


def segment_terms(text: str, jieba: rjieba.Jieba) -> tuple[set[str], set[str], set[str]]:
    """jieba search-mode words of three or more Chinese characters, the bigrams
    that only ever straddle two words in ``text`` (人不 in 老人不会手机认证), and
    all the Chinese words of two or more characters. ``text`` is folded already.

    A straddling bigram is weak evidence: it matches a colloquial query by
    accident (老人不方便 …) as often as on purpose, so it is indexed with a low
    weight. Only words of two to four characters mark a bigram as inside a word;
    longer dictionary entries are whole aliases and titles.
    """
    words: set[str] = set()
    pairs: set[str] = set()
    inside: set[int] = set()
    for word, start, end in jieba.tokenize(text, "search", True):
        if end - start >= 2 and _HAN.fullmatch(word):
            pairs.add(word)
            if end - start >= 3:
                words.add(word)
        if 2 <= end - start <= 4:
            inside.update(range(start, end - 1))
    strong: set[str] = set()
    straddling: set[str] = set()
    for run in _HAN.finditer(text):
        for i in range(run.start(), run.end() - 1):
            (strong if i in inside else straddling).add(text[i : i + 2])
    return words, straddling - strong, pairs


def _flatten(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _flatten(v)]
    if isinstance(value, list):
        return [s for v in value for s in _flatten(v)]
    return []


def record_fields(view: dict, synonyms: list[list[str]], normalized: list[list[str]] | None = None,
                  fold=normalize) -> dict[str, list[str]]:
    """The searchable text of a record, by weight class. Boilerplate stays out.

    ``normalized`` may give the synonym groups already folded with ``fold`` (same order).
    """
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
            *dict.fromkeys(m["group"] for m in view.get("materials", []) if m.get("group")),
            *[q["question"] for q in view.get("faq", [])],
            *view["departments"].get("cooperating", []),
            *view["causes"],
            *basis,
        ],
        # What a guide says beside its steps: what a reader may type (补领, 工本费, 不动产权证书). Its words are
        # shared by several classes, so the ledger's link leaves this field out (``GUIDE_FIELD``).
        GUIDE_FIELD: [
            *[sit["title"] for sit in view.get("situations", [])],
            *[fee["name"] for fee in (view["fees"] if isinstance(view.get("fees"), list) else [])],
            *([view["result"]["name"]] if isinstance(view.get("result"), dict) else []),
            *[item["name"] for item in view.get("items", [])],
        ],
    }
    haystack = fold(" ".join(fields["title"] + fields["alias"] + fields["keyword"] + fields["summary"]))
    groups = normalized if normalized is not None else [[fold(m) for m in group] for group in synonyms]
    fields["synonym"] = [w for group, norm in zip(synonyms, groups) if any(m in haystack for m in norm) for w in group]
    return fields


#: How often (seconds) a search tab left open asks the server whether a new release has been published: a tab that
#: already holds every index file it needs would otherwise answer from the morning's release all day.
RECHECK_SECONDS = 600


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        # scripts, styles and the headings' permalink marks (¶) are not text
        if tag in ("script", "style") or (tag == "a" and "headerlink" in (dict(attrs).get("class") or "").split()):
            self.skip += 1
            self.skipping.append(tag)

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
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
    """Collects documents during a build and writes the sharded index after it.

    ``previous`` (``mkdocs serve``, see kb/preview.py) is the builder of a moment ago. When the
    dictionary is the same, the documents of records whose views are the same objects are taken
    over, and ``build()`` changes only the postings, shards and document chunks of documents that
    changed; the hand-written pages it collected are kept (the preview renders only changed ones
    again). The files written are the same, byte for byte, as a clean build's.
    """

    def __init__(self, edition: Edition, previous: SearchIndexBuilder | None = None, omit: frozenset[str] = frozenset()):
        """``omit``: field kinds of ``record_fields`` left out of the records' documents (the ledger's link)."""
        self.edition = edition
        self.omit = omit
        self.pages: dict[str, tuple[str, str]] = {}  # url -> (title, text), in the order pages were built
        same_folding = previous is not None and previous.edition.kb.variants == edition.kb.variants
        self.folder = previous.folder if same_folding else Folder(edition.kb.variants)
        self.words = self._dictionary_words()
        self._jieba: rjieba.Jieba | None = None  # made on first use: loading the default dictionary takes time
        self._dictionary_loaded = False
        self._records: list[bytes] | None = None  # the records' documents (marshal), when worked out by start()
        # Terms of a text, by (text, kind of terms): the same domain, department,
        # synonym group … recurs in many records. Only valid for this build's dictionary.
        self._terms: dict[tuple[str, int], tuple[frozenset[str], frozenset[str], frozenset[str]]] = {}
        self._record_docs: dict[int, tuple[dict, dict]] = {}  # id(view) -> (view, document)
        self._index: _Index | None = None  # what build() made, for the next builder
        self._previous_index: _Index | None = None
        if previous is not None:
            self.pages = dict(previous.pages)
            if same_folding and previous.words == self.words and previous.edition.kb.synonyms == edition.kb.synonyms:
                self._jieba = previous._jieba
                self._dictionary_loaded = previous._dictionary_loaded
                self._record_docs, self._terms = previous._record_docs, previous._terms
                self._previous_index = previous._index

    def add_page(self, url: str, title: str, text: str) -> None:
        self.pages[url] = (title or "", text)

    def _dictionary_words(self) -> frozenset[str]:
        """The knowledge base's own words (aliases, vocabularies, synonyms), folded."""
        kb = self.edition.kb
        words = {t.name for terms in kb.vocabularies.values() for t in terms}
        words.update(w for group in kb.synonyms for w in group)
        for view in self.edition.views:
            words.update(a for a in view["aliases"] if len(a) <= 12)
        return frozenset(self.folder.fold(word) for word in words if len(word) >= 2)

    def _load_dictionary(self) -> None:
        """Teach jieba the knowledge base's own words (this build's own dictionary: the default one
        plus these)."""
        if self._dictionary_loaded:
            return
        if self._jieba is None:
            self._jieba = rjieba.Jieba()
        for word in sorted(self.words):
            self._jieba.add_word(word, 2000, None)
        self._dictionary_loaded = True

    def start(self, keep_terms: bool = True) -> None:
        """Work out the records' documents now, on every core (``kb.parallel.chunked``; the dictionary is loaded
        here first, so the workers inherit it); the hand-written pages are only known at the end of the build.
        Not in a child beside the build: one that lived on while the pages were rendered kept the build's
        memory of that moment, about 1.3 GB at 20,000 records. ``keep_terms``: keep the terms found per text
        for a next builder (``mkdocs serve``); a build lets them go (about 13 KB per record)."""
        self._load_dictionary()
        views = self.edition.views
        # kept as marshal bytes until the index is written, a quarter of the size of the documents themselves
        # (about 300 MB less at 20,000 records, all through the build)
        self._records = parallel.chunked(lambda a, b: marshal.dumps(self.record_documents(views[a:b])), len(views))
        if not keep_terms:
            self._terms = {}

    def record_documents(self, views: list[dict] | None = None) -> list[dict]:
        """The documents of ``views`` (default: the edition's records), in order: the first part of ``documents()``."""
        self._load_dictionary()
        synonyms = self.edition.kb.synonyms
        fold = self.folder.fold
        normalized = [[fold(m) for m in group] for group in synonyms]
        docs = []
        known = self._record_docs
        for view in self.edition.views if views is None else views:
            cached = known.get(id(view))
            if cached is None or cached[0] is not view:
                fields = record_fields(view, synonyms, normalized, fold)
                for kind in self.omit:
                    fields.pop(kind, None)
                tags = [view["domain"]] + (["草稿"] if view["status"] == "draft" else [])
                cached = (view, self._document(view["url"], view["title"], view["summary"], tags, fields))
            docs.append(cached[1])
        return docs

    def documents(self) -> list[dict]:
        """(location, title, teaser, tags, weighted terms) for every document."""
        if self._records is not None:
            docs = [doc for part in self._records for doc in marshal.loads(part)]
            self._records = None
        else:
            docs = self.record_documents()
        self._record_docs = {id(view): (view, doc) for view, doc in zip(self.edition.views, docs)}
        # A hand-written page at a guide's address (docs/guides/<id>.md wins over the generated
        # guide, see kb.mkdocs_adapter.hooks.on_files) is what readers get there: it is indexed, the record is not.
        docs = [doc for doc in docs if doc["location"] not in self.pages]
        self._load_dictionary()
        for url, (title, text) in self.pages.items():
            docs.append(self._document(url, title, text, [], {"title": [title], "body": [text]}))
        return docs

    def _text_terms(self, text: str, kind: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """The terms of a text, those of them that are weak (straddling bigrams),
        and its pinyin terms (titles, aliases and synonyms only)."""
        mode = 2 if kind in ("title", "alias") else 1 if kind in ("synonym", "keyword", "summary") else 0
        spelled = kind in PINYIN_WEIGHTS
        key = (text, mode + 3 * spelled)
        terms = self._terms.get(key)
        if terms is None:
            folded = self.folder.fold(text)
            found = char_terms(folded, unigrams=mode == 2)
            weak: set[str] = set()
            sounds: set[str] = set()
            if mode:
                words, weak, pairs = segment_terms(folded, self._jieba)
                found |= words
                if spelled:
                    for run in _HAN.findall(folded):
                        sounds |= pinyin.bigrams(run)
                        if len(run) <= pinyin.INITIALS_MAX:
                            pairs.add(run)
                        # words of the default dictionary: the KB's own words would swallow whole aliases
                        pairs.update(pinyin.spans(rjieba.cut(run, True)))
                    sounds.update(filter(None, map(pinyin.initials, pairs)))
            terms = self._terms[key] = (frozenset(found), frozenset(weak), frozenset(sounds))
        return terms

    def _document(self, location, title, teaser, tags, fields) -> dict:
        weights: dict[str, int] = {}
        get = weights.get
        for kind, texts in fields.items():
            weight = WEIGHTS[kind]
            for text in texts:
                terms, weak, sounds = self._text_terms(text, kind)
                for term in terms:
                    # the field's weight; one more for each further field that has the term
                    w = STRADDLING_WEIGHT if term in weak else weight
                    old = get(term)
                    weights[term] = w if old is None else (old if old > w else w) + 1
                if sounds:
                    w = PINYIN_WEIGHTS[kind]
                    for term in sounds:
                        old = get(term)
                        weights[term] = w if old is None else (old if old > w else w) + 1
        teaser = teaser if len(teaser) <= TEASER_CHARS else teaser[:TEASER_CHARS] + "…"
        return {"location": location, "title": title, "teaser": teaser, "tags": tags, "terms": weights}

    def build(self) -> dict[str, bytes]:
        """Relative path -> file content, for everything under ``search/``."""
        docs = self.documents()
        index = _Index.update(self._previous_index, docs) if self._previous_index else _Index.make(docs)
        self._index = index
        files: dict[str, bytes] = {f"t{i}.json": data for i, data in enumerate(index.shard_bytes)}
        # what the worker needs to fold and spell a query like the index: bounded by
        # OpenCC's tables and the syllable inventory, not by the number of records
        chars = {c for term in index.postings if _HAN.fullmatch(term) for c in term}
        lang = self.folder.table_for(chars, index.postings)
        lang["syllables"] = list(pinyin.syllables())
        files[LANG_FILE] = _dump(lang)
        for number, data in enumerate(index.chunk_bytes):
            files[f"d{number}.json"] = data
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
                    "shards": len(index.shard_bytes),
                    "chunk": DOC_CHUNK,
                    "docs": len(docs),
                    "records": len(self.edition.views),
                    "lang": LANG_FILE,
                    "recheck": RECHECK_SECONDS,
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
        shards = sum(1 for rel in files if re.fullmatch(r"t[0-9]+\.json", os.path.basename(rel)))
        sizes = {"files": len(files), "bytes": total, "bytes_per_record": total // records, "shards": shards}
        log.info(
            f"检索索引：{len(self.edition.views)} 条记录和 {len(self.pages)} 个手写页面，"
            f"{len(files)} 个文件（{shards} 个分片），共 {total:,} 字节，平均每条记录 {total // records:,} 字节（UTF-8）"
        )
        return sizes


#: A posting is one number, doc id delta * 100 + weight: a weight is at most 99.
MAX_WEIGHT = 99


class _Index:
    """Postings sharded by term, and the documents' display data in chunks, as bytes.

    ``make`` builds it from the documents; ``update`` from the index of a moment ago and the
    documents now (same number, same order), redoing only the postings of the documents that
    changed and the shards and chunks they fall in. Terms within a shard are sorted, so the
    bytes do not depend on the order documents were added in.
    """

    def __init__(self, docs: list[dict], postings: dict[str, list[int]], size: int):
        self.docs = docs
        self.postings = postings  # term -> [doc id, weight, doc id, weight, ...], by doc id
        self.size = size  # the estimate the number of shards comes from
        self.shard_bytes: list[bytes] = []
        self.chunk_bytes: list[bytes] = []

    @staticmethod
    def _weight(weight: int) -> int:
        return min(weight, MAX_WEIGHT)

    @classmethod
    def make(cls, docs: list[dict]) -> _Index:
        postings: dict[str, list[int]] = {}
        get = postings.get
        for doc_id, doc in enumerate(docs):
            for term, weight in doc["terms"].items():  # (the loop of the index: _weight written out)
                flat = get(term)
                if flat is None:
                    postings[term] = [doc_id, weight if weight < MAX_WEIGHT else MAX_WEIGHT]
                else:
                    flat += (doc_id, weight if weight < MAX_WEIGHT else MAX_WEIGHT)
        size = sum(len(t) * 3 + len(p) * 3 for t, p in postings.items())
        index = cls(docs, postings, size)
        index.shard_bytes = index._shards(range(index.shard_count()))
        index.chunk_bytes = [index._chunk(n) for n in range(index.chunk_count())]
        return index

    @classmethod
    def update(cls, old: _Index, docs: list[dict]) -> _Index:
        if len(docs) != len(old.docs):
            return cls.make(docs)
        changed = [i for i, (a, b) in enumerate(zip(old.docs, docs)) if a is not b and a != b]
        postings = dict(old.postings)
        size = old.size
        touched: set[str] = set()
        for doc_id in changed:
            before, after = old.docs[doc_id]["terms"], docs[doc_id]["terms"]
            for term in before.keys() | after.keys():
                if before.get(term) is not None and after.get(term) is not None and \
                        cls._weight(before[term]) == cls._weight(after[term]):
                    continue
                flat = postings.get(term, [])
                if term in postings:
                    size -= len(term) * 3 + len(flat) * 3
                flat = list(flat)
                at = _position(flat, doc_id)
                if at < len(flat) and flat[at] == doc_id:
                    del flat[at:at + 2]
                if term in after:
                    flat[at:at] = [doc_id, cls._weight(after[term])]
                if flat:
                    postings[term] = flat
                    size += len(term) * 3 + len(flat) * 3
                else:
                    postings.pop(term, None)
                touched.add(term)
        index = cls(docs, postings, size)
        shards = index.shard_count()
        if shards != len(old.shard_bytes):
            index.shard_bytes = index._shards(range(shards))
        else:
            redo = {fnv1a(term) % shards for term in touched}
            index.shard_bytes = list(old.shard_bytes)
            for number, data in zip(sorted(redo), index._shards(sorted(redo))):
                index.shard_bytes[number] = data
        chunks = {doc_id // DOC_CHUNK for doc_id in changed}
        index.chunk_bytes = [index._chunk(n) if n in chunks else old.chunk_bytes[n] for n in range(index.chunk_count())]
        return index

    def shard_count(self) -> int:
        return max(1, math.ceil(self.size / SHARD_BYTES))

    def chunk_count(self) -> int:
        return max(1, math.ceil(len(self.docs) / DOC_CHUNK)) if self.docs else 0

    def _shards(self, numbers) -> list[bytes]:
        """The bytes of the shards ``numbers`` (in that order)."""
        shards = self.shard_count()
        wanted = {n: {} for n in numbers}
        for term, flat in self.postings.items():
            bucket = wanted.get(fnv1a(term) % shards)
            if bucket is None:
                continue
            # one number per posting: (doc id - previous doc id) * 100 + weight (weights are capped
            # at 99); a term in a single document is that number alone, not a list
            encoded, previous = [], 0
            for i in range(0, len(flat), 2):
                encoded.append((flat[i] - previous) * 100 + flat[i + 1])
                previous = flat[i]
            bucket[term] = encoded[0] if len(encoded) == 1 else encoded
        return [_dump(dict(sorted(wanted[n].items()))) for n in numbers]

    def _chunk(self, number: int) -> bytes:
        docs = self.docs[number * DOC_CHUNK:(number + 1) * DOC_CHUNK]
        return _dump([[d["location"], d["title"], d["teaser"], d["tags"]] for d in docs])


def _position(flat: list[int], doc_id: int) -> int:
    """Where ``doc_id`` is, or would go, in a flat posting list (doc ids at even places, ascending)."""
    low, high = 0, len(flat) // 2
    while low < high:
        middle = (low + high) // 2
        if flat[2 * middle] < doc_id:
            low = middle + 1
        else:
            high = middle
    return 2 * low


def _dump(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def escape(text: str) -> str:
    return html.escape(text, quote=True)
