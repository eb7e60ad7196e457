"""The generated part of the site: which pages exist for an edition, and what they say.

This is the site map in code. It knows nothing about MkDocs: it yields
``Page`` objects (a site path and its rendered text) that the hook wraps in
MkDocs ``File`` objects, and that tests can inspect directly.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field as dataclass_field
from functools import cached_property
from datetime import date
from typing import Callable, Iterator
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from ..counter import calendar, cardfit, cardversion, deadline, notice
from .. import clock, stats
from ..law import revisions
from .. import parallel
from ..records import schema
from .cases import CasesPages
from .plan import ANY, Page, Planned, law_key, record_key, term_key
from .edition import Edition
from ..records.model import STATUS_NAMES, department_slug
from ..render import Renderer
from .urls import (CALENDAR_SRC, CARD_CHECK_SRC, SOURCES, card_src, card_versions_src, guide_src, law_src, listing_src,
                   notice_src, part_src, section_src)

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
#: Cards per print page: a province's "print all" in one page would be tens of MB.
PRINT_VOLUME = 200
#: Classes per training page, and per kind of difficulty in the learning path.
TRAINING_PART = 50
#: Rows per listing page (by domain, kind, cause, department; a legal source's citations).
LISTING_PART = 500
#: Records from which ``SiteBuilder.pages(share=True)`` shares the work between processes (a fork and
#: sending the pages back cost more than rendering a small site).
SHARE_FROM = 200


@dataclass
class SiteSettings:
    """What the generator needs from the MkDocs config (or a test)."""

    site_name: str = "工作提示知识库"
    feedback_url: str = "mailto:kb-feedback@example.gov.cn?subject=纠错：{id}"
    #: The build day: laws not yet in force and overdue reviews are judged on it.
    #: None: ``$KB_TODAY``, else the system date (see kb.clock).
    today: date | None = None
    #: The centre's public office data (mkdocs.yml: extra.kb.centre): name (signed on the 一次性告知单), place,
    #: hours, phone, complaint_phone — every guide's default, which a record's ``service`` overrides field by field.
    centre: dict = dataclass_field(default_factory=lambda: {"name": "政务服务中心"})

    @property
    def centre_name(self) -> str:
        return self.centre.get("name") or "政务服务中心"
    #: The edition's full address (mkdocs.yml: site_url): printed cards give full addresses with it.
    site_url: str = ""
    #: What the site shows of the window's ledgers (kb.ledger.site.cases_for_build; see kb/site/cases.py).
    cases: dict | None = None


#: The fields of a guide's service a site's ``extra.kb.centre`` may give (DESIGN.md: the record's ``service``).
SERVICE_FIELDS = ("place", "hours", "phone", "complaint_phone")

def centre_setting(options: dict, default: dict) -> tuple[dict, str | None]:
    """The centre from ``extra.kb`` ``options``: ``centre`` (name, place, hours, phone, complaint_phone), or the
    older ``centre_name`` with a warning to rewrite it; ValueError (Chinese) for anything else."""
    centre = options.get("centre")
    if centre is None:
        if "centre_name" not in options:
            return dict(default), None
        return {**default, "name": str(options["centre_name"])}, (
            "mkdocs 配置 extra.kb.centre_name 已改为 extra.kb.centre.name（centre 下还可写 place、hours、phone、"
            "complaint_phone，作为每个指南的办理地点、时间和电话），请改写；这次仍按 centre_name 署名")
    if not isinstance(centre, dict) or any(not isinstance(v, (str, int)) or isinstance(v, bool) for v in centre.values()):
        raise ValueError("extra.kb.centre 应为映射：name、place、hours、phone、complaint_phone，每项一行文字")
    unknown = sorted(set(centre) - {"name", *SERVICE_FIELDS})
    if unknown:
        raise ValueError(f"extra.kb.centre 不认识 {'、'.join(unknown)}；可写：name、{'、'.join(SERVICE_FIELDS)}")
    return {**default, **{k: str(v) for k, v in centre.items()}}, None


#: The placeholder address the project ships with (mkdocs.yml: extra.kb.feedback_url).
EXAMPLE_FEEDBACK = "kb-feedback@example.gov.cn"


def check_feedback_url(url: object) -> str | None:
    """``extra.kb.feedback_url``: raise ValueError (Chinese) unless it is an https or mailto address;
    return a warning when it is still an example address (example.gov.cn, example.com …), else None."""
    if not isinstance(url, str) or not url.strip():
        raise ValueError("应为 https:// 或 mailto: 开头的地址")
    if any(ch.isspace() or ord(ch) < 32 or ch in '<>"\'`\\' for ch in url):
        raise ValueError(f"“{url}”含空白、控制字符或 < > \" ' ` \\，不能用作链接")
    parts = urlsplit(url)
    if parts.scheme == "https" and url.startswith("https://") and parts.hostname:
        domain = parts.hostname
    elif parts.scheme == "mailto" and url.startswith("mailto:") and "@" in parts.path:
        domain = parts.path.rpartition("@")[2]
    else:
        raise ValueError(f"“{url}”不是 https:// 或 mailto: 开头的地址（只接受这两种，如 "
                         "mailto:kb@zwfw.example.cn 或 https://zwfw.example.cn/feedback）")
    if domain.lower().split(".")[0] == "example" or ".example." in f".{domain.lower()}":
        return (f"extra.kb.feedback_url 仍是示例地址（{url}）：每页的“纠错 / 反馈”会发到不存在的信箱；"
                "部署前请改为本中心的纠错信箱或网页（见运维指南）。")
    return None

class SiteBuilder:
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
    def guide(self, view: dict) -> Page:
        src = guide_src(view["id"])
        overdue = self.edition.internal and view["review"]["next_review"] < self.today.isoformat()
        page = self._render(
            "guide.md.j2",
            src,
            r=view,
            slugs={
                "domain": self.slugs["domains"][view["domain"]],
                "category": self.slugs["categories"][view["category"]],
                "causes": self.slugs["causes"],
            },
            related=[self.edition.by_id[i] for i in view.get("related", [])],
            overdue=overdue,
            revised=[(flag, flag.sentence(self.today, cited))
                     for flag, cited in revisions.merged(self.revision_flags.get(view["id"], []))],
            revised_pending=any(not f.in_force(self.today) for f in self.revision_flags.get(view["id"], [])),
            revised_indexes={flag.index for flag in self.revision_flags.get(view["id"], [])},
            basis_names={f"{b['law']['id']} {b['article']}": (b["law"].get("short") or b["law"]["title"]) + b["article"]
                         for b in view["legal_basis"]},
            feedback_url=self.feedback_link(view),
            deadline=self.deadline_panel(view),
            service=self.service(view),
            situation_names={sit["id"]: sit["title"] for sit in view.get("situations") or []},
        )
        page.record = view["id"]
        return page

    def service(self, view: dict) -> dict:
        """Where and when to apply, whom to call: the record's ``service``, field by field over the centre's."""
        own = view.get("service") or {}
        merged = {key: own.get(key, self.settings.centre.get(key)) for key in SERVICE_FIELDS}
        merged["online_url"], merged["visits"] = own.get("online_url"), own.get("visits")
        return merged

    def deadline_panel(self, view: dict) -> dict:
        """The rows of the guide's deadline panel, dated for a matter accepted on the build day.

        The page's script recomputes the dates for the day it is opened (or the day typed in);
        these are what a reader without scripts sees, and what tests compare the script with.
        """
        cal = self.calendar
        accepted = self.today
        due = self._due
        total = due(accepted, view["time_limit"])
        extras = [due(accepted, d["time_limit"]) for d in view.get("deadlines") or []]
        steps, start = [], accepted
        for step in view["procedure"]:  # one after another, as deadline.chain; a special step (counted: false)
            steps.append(due(start, step["time_limit"]))  # is dated from where it starts, but the next step
            if step.get("counted", True):                  # starts where the last counted one ended
                start = steps[-1].date
        statutory = view.get("statutory_time_limit")
        law = [due(accepted, statutory)] if isinstance(statutory, dict) else []

        def row(kind: str, label: str, limit, due: deadline.Due, attr: str, step: dict | None = None) -> dict:
            unit = limit if isinstance(limit, str) else limit["unit"]
            return {"kind": kind, "label": label, "limit": limit, "attr": attr, "unit": unit,
                    "value": None if isinstance(limit, str) else limit["value"], "hours": unit == deadline.HOURS,
                    "date": due.date.isoformat(), "long": deadline.long_date(due.date),
                    "day": deadline.day_text(due.date), "weekday": deadline.weekday_name(due.date),
                    "special": bool(step) and step.get("counted", True) is False,
                    "for": " ".join(step.get("situations") or []) if step else ""}

        rows = [row("total", "承诺办结", view["time_limit"], total, "data-kb-due-total")]
        rows += [row("statutory", "法定办结", statutory, d, "data-kb-due-statutory") for d in law]
        rows += [row("extra", d["title"], d["time_limit"], due, f'data-kb-due-extra="{i}"')
                 for i, (d, due) in enumerate(zip(view.get("deadlines") or [], extras), 1)]
        rows += [row("step", f"第 {i} 步：{s['title']}", s["time_limit"], due, f'data-kb-due-step="{i}"', s)
                 for i, (s, due) in enumerate(zip(view["procedure"], steps), 1)]
        return {
            "accepted": accepted.isoformat(),
            "rows": rows,
            "uncovered": (uncovered := deadline.uncovered_years([total, *law, *extras, *steps])),
            "pending": [y for y in uncovered if cal.pending(y)],
            "unknown": [y for y in uncovered if not cal.pending(y)],
            "calendar": cal,
            "law": calendar.LAW,
            "law_holidays": calendar.LAW_HOLIDAYS,
        }

    def _due(self, start: date, limit) -> deadline.Due:
        """deadline.due over the project's calendar, remembered: a province's guides share their limits."""
        key = (start, limit) if isinstance(limit, str) else (start, limit["unit"], limit["value"])
        found = self._dues.get(key)
        if found is None:
            found = self._dues[key] = deadline.due(start, limit, self.calendar)
        return found

    def card_view(self, view: dict) -> dict:
        """The record as its card prints it: with the service merged over the centre's (what the sheet says)."""
        return {**view, "service": self.service(view)}

    def card_version_of(self, view: dict) -> cardversion.CardVersion:
        cached = self._versions.get(view["id"])
        if cached is None or cached[0] is not view:  # computed once per view and build
            cached = self._versions[view["id"]] = (view, cardversion.version(self.card_view(view), self.edition.internal))
        return cached[1]

    def printed_address(self, src: str) -> str | None:
        """The full address of page ``src`` as a sheet of paper gives it (None without ``site_url``)."""
        if not self.settings.site_url:
            return None
        return self.settings.site_url.rstrip("/") + "/" + self.urls.url(src)

    def card_parts(self, view: dict) -> tuple[cardversion.CardVersion, cardfit.CardPlan, str, str]:
        """A card's version, its one-sheet plan, and the guide and check-page addresses it prints: full
        addresses with ``site_url``; without it, where to search for the guide."""
        internal = self.edition.internal
        version = self.card_version_of(view)
        guide_url = self.printed_address(guide_src(view["id"])) or f"在“{self.settings.site_name}”搜索本卡标题"
        check_url = self.printed_address(CARD_CHECK_SRC) or self.urls.url(CARD_CHECK_SRC)
        plan = cardfit.plan(self.card_view(view), internal=internal, site_name=self.settings.site_name, code=version.printed,
                            guide_url=guide_url, pending=self._pending_laws, check_url=check_url)
        return version, plan, guide_url, check_url

    def card_html(self, view: dict) -> Markup:
        """One card's <article>: the same on its own page and in every batch (rendered once per view)."""
        cached = self._cards.get(id(view))
        if cached is None or cached[0] is not view:
            version, plan, guide_url, check_url = self.card_parts(view)
            cached = self._cards[id(view)] = (view, Markup(self.renderer.render(
                "_card.html.j2", r=view, version=version, plan=plan, guide_url=guide_url, check_url=check_url,
                service_line=cardfit.service_line(self.card_view(view)))))
        return cached[1]

    def card_versions(self, views: list[dict]) -> Iterator[Planned]:
        """``cards/versions/<bucket>.js``: the current code of every card, which ``cards/check/`` reads for
        the id it is asked about (scripts, not JSON, so that they load from ``file://`` too; grouped by
        ``cardversion.bucket`` so that a province's site gets a few dozen small files, not one per card)."""
        buckets: dict[str, list[dict]] = {}
        for view in views:
            buckets.setdefault(cardversion.bucket(view["id"]), []).append(view)
        for name, members in sorted(buckets.items()):
            yield Planned(card_versions_src(name), frozenset(record_key(v["id"]) for v in members),
                          lambda name=name, members=members: self._card_bucket(name, members))

    def _card_bucket(self, name: str, views: list[dict]) -> Page:
        cards = {}
        for view in views:
            version = self.card_version_of(view)
            cards[view["id"]] = {"title": view["title"], "code": version.code, "since": version.since,
                                 "sections": [list(s) for s in version.sections]}
        data = {"public_sections": cardversion.PUBLIC_SECTIONS, "all_sections": len(cardversion.SECTIONS),
                "internal_label": cardversion.SECTIONS[-1][1], "cards": cards}
        return Page(card_versions_src(name), f"kbCardVersions({json.dumps(data, ensure_ascii=False, sort_keys=True)});\n")

    def notice(self, view: dict) -> Page:
        """``notice/<id>/``: the 一次性告知单, a standalone sheet like a card (no theme: one per record)."""
        heights = notice.heights_mm(view, self.settings.centre_name)
        rows = notice.rows(view, heights)
        return self._render("notice.html.j2", notice_src(view["id"]), r=view, materials=rows,
                            missing=len({m["group"] or f"#{i}" for i, m in enumerate(rows)}),
                            density=notice.density(view, heights=heights), fixed_fit=",".join(map(str, heights[0])),
                            fit_budget=notice.HEIGHT_MM, record_basis=notice.record_basis(view),
                            today_day=deadline.day_text(self.today), today_weekday=deadline.weekday_name(self.today))

    def card_check_page(self) -> Planned:
        # the check page reads the versions from the bucket files: no record's text is in it
        return self._plan([], "card_check.md.j2", CARD_CHECK_SRC, sections=cardversion.SECTIONS,
                          public_sections=cardversion.PUBLIC_SECTIONS, buckets=cardversion.BUCKETS)

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

    def _cards_html(self, views: list[dict]) -> dict[str, Markup]:
        return {view["id"]: self.card_html(view) for view in views}

    def card(self, view: dict) -> Page:
        src = card_src(view["id"])
        return self._render("card.html.j2", src, cards=[view], title=f"工作提示卡：{view['title']}", single=True,
                            card_html=self._cards_html([view]), volume=None, volumes=None)

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

    def card_pages(self) -> Iterator[Planned]:
        views = self.edition.views
        for view in views:
            yield Planned(card_src(view["id"]), frozenset([record_key(view["id"])]), lambda view=view: self.card(view))
        yield from self.card_versions(views)
        yield self.card_check_page()
        by_domain = self.by_domain
        batches = [(term.name, term.slug, by_domain[term.name], [term_key("domains", term.name)])
                   for term in self.kb.vocabularies["domains"] if by_domain.get(term.name)]
        batches.append(("全部", "all", views, []))
        volumes = {slug: split(f"cards/print/{slug}/index.html", cards, PRINT_VOLUME) for _, slug, cards, _ in batches}
        yield self._plan([ANY], "cards_index.md.j2", section_src("cards"),
                         batches=[(name, len(cards), volumes[slug]) for name, slug, cards, _ in batches])
        for name, slug, _, deps in batches:
            for volume in volumes[slug]:
                title = f"工作提示卡（{name}）" if len(volumes[slug]) == 1 else \
                    f"工作提示卡（{name}，第 {volume.number} 册）"
                yield Planned(volume.src, frozenset([*deps, *(record_key(v["id"]) for v in volume.items)]),
                              lambda volume=volume, title=title, slug=slug: self._render(
                                  "card.html.j2", volume.src, cards=volume.items, title=title, single=False,
                                  card_html=self._cards_html(volume.items), volume=volume, volumes=volumes[slug]))

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
        """The HTML of a block for the hand-written page ``src``."""
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

    def pages(self, share: bool = False) -> Iterator[Page]:
        """Every generated page, rendered; ``share``: on every core (``kb.parallel``), same pages.

        Before the work is shared, what several pages use is worked out here once (the counts, the laws'
        states, the revision flags, every card's HTML, the cards being on three pages each), so that the
        forked workers inherit it instead of each computing it again."""
        if not share or parallel.jobs() <= 1 or len(self.edition.views) < SHARE_FROM and not parallel.small_too():
            for planned in self.plan():
                yield planned.render()
            return
        self._law_states, self._pending_laws, self.revision_flags, self.stats, self.by_domain  # noqa: B018
        views = self.edition.views
        for start, htmls in parallel.chunked(lambda a, b: (a, [self.card_html(v) for v in views[a:b]]), len(views)):
            for view, html in zip(views[start:], htmls):
                self._cards[id(view)] = (view, html)
        planned = list(self.plan())
        for part in parallel.chunked(lambda a, b: [planned[i].render() for i in range(a, b)], len(planned)):
            yield from part


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
