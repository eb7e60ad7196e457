"""The checked knowledge base as objects the generator and the CLI work with.

Only a knowledge base without problems becomes a model: every consumer (site,
export, stats) can then rely on the record contract instead of re-checking.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .load import Document, Sources, load_sources
from .report import Problem, sort_problems
from .validate import check_sources

STATUS_NAMES = {"draft": "草稿", "published": "已发布", "retired": "已停用"}


@dataclass
class Record:
    data: dict
    doc: Document

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def status(self) -> str:
        return self.data["status"]

    @property
    def source(self) -> str:
        return self.doc.display

    @property
    def next_review(self) -> str:
        return self.data["review"]["next_review"]


@dataclass
class Term:
    """One entry of a controlled vocabulary (a domain, a category, a cause)."""

    name: str
    slug: str
    description: str = ""


@dataclass
class KnowledgeBase:
    root: Path
    records: list[Record]
    laws: dict[str, dict]
    vocabularies: dict[str, list[Term]]
    synonyms: list[list[str]] = field(default_factory=list)
    registry_docs: dict[str, Document] = field(default_factory=dict)  # for the lines of registry warnings
    #: the variant-character table: [{standard, variants: [...]}, ...]
    variants: list[dict] = field(default_factory=list)
    #: the State Council notices registered locally (solutions/_registry/holidays.yml): [{year, doc_number, ...}];
    #: the calendar they make is kb.calendar.for_notices(holiday_notices)
    holiday_notices: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_id = {r.id: r for r in self.records}

    def record(self, record_id: str) -> Record | None:
        return self._by_id.get(record_id)

    def term(self, vocabulary: str, name: str) -> Term:
        return next(t for t in self.vocabularies[vocabulary] if t.name == name)

    def citing(self, law_id: str) -> list[tuple[Record, dict]]:
        """(record, legal_basis entry) for every citation of ``law_id``."""
        return [(r, b) for r in self.records for b in r.data["legal_basis"] if b["law"] == law_id]

    def fingerprint(self) -> str:
        """Changes whenever any source file changes: keys caches in `mkdocs serve`."""
        digest = hashlib.sha1()
        for doc in [r.doc for r in self.records]:
            stat = doc.path.stat()
            digest.update(f"{doc.path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
        return digest.hexdigest()


def department_slug(name: str) -> str:
    """Departments are free text; a short stable hash gives them ASCII URLs."""
    return "d" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def build_model(sources: Sources) -> KnowledgeBase:
    """Turn checked sources into a model. Call only when there are no problems."""
    registry = {name: doc.data for name, doc in sources.registry.items()}
    laws = {entry["id"]: entry for entry in registry["laws"]["laws"]}
    vocabularies = {
        kind: [Term(t["name"], t["slug"], t.get("description", "")) for t in registry["vocabularies"][kind]]
        for kind in ("domains", "categories", "causes")
    }
    records = sorted((Record(doc.data, doc) for doc in sources.records), key=lambda r: r.id)
    synonyms = registry.get("synonyms", {}).get("synonyms", []) if registry.get("synonyms") else []
    variants = (registry.get("variants") or {}).get("variants", [])
    notices = (registry.get("holidays") or {}).get("notices", [])
    return KnowledgeBase(sources.root, records, laws, vocabularies, synonyms, dict(sources.registry), variants,
                         notices)


@dataclass
class Loaded:
    sources: Sources
    problems: list[Problem]  # errors: any one stops kb check and the build
    kb: KnowledgeBase | None
    warnings: list[Problem] = field(default_factory=list)  # computed only when there is no error

    @property
    def ok(self) -> bool:
        return not self.problems


def load_knowledge_base(root: Path | str, check_cache: dict | None = None) -> Loaded:
    """Read, check and (when clean) model the knowledge base under ``root``, without warnings.

    The warnings need the law and the counter (``kb.knowledge`` adds them); this is what
    the records layer itself needs, e.g. ``kb new`` asking which ids exist.
    ``check_cache``: see ``check_sources`` (kept by ``mkdocs serve`` between builds).
    """
    loaded = model_sources(load_sources(Path(root)), check_cache)
    if loaded.sources.store is not None:
        loaded.sources.store.close()
    return loaded


def model_sources(sources: Sources, check_cache: dict | None = None) -> Loaded:
    """Check sources already read and (when clean) model them; no warnings."""
    problems = sort_problems(check_sources(sources, check_cache))
    if problems:
        return Loaded(sources, problems, None)
    return Loaded(sources, problems, build_model(sources))
