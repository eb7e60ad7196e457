"""The law as it stands: revisions, laws not yet in force, and how old each source check is.

The registry (``solutions/_registry/laws.yml``) may list a law's ``revisions``,
newest first, each ``{adopted, effective, doc_number?, articles?, note?}``;
``articles`` are the articles (第X条) whose text changed, and a revision
without them counts as touching every article. A record is **awaiting review
after a revision** when it cites a touched article (matched on the 第X条 part
of ``legal_basis[].article``) and its ``review.reviewed_on`` is before the
revision's ``adopted`` date (a review on the day of adoption counts as done).

A law whose ``effective`` date is after today is not yet in force (尚未施行),
and a revision whose ``effective`` date is after today is adopted but not yet
in force. Each entry's ``verified`` says where its text was checked; a check
older than a year is due again (``STALE_AFTER_YEARS``).

Everything here is a pure function of the registry, the records and a day:
the site, ``kb check`` (as warnings), ``kb stats`` and ``kb impact`` share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator

from ..clock import add_years

#: A source check older than this many years is reported (kb check warns).
STALE_AFTER_YEARS = 1

_ARTICLE = re.compile(r"第[一二三四五六七八九十百千零〇0-9]+条")


def article_key(article: str) -> str:
    """The 第X条 part of a citation: ``第二十六条第二款`` -> ``第二十六条``."""
    match = _ARTICLE.match(article)
    return match.group(0) if match else article


def touches(revision: dict, article: str) -> bool:
    """Whether ``revision`` changed the article cited as ``article`` (no list: every article)."""
    articles = revision.get("articles")
    return articles is None or article_key(article) in articles


@dataclass(frozen=True)
class RevisionFlag:
    """One citation of a record that rests on an article revised after the record's last review."""

    record_id: str
    index: int  # position in the record's legal_basis (0-based)
    law_id: str
    law_title: str
    article: str  # as cited, e.g. 第十二条第一款
    adopted: str
    effective: str
    reviewed_on: str
    articles_listed: bool  # False: the registry does not say which articles changed
    doc_number: str = ""
    note: str = ""

    @property
    def key(self) -> str:
        return article_key(self.article)

    def in_force(self, today: date) -> bool:
        return self.effective <= today.isoformat()

    def sentence(self, today: date | None = None, cited: list[str] | None = None) -> str:
        """One Chinese sentence for a notice, a warning or a report line.

        ``cited``: every article of the record under this 第X条 (default: this flag's own).
        """
        when = f"{self.effective} 起施行" if today is None or not self.in_force(today) else f"{self.effective} 已施行"
        which = "" if self.articles_listed else "；登记表未列出修改了哪些条文，视为涉及本条"
        articles = cited or [self.article]
        shown = self.key if articles == [self.key] else f"{self.key}（本提示引用{'、'.join(articles)}）"
        return (f"{self.law_title}{shown}于 {self.adopted} 修订（{when}{which}），"
                f"本工作提示最近一次复核在 {self.reviewed_on}，尚未按修订后的条文复核")


def flags_for(record: dict, laws: dict[str, dict]) -> list[RevisionFlag]:
    """Every (citation, revision) of ``record`` awaiting review; ``record`` is plain record data.

    A citation touched by several revisions after the review is reported once,
    with the newest of them (the one the reviewer has to read).
    """
    if record.get("status") == "retired":
        return []
    reviewed_on = str(record["review"]["reviewed_on"])
    out = []
    for index, entry in enumerate(record["legal_basis"]):
        law_id = entry["law"] if isinstance(entry["law"], str) else entry["law"]["id"]
        law = laws.get(law_id)
        if law is None:
            continue
        for revision in law.get("revisions", []):  # newest first
            if str(revision["adopted"]) > reviewed_on and touches(revision, entry["article"]):
                out.append(RevisionFlag(
                    record_id=record["id"], index=index, law_id=law_id, law_title=law["title"],
                    article=entry["article"], adopted=str(revision["adopted"]),
                    effective=str(revision["effective"]), reviewed_on=reviewed_on,
                    articles_listed="articles" in revision, doc_number=revision.get("doc_number", ""),
                    note=revision.get("note", ""),
                ))
                break
    return out


def merged(flags: list[RevisionFlag]) -> list[tuple[RevisionFlag, list[str]]]:
    """Flags of one record grouped by law, 第X条 and revision: (first flag, every article cited under it)."""
    groups: dict[tuple, tuple[RevisionFlag, list[str]]] = {}
    for flag in flags:
        key = (flag.law_id, flag.key, flag.adopted)
        if key in groups:
            groups[key][1].append(flag.article)
        else:
            groups[key] = (flag, [flag.article])
    return list(groups.values())


def all_flags(records: Iterable, laws: dict[str, dict]) -> dict[str, list[RevisionFlag]]:
    """record id -> its flags, for every record (``Record`` objects or plain data) awaiting review."""
    out = {}
    for record in records:
        data = getattr(record, "data", record)
        flags = flags_for(data, laws)
        if flags:
            out[data["id"]] = flags
    return out


@dataclass(frozen=True)
class LawState:
    """Where a law stands on a given day."""

    in_force: bool
    effective: str  # the date the current text takes or took effect
    pending_revision: dict | None  # the newest revision adopted but not yet in force, if any

    @property
    def label(self) -> str:
        """``尚未施行（2027-01-01 起施行）`` or empty."""
        return "" if self.in_force else f"尚未施行（{self.effective} 起施行）"


def law_state(law: dict, today: date) -> LawState:
    day = today.isoformat()
    pending = next((r for r in law.get("revisions", []) if str(r["effective"]) > day), None)
    return LawState(in_force=str(law["effective"]) <= day, effective=str(law["effective"]), pending_revision=pending)


def check_is_stale(law: dict, today: date) -> bool:
    """True when the entry's text was last checked more than ``STALE_AFTER_YEARS`` before ``today``."""
    verified = law.get("verified")
    if not verified:
        return False
    checked = date.fromisoformat(str(verified["checked_on"]))
    return today > add_years(checked, STALE_AFTER_YEARS)


def cited_articles(citations: Iterable[tuple[dict, dict]]) -> Iterator[tuple[str, list[tuple[dict, dict]]]]:
    """Group (record view, legal_basis entry) pairs by 第X条, in order of first citation."""
    groups: dict[str, list] = {}
    for view, entry in citations:
        groups.setdefault(article_key(entry["article"]), []).append((view, entry))
    yield from groups.items()
