"""A generated page before and after it is rendered, and the keys that say what it is made from.

The preview (``kb.mkdocs_adapter.preview``) re-renders only the pages whose keys a saved record touches;
``kb.site.pages`` and ``kb.site.cases`` plan their pages with these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .urls import part_src


@dataclass
class Page:
    """One generated file: ``src`` is its path as if it were in docs/ (its URL is MkDocs' to give)."""

    src: str
    content: str
    record: str | None = None  # the record it comes from, for edit links
    #: For a page the engine only copies (an ``.html`` card, notice or print volume; not converted): another
    #: core is writing it straight into the site, and ``later()`` waits until it has (``content`` stays "").
    later: Callable[[], object] | None = None

    @property
    def copied(self) -> bool:
        return copied(self.src)


def copied(src: str) -> bool:
    """Whether the engine copies the page at ``src`` as it is (anything but Markdown), after converting the others."""
    return not src.endswith(".md")


#: What a page may depend on. A page's ``deps`` name the parts of the knowledge base its text
#: is made from, so that a preview (kb/preview.py) renders again only the pages a saved record
#: touches (``touched``). Registry, vocabulary and template changes rebuild everything.
ANY = ("any",)  # a page summing up the whole edition (counts, lists of everything)


def record_key(record_id: str) -> tuple:
    return ("record", record_id)


def term_key(section: str, name: str) -> tuple:
    return ("term", section, name)


def law_key(law_id: str) -> tuple:
    return ("law", law_id)


def view_keys(view: dict) -> set[tuple]:
    """The keys a record's view belongs to: itself, its terms, departments and laws."""
    keys = {record_key(view["id"]), term_key("domains", view["domain"]), term_key("categories", view["category"])}
    keys.update(term_key("causes", c) for c in view["causes"])
    departments = view["departments"]
    keys.update(term_key("departments", d) for d in [departments["lead"], *departments.get("cooperating", [])])
    keys.update(law_key(b["law"]["id"]) for b in view["legal_basis"])
    return keys


def touched(old: dict | None, new: dict | None) -> set[tuple]:
    """Keys whose pages may change when a record's view goes from ``old`` to ``new``: the record
    itself, the summaries, and the terms and laws it joins or leaves (whose lists change shape)."""
    before = view_keys(old) if old is not None else set()
    after = view_keys(new) if new is not None else set()
    return {ANY} | (before ^ after) | {k for k in before | after if k[0] == "record"}


@dataclass
class Planned:
    """A page of the site before it is rendered: where it goes, what it is made from, how to make it."""

    src: str
    deps: frozenset
    make: Callable[[], Page]

    def render(self) -> Page:
        return self.make()


@dataclass(frozen=True)
class Part:
    """One page of a list split so no page grows with the knowledge base (print volumes, training parts)."""

    number: int
    src: str
    items: list
    size: int

    @property
    def first(self) -> int:
        return (self.number - 1) * self.size + 1

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1



def split(base_src: str, items: list, size: int) -> list[Part]:
    """Part 1 keeps ``base_src`` (the page a small site has always had); later ones are ``part_src``."""
    chunks = [items[i:i + size] for i in range(0, len(items), size)] or [[]]
    return [Part(n, part_src(base_src, n), chunk, size) for n, chunk in enumerate(chunks, 1)]
