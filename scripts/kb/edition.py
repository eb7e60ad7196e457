"""Who sees what: the public and the internal edition of the knowledge base.

The public edition is the safe default. Internal-only fields (marked
``x-internal`` in the schema) and unpublished records are removed here, before
anything is rendered or exported, so they cannot reach public HTML, the search
index or the sitemap by accident.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from .model import KnowledgeBase, Record
from .schema import internal_fields
from .urls import DIRECTORY_URLS, SiteUrls, card_src, guide_src, law_src

PUBLIC = "public"
INTERNAL = "internal"
EDITIONS = (PUBLIC, INTERNAL)

#: Record statuses each edition shows.
VISIBLE = {PUBLIC: ("published",), INTERNAL: ("published", "draft")}


@dataclass
class Edition:
    """The records one audience may see, as plain data ready to render or export."""

    name: str
    kb: KnowledgeBase
    #: The URL style of the site the views' ``url`` fields point into.
    urls: SiteUrls = DIRECTORY_URLS

    def __post_init__(self) -> None:
        if self.name not in EDITIONS:
            raise ValueError(f"未知的版本“{self.name}”，可选：{'、'.join(EDITIONS)}")
        self._hidden = internal_fields() if self.name == PUBLIC else []
        self.records = [r for r in self.kb.records if r.status in VISIBLE[self.name]]
        self.views = [self.view(r) for r in self.records]
        self.by_id = {v["id"]: v for v in self.views}

    @property
    def internal(self) -> bool:
        return self.name == INTERNAL

    def view(self, record: Record) -> dict:
        """The record as this edition shows it: internal fields dropped, laws expanded."""
        data = {k: copy.deepcopy(v) for k, v in record.data.items() if k not in self._hidden}
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

    def citing(self, law_id: str) -> list[tuple[dict, dict]]:
        """(view, legal_basis entry) for each visible citation of ``law_id``."""
        return [(v, b) for v in self.views for b in v["legal_basis"] if b["law"]["id"] == law_id]
