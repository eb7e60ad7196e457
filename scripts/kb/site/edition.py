"""Who sees what: the public and the internal edition of the knowledge base.

The public edition is the safe default. Internal-only fields (marked
``x-internal`` in the schema) and unpublished records are removed here, before
anything is rendered or exported, so they cannot reach public HTML, the search
index or the sitemap by accident.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, datetime

from ..records.model import KnowledgeBase, Record
from ..records.schema import internal_fields
from .urls import DIRECTORY_URLS, SiteUrls, card_src, guide_src, law_src

PUBLIC = "public"
INTERNAL = "internal"
EDITIONS = (PUBLIC, INTERNAL)
#: How each edition is named to its readers (the home page of a copy, the Office files).
EDITION_NAMES = {PUBLIC: "公开版", INTERNAL: "内部版"}

#: Record statuses each edition shows.
VISIBLE = {PUBLIC: ("published",), INTERNAL: ("published", "draft")}


@dataclass
class Edition:
    """The records one audience may see, as plain data ready to render or export."""

    name: str
    kb: KnowledgeBase
    #: The URL style of the site the views' ``url`` fields point into.
    urls: SiteUrls = DIRECTORY_URLS
    #: The same edition a moment ago (``mkdocs serve``): the views of records that are the
    #: same objects as then are taken over, not made again (see kb/preview.py).
    previous: Edition | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.name not in EDITIONS:
            raise ValueError(f"未知的版本“{self.name}”，可选：{'、'.join(EDITIONS)}")
        self._hidden = internal_fields() if self.name == PUBLIC else []
        self.records = [r for r in self.kb.records if r.status in VISIBLE[self.name]]
        reuse = self._reusable_views()
        self.views = [reuse.get(id(r.data)) or self.view(r) for r in self.records]
        self.by_id = {v["id"]: v for v in self.views}
        self.previous = None  # keep no chain of old editions alive

    def _reusable_views(self) -> dict[int, dict]:
        """Views of the previous edition by the identity of their record's data.

        A view also depends on which records are visible (``related`` hides the others), on
        the registry and on the URL style: only when all of these are the same are views reused.
        """
        old = self.previous
        if (old is None or old.name != self.name
                or list(map(id, old.kb.laws.values())) != list(map(id, self.kb.laws.values()))
                or old.urls.use_directory_urls != self.urls.use_directory_urls
                or [r.id for r in old.records] != [r.id for r in self.records]):
            return {}
        return {id(r.data): v for r, v in zip(old.records, old.views)}

    @property
    def internal(self) -> bool:
        return self.name == INTERNAL

    def view(self, record: Record) -> dict:
        """The record as this edition shows it: internal fields dropped, laws expanded."""
        data = _copied({k: v for k, v in record.data.items() if k not in self._hidden})
        for entry in data["legal_basis"]:
            law = dict(self.kb.laws[entry["law"]])
            law["page"] = self.urls.url(law_src(law["id"]))
            entry["law"] = law
        if "related" in data:
            # A public page must not link to (or name) a draft.
            data["related"] = [i for i in data["related"] if self._visible(i)]
        data["url"] = self.urls.url(guide_src(record.id))
        data["card_url"] = self.urls.url(card_src(record.id))
        return data

    def _visible(self, record_id: str) -> bool:
        other = self.kb.record(record_id)
        return other is not None and other.status in VISIBLE[self.name]

    def citations(self) -> dict[str, list[tuple[dict, dict]]]:
        """``citing`` for every law of the registry at once."""
        found: dict[str, list[tuple[dict, dict]]] = {law_id: [] for law_id in self.kb.laws}
        for view in self.views:
            for entry in view["legal_basis"]:
                found[entry["law"]["id"]].append((view, entry))
        return found

    def citing(self, law_id: str) -> list[tuple[dict, dict]]:
        """(view, legal_basis entry) for each visible citation of ``law_id``."""
        return self.citations().get(law_id, [])


def _copied(value):
    """A copy of a record's plain data in which every mapping and list is new and the text (immutable) is the
    record's own: a view may be changed without touching the record, and the text is held once — a copy
    through ``marshal`` made every string again, about 600 MB at 20,000 records (and was slower)."""
    kind = type(value)
    if kind is dict:
        return {key: _copied(item) for key, item in value.items()}
    if kind is list:
        return [_copied(item) for item in value]
    if kind is tuple:
        return tuple(_copied(item) for item in value)
    if kind is set:
        return set(value)  # members are hashable: immutable
    if kind in _IMMUTABLE:
        return value
    return copy.deepcopy(value)


_IMMUTABLE = (str, int, float, bool, type(None), date, datetime)
