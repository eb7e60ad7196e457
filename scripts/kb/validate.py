"""Every rule a record must follow, checked in one pass that collects all problems.

The JSON Schema files say what each field looks like; this module adds what a
schema cannot: the id matches the file name, ids and titles are unique,
vocabulary values and legal sources exist, dates are in order, and no text
carries markup or personal data.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Any, Iterator
from urllib.parse import urlparse

from . import privacy, schema
from .load import Document, Sources
from .report import WHOLE_FILE, Problem

_SENTENCE_END = re.compile(r"[。！？!?]+")
# Fields whose text is an office escalation channel: landlines and mailboxes allowed.
_OFFICE_CONTACT = re.compile(r"^internal\.contacts\[\d+\]\.channel$")


def _strings(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))


def _suggest(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.4)
    return f"，是否应为“{close[0]}”？" if close else f"，可选：{'、'.join(choices)}"


def _schema_problems(doc: Document, name: str) -> list[Problem]:
    out = []
    for path, message, at_key in schema.check(name, doc.data):
        line = doc.key_line_of(path) if at_key else doc.line_of(path)
        out.append(doc.problem(path, message, line))
    return out


def _text_problems(doc: Document, data: Any) -> list[Problem]:
    out = []
    for path, text in _strings(data):
        shown = doc.problem(path, "").field
        tag = privacy.markup(text) if path[-1] != "url" else None  # URLs: the schema's scheme rule speaks
        if tag:
            out.append(doc.problem(path, f"不允许包含 HTML 或脚本“{tag[:40]}”，请写纯文本"))
        for finding in privacy.personal_data(text, allow_office_contacts=bool(_OFFICE_CONTACT.match(shown))):
            out.append(doc.problem(path, f"含有个人信息：{finding}，不得写入记录"))
    return out


def _url_problems(doc: Document, data: Any) -> list[Problem]:
    out = []
    for path, text in _strings(data):
        if path and path[-1] == "url" and text.lower().startswith(("http://", "https://")):
            parsed = urlparse(text)
            if not parsed.hostname:
                out.append(doc.problem(path, "网址缺少主机名"))
    return out


class Checker:
    """Checks a whole knowledge base; ``problems`` holds everything found."""

    def __init__(self, sources: Sources):
        self.sources = sources
        self.problems: list[Problem] = list(sources.problems)
        self.laws: dict[str, dict] = {}
        self.law_lines: dict[str, int] = {}
        self.vocab: dict[str, list[str]] = {}

    # -- registry -------------------------------------------------------------
    def check_registry(self) -> None:
        for name, doc in self.sources.registry.items():
            self.problems.extend(doc.problems)
            if doc.data is None:
                continue
            if not isinstance(doc.data, dict):
                self.problems.append(doc.problem(WHOLE_FILE, "应为映射（字段: 值），请对照字段说明", 1))
                continue
            self.problems.extend(_schema_problems(doc, name))
            self.problems.extend(_url_problems(doc, doc.data))
            getattr(self, f"_registry_{name}")(doc)

    def _registry_laws(self, doc: Document) -> None:
        entries = doc.data.get("laws")
        if not isinstance(entries, list):
            return
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

    # -- records --------------------------------------------------------------
    def check_records(self) -> None:
        ids: dict[str, Document] = {}
        titles: dict[str, Document] = {}
        valid: list[Document] = []
        for doc in self.sources.records:
            self.problems.extend(doc.problems)
            if doc.data is None:
                continue
            if not isinstance(doc.data, dict):
                kind = {list: "列表", str: "一段文本"}.get(type(doc.data), "单个值")
                self.problems.append(doc.problem(WHOLE_FILE, f"应为一条记录（字段: 值 的映射），实际为{kind}", doc.line_of(())))
                continue
            # A value the loader refused (a tag, an alias) is reported once, by the loader.
            refused = {p.field for p in doc.problems}
            self.problems.extend(p for p in _schema_problems(doc, "record") if p.field not in refused)
            self._check_record(doc)
            valid.append(doc)
            for key, seen in (("id", ids), ("title", titles)):
                value = doc.data.get(key)
                if not isinstance(value, str):
                    continue
                if value in seen:
                    other = seen[value]
                    what = "编号" if key == "id" else "标题"
                    self.problems.append(
                        doc.problem((key,), f"{what}“{value}”与 {other.display}:{other.line_of((key,))} 重复")
                    )
                    self.problems.append(
                        other.problem((key,), f"{what}“{value}”与 {doc.display}:{doc.line_of((key,))} 重复")
                    )
                else:
                    seen[value] = doc
        for doc in valid:
            related = doc.data.get("related")
            if not isinstance(related, list):
                continue
            for index, other in enumerate(related):
                if isinstance(other, str) and other not in ids:
                    self.problems.append(doc.problem(("related", index), f"相关记录“{other}”不存在"))
                elif other == doc.data.get("id"):
                    self.problems.append(doc.problem(("related", index), "不能把自己列为相关记录"))

    def _check_record(self, doc: Document) -> None:
        data = doc.data
        add = self.problems.append
        record_id = data.get("id")
        if isinstance(record_id, str) and record_id != doc.stem:
            add(doc.problem(("id",), f"编号“{record_id}”与文件名“{doc.path.name}”不一致，应为“{doc.stem}”"))

        for field, vocab in schema.vocabulary_fields().items():
            if vocab not in self.vocab:
                continue
            value = data.get(field)
            items = [((field, i), v) for i, v in enumerate(value)] if isinstance(value, list) else [((field,), value)]
            for path, item in items:
                if isinstance(item, str) and item not in self.vocab[vocab]:
                    add(doc.problem(path, f"“{item}”不在{_VOCAB_NAMES[vocab]}词表中{_suggest(item, self.vocab[vocab])}"))

        basis = data.get("legal_basis")
        if isinstance(basis, list) and "laws" in self.sources.registry:
            laws_doc = self.sources.registry["laws"].display
            for index, entry in enumerate(basis):
                law_id = entry.get("law") if isinstance(entry, dict) else None
                if not isinstance(law_id, str):
                    continue
                law = self.laws.get(law_id)
                if law is None:
                    add(doc.problem(("legal_basis", index, "law"),
                                    f"法律依据“{law_id}”不在登记表 {laws_doc} 中{_suggest(law_id, list(self.laws))}"))
                elif law.get("status") == "已废止" and data.get("status") == "published":
                    add(doc.problem(("legal_basis", index, "law"),
                                    f"引用的{law.get('title', law_id)}已废止（{laws_doc}:{self.law_lines[law_id]}），"
                                    "已发布的记录不能以它为依据"))

        review = data.get("review")
        if isinstance(review, dict):
            start, end = review.get("reviewed_on"), review.get("next_review")
            if _is_date(start) and _is_date(end) and start > end:
                add(doc.problem(("review", "next_review"),
                                f"下次复核日期（{end}）早于最近复核日期 reviewed_on（{start}）"))

        stats = data.get("statistics")
        if isinstance(stats, dict):
            received, solved = stats.get("received"), stats.get("solved")
            if isinstance(received, int) and isinstance(solved, int) and solved > received:
                add(doc.problem(("statistics", "solved"), f"已解决件数（{solved}）不能多于受理件数（{received}）"))

        summary = data.get("summary")
        if isinstance(summary, str):
            sentences = [s for s in _SENTENCE_END.split(summary) if s.strip()]
            if len(sentences) > 3:
                add(doc.problem(("summary",), f"概述应为一到三句话，现有 {len(sentences)} 句"))

        self.problems.extend(_text_problems(doc, data))
        self.problems.extend(_url_problems(doc, data))


_VOCAB_NAMES = {"domains": "领域", "categories": "难办类型", "causes": "共性成因"}


def _is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value)
        return len(value) == 10
    except ValueError:
        return False


def check_sources(sources: Sources) -> list[Problem]:
    """All problems in the knowledge base, registry first."""
    checker = Checker(sources)
    checker.check_registry()
    checker.check_records()
    return checker.problems
