"""The generated part of the site: which pages exist for an edition, and what they say.

This is the site map in code. It knows nothing about MkDocs: it yields
``Page`` objects (a site path and its rendered text) that the hook wraps in
MkDocs ``File`` objects, and that tests can inspect directly.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from functools import cached_property
from typing import Callable, Iterable, Iterator
from urllib.parse import quote

from markupsafe import Markup

from ..counter import calendar, cardversion, deadline
from .. import clock, stats
from ..law import revisions
from .. import parallel
from ..records import schema
from .cases import CasesPages
from .settings import SiteSettings
from .guide_page import GuidePage
from .print_pages import PrintPages
from .plan import ANY, Page, Planned, copied, law_key, record_key, split, term_key
from .edition import Edition
from ..records.model import STATUS_NAMES, department_slug
from ..render import Renderer
from .urls import (CALENDAR_SRC, CARD_CHECK_SRC, SOURCES, guide_src, law_src, listing_src, notice_src, section_src)

DISPOSITIONS = {"办不了": "解释疏导", "很难办": "协调办理", "不给办": "督办问责"}
LAW_LEVELS = ["法律", "行政法规", "部门规章", "地方性法规", "地方政府规章", "规范性文件"]
VOCAB_SECTIONS = {
    "domains": ("domain", "按领域查找", "领域"),
    "categories": ("category", "按难办类型查找", "难办类型"),
    "causes": ("causes", "按共性成因查找", "共性成因"),
}
#: Sections only the internal edition has (hand-written pages under them are dropped from the public build).
INTERNAL_SECTIONS = ("training/", "review/")
#: Hand-written pages for staff, operators and developers, not for citizens: dropped from the public build
#: (nav, search, sitemap, files); the README links to them in the repository.
INTERNAL_PAGES = ("writing.md", "operators.md", "developers.md", "benchmarks.md", "assets/search.png")
_INTERNAL_LINK = re.compile(r"\[([^\]\n]+)\]\((?:\.\./)*(?:writing|operators|developers|benchmarks)\.md(?:#[^)\s]*)?\)")


def unlink_internal_pages(markdown: str) -> str:
    """A hand-written page of the public edition: a link to one of ``INTERNAL_PAGES`` keeps its words, marked
    as being in the internal edition, instead of pointing at a page the public site does not have."""
    return _INTERNAL_LINK.sub(lambda m: f"{m.group(1)}（内部版）", markdown)


#: Classes per training page, and per kind of difficulty in the learning path.
TRAINING_PART = 50
#: Rows per listing page (by domain, kind, cause, department; a legal source's citations).
LISTING_PART = 500
#: The blocks a hand-written page may ask for with ``<!-- kb:NAME -->`` (``SiteBuilder.block``).
BLOCKS = ("overview", "training")
#: Records from which ``SiteBuilder.pages(into=…)`` shares the work between processes (a fork and
#: sending the pages back cost more than rendering a small site).
SHARE_FROM = 200


class SiteBuilder(GuidePage, PrintPages):
    """The generated pages of one edition: ``plan()`` lists them, ``pages()`` renders them all.

    ``previous`` (``mkdocs serve``) is the builder of a moment ago: cards of records whose views
    are the same objects are taken over instead of rendered again.
    """

    def __init__(self, edition: Edition, settings: SiteSettings | None = None, renderer: Renderer | None = None,
                 previous: SiteBuilder | None = None):
        self.edition = edition
        self.kb = edition.kb
        self.settings = settings or SiteSettings()
        self.today = clock.today(self.settings.today)
        vocab = self.kb.vocabularies
        self.slugs = {kind: {t.name: t.slug for t in terms} for kind, terms in vocab.items()}
        self.urls = edition.urls
        self._versions: dict[str, tuple[dict, cardversion.CardVersion]] = {}
        self._dues: dict[tuple, deadline.Due] = {}
        self._writer: parallel.Job | None = None  # the child writing the copied pages (pages(into=…))
        #: the working-day calendar: the packages' and the notices of solutions/_registry/holidays.yml
        self.calendar = calendar.for_notices(self.kb.holiday_notices)
        self.renderer = renderer or Renderer()
        self.renderer.globals.update(
            SOURCES,
            urls=self.urls,
            edition=edition.name,
            internal=edition.internal,
            site_name=self.settings.site_name,
            status_names=STATUS_NAMES,
            dispositions=DISPOSITIONS,
            department_slug=department_slug,
            today=self.today.isoformat(),
            law_state=self.law_state,
            long_date=deadline.long_date,
            centre_name=self.settings.centre_name,
            card_check_src=CARD_CHECK_SRC,
        )
        self.cases = CasesPages(self)
        views = {id(v) for v in edition.views}
        self._cards: dict[int, tuple[dict, Markup]] = {
            key: value for key, value in (previous._cards.items() if previous else ()) if key in views
        }
        self._rows: dict[tuple, tuple[dict, Markup]] = {
            key: value for key, value in (previous._rows.items() if previous else ()) if key[1] in views
        }

    # -- helpers ----------------------------------------------------------------

    def feedback_link(self, view: dict) -> str:
        return self.settings.feedback_url.replace("{id}", quote(view["id"])).replace("{title}", quote(view["title"]))

    def _render(self, template: str, src: str, **context) -> Page:
        return Page(src, self.renderer.render(template, page_src=src, **context))

    @cached_property

    def _pending_laws(self) -> dict[str, str]:
        """law id -> the day it takes effect, for the laws not yet in force on the build day."""
        return {law_id: state.effective for law_id, state in self._law_states.items() if not state.in_force}

    def law_state(self, law_id: str) -> revisions.LawState:
        """Whether a law is in force on the build day (templates call it as ``law_state(id)``)."""
        return self._law_states[law_id]

    @cached_property

    def _law_states(self) -> dict[str, revisions.LawState]:
        return {law_id: revisions.law_state(law, self.today) for law_id, law in self.kb.laws.items()}

    @cached_property

    def revision_flags(self) -> dict[str, list[revisions.RevisionFlag]]:
        """record id -> citations awaiting review after a revision (see kb.revisions)."""
        return revisions.all_flags(self.edition.records, self.kb.laws)

    @cached_property

    def stats(self) -> dict:
        """Counts and reviews due, for the stats page, the review page and the home overview alike."""
        return stats.compute(self.kb, self.today, edition=self.edition)

    @cached_property

    def by_domain(self) -> dict[str, list[dict]]:
        return self.grouped(lambda v: [v["domain"]])

    def grouped(self, key: Callable[[dict], list[str]]) -> dict[str, list[dict]]:
        groups: dict[str, list[dict]] = {}
        for view in self.edition.views:
            for name in key(view):
                groups.setdefault(name, []).append(view)
        return groups

    # -- pages ------------------------------------------------------------------

    def calendar_asset(self) -> Planned:
        return Planned(CALENDAR_SRC, frozenset(), lambda: Page(CALENDAR_SRC, self.calendar.script()))

    def row(self, template: str, view: dict, page_src: str, entry: dict | None = None, flag=None) -> Markup:
        """A guide's row in a table of guides (listings, legal sources): rendered once per guide, link
        and citation, since a province's listings repeat every guide on several pages."""
        href = self.urls.link(guide_src(view["id"]), page_src)
        key = (template, id(view), href, id(entry), flag)
        cached = self._rows.get(key)
        if cached is None or cached[0] is not view:
            cached = self._rows[key] = (view, Markup(self.renderer.render(template, g=view, href=href, entry=entry,
                                                                          flag=flag)))
        return cached[1]

    def _plan(self, deps, template: str, src: str, **context) -> Planned:
        return Planned(src, frozenset(deps), lambda: self._render(template, src, **context))

    def guide_pages(self) -> Iterator[Planned]:
        for view in self.edition.views:
            # a guide names its related records: their titles (and whether they are visible) count too
            related = self.kb.record(view["id"]).data.get("related", [])
            yield Planned(guide_src(view["id"]), frozenset([record_key(view["id"]), *map(record_key, related)]),
                          lambda view=view: self.guide(view))
            yield Planned(notice_src(view["id"]), frozenset([record_key(view["id"])]), lambda view=view: self.notice(view))

    def vocabulary_pages(self) -> Iterator[Planned]:
        for kind, (field, heading, noun) in VOCAB_SECTIONS.items():
            groups = self.grouped(lambda v, f=field: v[f] if isinstance(v[f], list) else [v[f]])
            terms = self.kb.vocabularies[kind]
            yield self._plan(
                [ANY], "listing_index.md.j2", section_src(kind), heading=heading, noun=noun,
                entries=[{"name": t.name, "src": listing_src(kind, t.slug), "description": t.description,
                          "count": len(groups.get(t.name, []))} for t in terms],
            )
            for term in terms:
                yield from self._listing([term_key(kind, term.name)], listing_src(kind, term.slug),
                                         groups.get(term.name, []), heading=term.name, noun=noun,
                                         description=term.description, back=section_src(kind), back_title=heading)

    def department_pages(self) -> Iterator[Planned]:
        groups = self.grouped(lambda v: [v["departments"]["lead"]] + list(v["departments"].get("cooperating", [])))
        leads = Counter(v["departments"]["lead"] for v in self.edition.views)
        names = sorted(groups, key=lambda n: (-leads.get(n, 0), -len(groups[n]), n))
        yield self._plan(
            [ANY], "listing_index.md.j2", section_src("departments"), heading="按责任部门查找", noun="部门",
            entries=[{"name": n, "src": listing_src("departments", department_slug(n)),
                      "description": f"牵头 {leads.get(n, 0)} 类", "count": len(groups[n])} for n in names],
        )
        for name in names:
            yield from self._listing([term_key("departments", name)], listing_src("departments", department_slug(name)),
                                     groups[name], heading=name, noun="部门", description="本部门牵头或配合办理的各类事项。",
                                     back=section_src("departments"), back_title="按责任部门查找")

    def _listing(self, deps, src: str, guides: list[dict], **context) -> Iterator[Planned]:
        parts = split(src, guides, LISTING_PART)
        for part in parts:
            deps_part = [*deps, *(record_key(v["id"]) for v in part.items)]
            yield Planned(part.src, frozenset(deps_part), lambda part=part: self._render(
                "listing.md.j2", part.src, rows=[self.row("_guide_row.html.j2", v, part.src) for v in part.items],
                part=part, parts=parts, total=len(guides), **context))

    def law_pages(self) -> Iterator[Planned]:
        laws = sorted(self.kb.laws.values(), key=lambda law: (LAW_LEVELS.index(law["level"]), law["title"]))
        citations = self.edition.citations()
        levels = [(level, [law for law in laws if law["level"] == level]) for level in LAW_LEVELS]
        yield self._plan(
            [ANY], "laws_index.md.j2", section_src("laws"), levels=[(lv, ls) for lv, ls in levels if ls],
            counts={k: len({v["id"] for v, _ in c}) for k, c in citations.items()},
        )
        flags = {(f.record_id, f.index): f for fs in self.revision_flags.values() for f in fs}
        for law in laws:
            cited = [(view, entry, flags.get((view["id"], next(i for i, e in enumerate(view["legal_basis"]) if e is entry))))
                     for view, entry in citations[law["id"]]]
            parts = split(law_src(law["id"]), cited, LISTING_PART)
            waiting = sum(1 for _, _, flag in cited if flag)
            for part in parts:
                deps = [law_key(law["id"]), *(record_key(v["id"]) for v, _, _ in part.items)]
                yield Planned(part.src, frozenset(deps), lambda law=law, cited=cited, part=part, parts=parts,
                              waiting=waiting: self._render(
                    "law.md.j2", part.src, law=law, citations=cited, part=part, parts=parts, total=len(cited),
                    waiting=waiting, state=self.law_state(law["id"]), stale=revisions.check_is_stale(law, self.today),
                    rows=[self.row("_citation_row.html.j2", v, part.src, entry=e, flag=f) for v, e, f in part.items]))

    def reference_page(self) -> Planned:
        # the field reference shows the schema and the vocabularies only: a record never changes it
        return self._plan([], "fields.md.j2", "reference/fields.md", tables=schema.reference_tables(),
                          vocabularies=self.kb.vocabularies)

    def stats_page(self) -> Planned:
        return Planned("stats/index.md", frozenset([ANY]),
                       lambda: self._render("stats.md.j2", "stats/index.md", s=self.stats, charts=stats.charts(self.stats)))

    def review_page(self) -> Planned:
        return Planned("review/index.md", frozenset([ANY]),
                       lambda: self._render("review.md.j2", "review/index.md", s=self.stats))

    def training_pages(self) -> Iterator[Planned]:
        domains = self.by_domain
        for term in self.kb.vocabularies["domains"]:
            if domains.get(term.name):
                parts = split(listing_src("training", term.slug), domains[term.name], TRAINING_PART)
                for part in parts:
                    deps = [term_key("domains", term.name), *(record_key(v["id"]) for v in part.items)]
                    yield self._plan(deps, "training_domain.md.j2", part.src, term=term, part=part, parts=parts)
        yield self._plan([ANY], "training_index.md.j2", section_src("training"))

    # -- blocks that hand-written pages embed with <!-- kb:NAME --> ----------------

    def block(self, name: str, src: str) -> str:
        """The HTML of a block (one of ``BLOCKS``) for the hand-written page ``src``; KeyError for another name."""
        if name == "overview":
            domains = [(t, self.stats["by_domain"].get(t.name, 0)) for t in self.kb.vocabularies["domains"]]
            return self.renderer.render("overview.html.j2", page_src=src, s=self.stats, domains=domains)
        if name == "training":
            categories = self.grouped(lambda v: [v["category"]])
            domains = self.by_domain
            return self.renderer.render(
                "training_path.html.j2", page_src=src,
                categories=[(t, categories.get(t.name, [])) for t in self.kb.vocabularies["categories"]],
                shown=TRAINING_PART,
                domains=[(t, len(domains[t.name])) for t in self.kb.vocabularies["domains"] if domains.get(t.name)],
            )
        raise KeyError(name)

    def home_page(self) -> Planned:
        """Fallback home for a project without a hand-written docs/index.md."""
        return self._plan([ANY], "home.md.j2", section_src(""))

    def plan(self) -> Iterator[Planned]:
        """Every generated page, not yet rendered, in the order the site lists them."""
        yield self.home_page()
        yield self.calendar_asset()
        yield from self.guide_pages()
        yield from self.vocabulary_pages()
        yield from self.department_pages()
        yield from self.law_pages()
        yield from self.card_pages()
        yield self.reference_page()
        yield self.stats_page()
        if self.edition.internal:
            yield self.review_page()
            yield from self.training_pages()
        yield from self.cases.plan()

    def pages(self, into: str | None = None, keep: Callable[[str], bool] = lambda src: True) -> Iterator[Page]:
        """Every generated page, rendered, in plan order.

        ``into``: the folder the site is being written to. Given, the work is shared between the cores
        (``kb.parallel``): the pages the engine converts (Markdown: guides, lists, laws …) are rendered by this
        process and a forked worker together; the pages it only copies (``Page.copied``: cards, notices, print
        volumes) are rendered by one forked child (``parallel.Job``) that writes each straight to
        ``into/<src>`` as the engine would, those for which ``keep(src)`` holds (not those a
        hand-written file replaces); they come here with ``content`` "" and a ``Page.later`` that waits for
        them. So the second core works while this one converts, and their text (at 20,000 records more than a
        gigabyte) is never held here. Before any fork, what several pages use is worked out here once (the
        counts, the laws' states, the revision flags), so that the children inherit it instead of each
        computing it again. The same pages without ``into``, on one core, or below ``SHARE_FROM`` records."""
        if into is None or parallel.jobs() <= 1 or len(self.edition.views) < SHARE_FROM and not parallel.small_too():
            for planned in self.plan():
                yield planned.render()
            return
        self._law_states, self._pending_laws, self.revision_flags, self.stats, self.by_domain  # noqa: B018
        planned = list(self.plan())
        converted = [i for i, p in enumerate(planned) if not copied(p.src)]
        later_ones = [i for i, p in enumerate(planned) if copied(p.src) and keep(p.src)]
        rendered: dict[int, Page] = {}
        for start, part in parallel.chunked(lambda a, b: (a, [planned[converted[i]].render() for i in range(a, b)]),
                                            len(converted)):
            rendered.update(zip(converted[start:], part))
        # forked only now: while the pages above are rendered both cores are busy, while MkDocs converts them one is
        # idle (and the workers above have ended, so at 20,000 records one copy of the build fewer is alive at once)
        self._writer = later = parallel.Job(lambda: _write_pages(into, (planned[i] for i in later_ones)))
        for i in later_ones:
            rendered[i] = Page(planned[i].src, "", later=later.result)
        for i in range(len(planned)):
            yield rendered.pop(i) if i in rendered else planned[i].render()

    def stop_writing(self) -> None:
        """Stop the child writing the copied pages, if it still runs (the build failed: its folder is removed,
        and must not be written into again afterwards)."""
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None


def _write_pages(into: str, pages: Iterable[Planned]) -> int:
    """Render ``pages`` and write each to ``into/<src>``, as the engine writes a file it copies; their number."""
    written = 0
    for planned in pages:
        path = os.path.normpath(os.path.join(into, planned.src))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:  # as MkDocs' File.copy_file writes a generated text
            handle.write(str(planned.render().content))
        written += 1
    return written
