"""Every rule a record must follow, checked in one pass that collects all problems.

The JSON Schema files say what each field looks like; this module adds what a
schema cannot: the file name is a valid id and matches the record's id, ids and
titles are unique, vocabulary values and legal sources exist, dates are in
order, and no text (in a record or in the registry) carries markup, invisible
control characters or personal data.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from datetime import date
from typing import Any

from .. import parallel
from . import guide, privacy, schema
from .citation import article_number
from .load import Document, Sources
from .report import WHOLE_FILE, Problem

_ID_SPEC = schema.load_schema("record")["properties"]["id"]
ID_RE = re.compile(_ID_SPEC["pattern"].strip("^$"))  # used with fullmatch
MAX_ID = _ID_SPEC["maxLength"]
_SENTENCE_END = re.compile(r"[。！？!?]+")
_VOCAB_NAMES = {"domains": "领域", "categories": "难办类型", "causes": "共性成因"}


def _is_office_contact(path: tuple, kind: str) -> bool:
    """A public office's own contact is not personal data where a record names that office: an escalation
    channel (internal.contacts[i].channel) may name a landline or mailbox; the guide's service phones a
    landline or hotline, its place a street address. A mobile number is personal everywhere."""
    if len(path) == 4 and path[:2] == ("internal", "contacts") and path[3] == "channel":
        return kind in privacy.OFFICE_CONTACT_KINDS
    if len(path) == 2 and path[0] == "service":
        return (path[1] in ("phone", "complaint_phone") and kind == "landline") or (path[1] == "place" and kind == "address")
    return False


def _suggest(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value[:64], choices, n=1, cutoff=0.4)
    return f"，是否应为“{close[0]}”？" if close else f"，可选：{'、'.join(choices)}"


def _shown(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def _same_text(value: str) -> str:
    """The form two titles are compared in: NFKC, no spaces (全角/半角 and spacing don't make a new title)."""
    return "".join(unicodedata.normalize("NFKC", value).split())


def _schema_problems(doc: Document, name: str) -> list[Problem]:
    out = []
    for path, message, at_key in schema.check(name, doc.data):
        if path in doc.refused:
            continue  # a value the loader refused (a tag, an alias) is reported once, by the loader
        line = doc.key_line_of(path) if at_key else doc.line_of(path)
        out.append(doc.problem(path, message, line))
    return out


def text_problems(doc: Document) -> list[Problem]:
    """Blank text, invisible characters, markup and personal data in every text value of ``doc``.

    The texts (collected by the loader) are normalised one by one and scanned
    together, joined by NUL (which no pattern crosses), so a record costs a few
    regex scans in all.
    """
    out = []
    fields = doc.strings
    for path, text in fields:
        if not text.strip():
            if text:  # "" is the schema's minLength
                out.append(doc.problem(path, "不能只有空格"))
            continue
        char = privacy.invisible(text)
        if char:
            out.append(doc.problem(path, f"含有不可见的控制字符 {char}（常由复制粘贴带入），请删除"))
    texts = [privacy.normalise(text) for _, text in fields]
    starts, offset = [], 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + 1
    joined = "\x00".join(texts)

    def field_at(position: int) -> tuple:
        return fields[bisect.bisect_right(starts, position) - 1][0]

    marked = set()
    for position, snippet in sorted(privacy.scan_markup(joined)):
        path = field_at(position)
        if path[-1:] == ("url",) or path in marked:
            continue  # a link's own rules (scheme, characters, host) are the schema's url rule
        marked.add(path)
        out.append(doc.problem(path, f"不允许包含 HTML、脚本或字符实体“{_shown(snippet)}”，请写纯文本"))
    for position, kind, finding in sorted(privacy.scan_personal(joined)):
        path = field_at(position)
        if _is_office_contact(path, kind):
            continue
        if kind == "email" and path[-1:] == ("url",):
            continue  # user:password@host is the url rule's to report
        out.append(doc.problem(path, f"含有个人信息：{finding}，不得写入记录"))
    return out


class Checker:
    """Checks a whole knowledge base; ``problems`` holds everything found."""

    def __init__(self, sources: Sources, cache: dict | None = None):
        self.sources = sources
        self.cache = cache
        self.problems: list[Problem] = list(sources.problems)
        self.laws: dict[str, dict] = {}
        self.law_lines: dict[str, int] = {}
        self.laws_readable = False  # False: the registry itself is broken, so don't blame every citation
        self.vocab: dict[str, list[str]] = {}

    # -- registry -------------------------------------------------------------
    def check_registry(self) -> None:
        for name, doc in self.sources.registry.items():
            self.problems.extend(doc.problems)
            if doc.data is None:
                continue
            if not isinstance(doc.data, dict):
                self.problems.append(doc.problem(
                    WHOLE_FILE, f"应为映射（字段: 值），实际为{schema.value_kind(doc.data)}；请对照字段说明", doc.line_of(())))
                continue
            self.problems.extend(_schema_problems(doc, name))
            self.problems.extend(text_problems(doc))
            getattr(self, f"_registry_{name}")(doc)

    def _registry_laws(self, doc: Document) -> None:
        entries = doc.data.get("laws")
        if not isinstance(entries, list):
            return
        self.laws_readable = True
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            law_id = entry["id"]
            if law_id in self.laws:
                self.problems.append(
                    doc.problem(("laws", index, "id"), f"编号“{law_id}”重复（第 {self.law_lines[law_id]} 行已登记）")
                )
                continue
            self.laws[law_id] = entry
            self.law_lines[law_id] = doc.line_of(("laws", index))
            self._check_revisions(doc, index, entry)

    def _check_revisions(self, doc: Document, index: int, entry: dict) -> None:
        """Revisions are listed newest first, and none takes effect before it was adopted."""
        revisions = entry.get("revisions")
        if not isinstance(revisions, list):
            return
        previous = None
        for number, revision in enumerate(revisions):
            if not isinstance(revision, dict):
                continue
            adopted, effective = revision.get("adopted"), revision.get("effective")
            path = ("laws", index, "revisions", number)
            if _is_date(adopted) and _is_date(effective) and effective < adopted:
                self.problems.append(doc.problem(
                    path + ("effective",), f"修订施行日期（{effective}）早于修订通过日期（{adopted}）"))
            if _is_date(adopted):
                if previous is not None and adopted > previous[1]:
                    self.problems.append(doc.problem(
                        path + ("adopted",),
                        f"修订应从新到旧排列：{adopted} 通过的这次修订比上一项（revisions[{previous[0]}]，{previous[1]}）新，"
                        "请移到它前面"))
                previous = (number, adopted)

    def _registry_vocabularies(self, doc: Document) -> None:
        for kind in ("domains", "categories", "causes"):
            terms = doc.data.get(kind)
            if not isinstance(terms, list):
                continue
            names: dict[str, int] = {}
            slugs: dict[str, int] = {}
            for index, term in enumerate(terms):
                if not isinstance(term, dict):
                    continue
                for key, seen in (("name", names), ("slug", slugs)):
                    value = term.get(key)
                    if not isinstance(value, str):
                        continue
                    if value in seen:
                        self.problems.append(
                            doc.problem((kind, index, key), f"“{value}”重复（第 {seen[value]} 行已有）")
                        )
                    else:
                        seen[value] = doc.line_of((kind, index, key))
            self.vocab[kind] = list(names)

    def _registry_synonyms(self, doc: Document) -> None:
        return None

    def _registry_variants(self, doc: Document) -> None:
        """The variant-character table: one standard form per variant, same length, no chains.

        Search replaces a variant by its standard form in the records and in what is
        typed (kb/fold.py), so a variant listed twice, a standard that is another
        entry's variant, or a different number of characters would make that ambiguous.
        """
        entries = doc.data.get("variants")
        if not isinstance(entries, list):
            return
        standards: dict[str, int] = {}
        variants: dict[str, int] = {}
        for index, entry in enumerate(entries):
            if isinstance(entry, dict) and isinstance(entry.get("standard"), str):
                standards.setdefault(entry["standard"], doc.line_of((("variants", index, "standard"))))
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("standard"), str):
                continue
            standard = entry["standard"]
            items = entry.get("variants")
            if not isinstance(items, list):
                continue
            for k, variant in enumerate(items):
                if not isinstance(variant, str) or not variant:
                    continue
                path = ("variants", index, "variants", k)
                line = doc.line_of(path)
                if variant == standard:
                    self.problems.append(doc.problem(path, f"异体写法“{_shown(variant)}”与规范写法相同"))
                elif len(variant) != len(standard):
                    self.problems.append(doc.problem(
                        path, f"异体写法“{_shown(variant)}”有 {len(variant)} 个字，规范写法“{_shown(standard)}”有 "
                              f"{len(standard)} 个字：只能逐字替换，字数应相同（不同说法请写进同义词表 synonyms.yml）"))
                elif variant in variants:
                    self.problems.append(doc.problem(path, f"异体写法“{_shown(variant)}”重复（第 {variants[variant]} 行已有）"))
                elif variant in standards:
                    self.problems.append(doc.problem(
                        path, f"“{_shown(variant)}”在第 {standards[variant]} 行是规范写法，不能又作异体写法"))
                else:
                    variants[variant] = line

    def _registry_holidays(self, doc: Document) -> None:
        return None  # its days are checked by kb.calendar.notice_problems, which knows the law and the package

    # -- records --------------------------------------------------------------
    def _record_problems(self, doc: Document) -> tuple[list[Problem], bool]:
        """Problems of one record on its own (given the registry), and whether it could be read as a record."""
        mine = self.problems
        self.problems = list(doc.problems)
        try:
            self._check_file_name(doc)
            if doc.data is None:
                return self.problems, False
            if not isinstance(doc.data, dict):
                self.problems.append(doc.problem(
                    WHOLE_FILE, f"应为一条记录（字段: 值 的映射），实际为{schema.value_kind(doc.data)}", doc.line_of(())))
                return self.problems, False
            self.problems.extend(_schema_problems(doc, "record"))
            self._check_record(doc)
            return self.problems, True
        finally:
            self.problems = mine

    def own_problems(self, doc: Document) -> tuple[list[Problem], bool]:
        """``_record_problems``, after which the record's positions are packed again (``Document.pack``)."""
        try:
            return self._record_problems(doc)
        finally:
            doc.repack()

    def check_records(self) -> None:
        ids: dict[str, Document] = {}
        titles: dict[str, Document] = {}
        valid: list[Document] = []
        for doc in self.sources.records:
            # A record's own problems depend on it and the registry only: `mkdocs serve` keeps them
            # for the records that did not change (see kb/preview.py); across records, see below.
            cached = self.cache.get(id(doc)) if self.cache is not None else None
            if cached is None or cached[0] is not doc:
                cached = (doc, *self.own_problems(doc))
                if self.cache is not None:
                    self.cache[id(doc)] = cached
            _, found, readable = cached
            self.problems.extend(found)
            if not readable:
                continue
            valid.append(doc)
            for key, seen in (("id", ids), ("title", titles)):
                value = doc.data.get(key)
                if not isinstance(value, str):
                    continue
                same = value if key == "id" else _same_text(value)
                if same in seen:
                    other = seen[same]
                    what = "编号" if key == "id" else "标题"
                    self.problems.append(
                        doc.problem((key,), f"{what}“{_shown(value)}”与 {other.display}:{other.line_of((key,))} 重复")
                    )
                    self.problems.append(
                        other.problem((key,), f"{what}“{_shown(other.data[key])}”与 {doc.display}:{doc.line_of((key,))} 重复")
                    )
                else:
                    seen[same] = doc
        # A record that could not be read (a YAML error, not a mapping) is blamed in its own
        # file; the records that refer to it by its file name are not wrong, so say nothing there.
        readable = {id(doc) for doc in valid}
        unreadable = {doc.stem for doc in self.sources.records if id(doc) not in readable}
        for doc in valid:
            related = doc.data.get("related")
            if not isinstance(related, list):
                continue
            for index, other in enumerate(related):
                if isinstance(other, str) and other not in ids and other not in unreadable:
                    self.problems.append(doc.problem(("related", index), f"相关记录“{other}”不存在"))
                elif other == doc.data.get("id"):
                    self.problems.append(doc.problem(("related", index), "不能把自己列为相关记录"))

    def _check_file_name(self, doc: Document) -> None:
        """The file name is the id: it must be a valid one, or the page URL could not be built."""
        stem = doc.stem
        if ID_RE.fullmatch(stem) and len(stem) <= MAX_ID:
            return
        suggestion = "-".join(re.findall(r"[a-z0-9]+", stem.lower()))[:MAX_ID].strip("-")
        hint = f"，如改为“{suggestion}.yml”" if suggestion else ""
        self.problems.append(doc.problem(
            WHOLE_FILE,
            f"文件名“{_shown(doc.path.name)}”不是合法的编号：记录文件应命名为“编号.yml”，编号只能由小写字母、数字和单个连字符组成，"
            f"最长 {MAX_ID} 个字符{hint}",
            1,
        ))

    def _check_record(self, doc: Document) -> None:
        data = doc.data
        add = self.problems.append
        record_id = data.get("id")
        if isinstance(record_id, str) and record_id != doc.stem:
            if ID_RE.fullmatch(doc.stem) or not ID_RE.fullmatch(record_id):
                fix = f"应为“{doc.stem}”"
            else:
                fix = f"请把文件改名为“{record_id}.yml”"
            add(doc.problem(("id",), f"编号“{_shown(record_id)}”与文件名“{_shown(doc.path.name)}”不一致，{fix}"))

        for field, vocab in schema.vocabulary_fields().items():
            if vocab not in self.vocab:
                continue
            value = data.get(field)
            items = [((field, i), v) for i, v in enumerate(value)] if isinstance(value, list) else [((field,), value)]
            for path, item in items:
                if isinstance(item, str) and item and item not in self.vocab[vocab]:
                    add(doc.problem(path, f"“{_shown(item)}”不在{_VOCAB_NAMES[vocab]}词表中{_suggest(item, self.vocab[vocab])}"))

        basis = data.get("legal_basis")
        if isinstance(basis, list) and self.laws_readable:
            laws_doc = self.sources.registry["laws"].display
            for index, entry in enumerate(basis):
                law_id = entry.get("law") if isinstance(entry, dict) else None
                if not isinstance(law_id, str):
                    continue
                law = self.laws.get(law_id)
                if law is None:
                    add(doc.problem(("legal_basis", index, "law"),
                                    f"法律依据“{_shown(law_id)}”不在登记表 {laws_doc} 中{_suggest(law_id, list(self.laws))}"))
                elif law.get("status") == "已废止" and data.get("status") == "published":
                    title = law.get("title") if isinstance(law.get("title"), str) else law_id
                    add(doc.problem(("legal_basis", index, "law"),
                                    f"引用的{title}已废止（{laws_doc}:{self.law_lines[law_id]}），"
                                    "已发布的记录不能以它为依据"))
                else:
                    self._check_article_bound(doc, index, entry, law, laws_doc)

        if isinstance(basis, list):
            self._check_basis_refs(doc, basis)
        self.problems.extend(guide.problems(doc))

        review = data.get("review")
        if isinstance(review, dict):
            start, end = review.get("reviewed_on"), review.get("next_review")
            if _is_date(start) and _is_date(end) and start > end:
                add(doc.problem(("review", "next_review"),
                                f"下次复核日期（{end}）早于最近复核日期 reviewed_on（{start}）"))

        stats = data.get("statistics")
        if isinstance(stats, dict):
            received, solved = stats.get("received"), stats.get("solved")
            if _is_count(received) and _is_count(solved) and solved > received:
                add(doc.problem(("statistics", "solved"), f"已解决件数（{solved}）不能多于受理件数（{received}）"))

        summary = data.get("summary")
        if isinstance(summary, str):
            sentences = [s for s in _SENTENCE_END.split(summary) if s.strip()]
            if len(sentences) > 3:
                add(doc.problem(("summary",), f"概述应为一到三句话，现有 {len(sentences)} 句"))

        self.problems.extend(text_problems(doc))


    def _check_article_bound(self, doc: Document, index: int, entry: dict, law: dict, laws_doc: str) -> None:
        """A cited 第X条 exists in the law (``articles``: its number of articles); a published record's laws say it."""
        title = law.get("title") if isinstance(law.get("title"), str) else entry["law"]
        size = law.get("articles")
        where = f"{laws_doc}:{self.law_lines[entry['law']]}"
        if not isinstance(size, int) or isinstance(size, bool):
            if doc.data.get("status") == "published":
                self.problems.append(doc.problem(("legal_basis", index, "law"),
                                                 f"{title}没有登记条文数 articles（{where}）：已发布记录引用的法律都要写明共多少条，"
                                                 "以便核对条号"))
            return
        article = entry.get("article")
        number = article_number(article) if isinstance(article, str) else None
        if number is not None and number > size:
            self.problems.append(doc.problem(("legal_basis", index, "article"),
                                             f"{title}共 {size} 条（{where}），没有第{number}条（{article}）：请对照官方文本核对条号"))

    def _check_basis_refs(self, doc: Document, basis: list) -> None:
        """Each ``basis`` of a step, FAQ item or self-check item names one of the record's legal_basis entries."""
        cited = [f"{b['law']} {b['article']}" for b in basis
                 if isinstance(b, dict) and isinstance(b.get("law"), str) and isinstance(b.get("article"), str)]
        lists = [((field, number, "basis"), item["basis"], what)
                 for field, what in BASIS_FIELDS.items() if isinstance(doc.data.get(field), list)
                 for number, item in enumerate(doc.data[field])
                 if isinstance(item, dict) and isinstance(item.get("basis"), list)]
        for path, refs, what in lists + list(guide.basis_refs(doc.data)):
            for position, ref in enumerate(refs):
                if not isinstance(ref, str) or ref in cited or not ID_REF.fullmatch(ref):
                    continue  # the schema reports a value of the wrong form
                close = difflib.get_close_matches(ref, cited, n=1, cutoff=0.6)
                hint = f"，是否应为“{close[0]}”？" if close else f"，可选：{'、'.join(cited)}" if cited else ""
                self.problems.append(doc.problem(
                    path + (position,), f"{what}依据的“{_shown(ref)}”不在本记录的办理依据（legal_basis）中{hint}"))


