"""Article-level impact: what in the knowledge base rests on one article of a law.

When an article changes, a reviewer needs more than the list of guides citing
the law: the exact steps, FAQ answers and self-check answers that follow from
that article. Two things say that an item rests on a citation of its record:

- **declared** (``依据``): the item's optional ``basis`` list names the
  citation as ``"<law id> <article>"``, exactly as in the record's
  ``legal_basis`` (``kb check`` refuses any other value, with its line);
- **mentioned** (``文中提及``): the item's text names the article, either after
  the law's name or short name (``行政许可法第二十六条第二款``), or bare
  (``第二十六条第二款``) when only one law the record cites has that article.

``kb impact LAW [--article 第X条]`` prints both, grouped by article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import revisions
from .revisions import RevisionFlag, article_key

#: Items that can rest on a citation: field -> (name in reports, the texts searched for mentions).
ITEMS = {
    "procedure": ("流程第 {n} 步", ("title", "action"), "title"),
    "faq": ("常见问题 {n}", ("question", "answer"), "question"),
    "self_check": ("自测题 {n}", ("question", "answer"), "question"),
}
DECLARED, MENTIONED = "依据", "文中提及"

_NUM = "[一二三四五六七八九十百千零〇0-9]+"
_MENTION = re.compile(f"第{_NUM}条(?:第{_NUM}款)?(?:第{_NUM}项)?")


def _law_id(entry: dict) -> str:
    return entry["law"] if isinstance(entry["law"], str) else entry["law"]["id"]


def _names(law: dict) -> list[str]:
    title = law["title"]
    names = [title, title.strip("《》")]
    if law.get("short"):
        names += [f"《{law['short']}》", law["short"]]
    return sorted(set(names), key=len, reverse=True)


@dataclass(frozen=True)
class Reliance:
    """One item of a record resting on one of its citations."""

    field: str  # procedure | faq | self_check
    number: int  # 1-based, as shown on the page
    text: str  # the step title or the question
    how: str  # DECLARED or MENTIONED

    @property
    def label(self) -> str:
        return ITEMS[self.field][0].format(n=self.number)


def _mentioned(text: str, entries: list[tuple[int, dict]], laws: dict[str, dict]) -> set[int]:
    """Indexes of the record's citations that ``text`` names."""
    found: set[int] = set()
    cited_laws = {_law_id(e) for _, e in entries}
    for match in _MENTION.finditer(text):
        mention = match.group(0)
        key = article_key(mention)
        before = text[: match.start()].rstrip("的 ")
        named = [law_id for law_id in cited_laws if law_id in laws and any(before.endswith(n) for n in _names(laws[law_id]))]
        candidates = [(i, e) for i, e in entries if article_key(e["article"]) == key]
        if named:
            candidates = [(i, e) for i, e in candidates if _law_id(e) in named]
        elif len({_law_id(e) for _, e in candidates}) > 1:
            continue  # a bare 第X条 that two cited laws have: not attributable
        exact = [i for i, e in candidates if e["article"].startswith(mention)]
        found.update(exact or [i for i, _ in candidates])
    return found


def reliances(record: dict, laws: dict[str, dict]) -> dict[int, list[Reliance]]:
    """legal_basis index -> the items of ``record`` resting on that citation.

    ``record`` is plain record data or an edition view (laws expanded).
    """
    basis = record["legal_basis"]
    entries = list(enumerate(basis))
    refs = {f"{_law_id(e)} {e['article']}": i for i, e in entries}
    out: dict[int, list[Reliance]] = {}
    for field_name, (_, texts, title) in ITEMS.items():
        for number, item in enumerate(record.get(field_name) or [], 1):
            declared = {refs[r] for r in item.get("basis", []) if r in refs}
            mentioned = set()
            for key in texts:
                mentioned |= _mentioned(item.get(key, ""), entries, laws)
            for index in sorted(declared | mentioned):
                how = DECLARED if index in declared else MENTIONED
                out.setdefault(index, []).append(Reliance(field_name, number, item[title], how))
    return out


@dataclass
class Citation:
    """One citation of the law by one guide, with what rests on it."""

    view: dict
    entry: dict
    flag: RevisionFlag | None
    items: list[Reliance] = field(default_factory=list)


@dataclass
class ArticleImpact:
    key: str  # 第X条
    citations: list[Citation]


def impact(edition, law_id: str, article: str | None = None) -> list[ArticleImpact]:
    """Per article of ``law_id``: the guides of ``edition`` citing it and the items resting on each citation.

    ``article`` (第X条, optionally with 款/项) keeps only citations of that article
    (a 第X条 matches every 款 and 项 under it).
    """
    laws = edition.kb.laws
    flags = revisions.all_flags(edition.records, laws)
    by_view: dict[str, dict[int, list[Reliance]]] = {}
    out: list[ArticleImpact] = []
    for key, pairs in revisions.cited_articles(edition.citing(law_id)):
        kept = []
        for view, entry in pairs:
            if article and not entry["article"].startswith(article):
                continue
            index = next(i for i, e in enumerate(view["legal_basis"]) if e is entry)
            if view["id"] not in by_view:
                by_view[view["id"]] = reliances(view, laws)
            flag = next((f for f in flags.get(view["id"], []) if f.index == index), None)
            kept.append(Citation(view, entry, flag, by_view[view["id"]].get(index, [])))
        if kept:
            out.append(ArticleImpact(key, kept))
    return out


def render_text(law: dict, rows: list[ArticleImpact], today: date, article: str | None = None) -> str:
    """The report ``kb impact`` prints."""
    state = revisions.law_state(law, today)
    guides = len({c.view["id"] for row in rows for c in row.citations})
    pending = f"，{state.label}" if state.label else ""
    scope = f"{article}" if article else ""
    lines = [f"{law['title']}{scope}（{law['level']}，{law['status']}{pending}）被 {guides} 条指南引用："]
    if state.pending_revision:
        rev = state.pending_revision
        lines.append(f"  注意：{rev['adopted']} 通过的修订将于 {rev['effective']} 施行。")
    for row in rows:
        waiting = sum(1 for c in row.citations if c.flag)
        lines.append(f"{row.key}：{len(row.citations)} 处引用" + (f"，其中 {waiting} 处待复核" if waiting else ""))
        for c in row.citations:
            view = c.view
            lines.append(f"  {view['id']}\t{c.entry['article']}\t{view['title']}\t[{view['status']}]")
            if c.flag:
                lines.append(f"    待复核：{c.flag.sentence(today)}")
            for item in c.items:
                lines.append(f"    {item.label}（{item.how}）：{item.text}")
    return "\n".join(lines) + "\n"