#: Items that may say which legal_basis entries they rest on (field -> what it is called in messages).
BASIS_FIELDS = {"procedure": "这一步", "faq": "这条解答", "self_check": "这道自测题", "materials": "这份材料"}
ID_REF = re.compile(schema.load_schema("record")["$defs"]["basis"]["items"]["pattern"].strip("^$"))


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def check_sources(sources: Sources, cache: dict | None = None) -> list[Problem]:
    """All problems in the knowledge base, registry first.

    ``cache`` (kept by the caller between calls, for the same registry only) saves
    checking again the records that are the same objects as last time.
    """
    checker = Checker(sources, cache)
    checker.check_registry()
    if cache is None:
        checker.cache = _records_checked_on_every_core(checker)
    checker.check_records()
    return checker.problems


#: Records from which their own checks are shared between processes (a fork costs more than a few records).
SHARE_FROM = 200


def _records_checked_on_every_core(checker: Checker) -> dict | None:
    """Each record's own problems (``Checker._record_problems``: they depend on it and the registry only) into
    the cache ``check_records`` reads: taken from the store of the last run (``kb.records.store``) for the files
    and registry it knows, computed for the others — on every core (``kb.parallel``) for a large base."""
    known = checker.sources.store
    registry = known.registry_key if known is not None else ""
    docs, cache = checker.sources.records, {}
    if registry:
        for doc in docs:
            found = known.checked(doc.store_key, registry) if doc.store_key else None
            if found is not None:
                cache[id(doc)] = (doc, *found)
        docs = [doc for doc in docs if id(doc) not in cache]
    if len(docs) < SHARE_FROM and not parallel.small_too():
        found = [checker.own_problems(doc) for doc in docs]
    else:
        parts = parallel.chunked(lambda start, stop: [checker.own_problems(doc) for doc in docs[start:stop]],
                                 len(docs))
        found = [result for part in parts for result in part]
    for doc, result in zip(docs, found):
        cache[id(doc)] = (doc, *result)
        if registry and doc.store_key:
            known.remember_checked(doc.store_key, registry, *result)
    return cache
