"""The pages a counter prints: work-prompt cards (one A4 sheet each, with their version codes and the page that
checks them) and the 一次性告知单. Standalone HTML documents, no theme: one ``SiteBuilder`` part, mixed in.
"""

from __future__ import annotations

import json
from typing import Iterator

from markupsafe import Markup

from ..counter import cardfit, cardversion, deadline, notice
from .plan import ANY, Page, Planned, record_key, split, term_key
from .urls import CARD_CHECK_SRC, card_src, card_versions_src, guide_src, notice_src, section_src

#: Cards per print page: a province's "print all" in one page would be tens of MB.
PRINT_VOLUME = 200


class PrintPages:
    """Cards, card versions, the card check and notices of a ``SiteBuilder`` (its state: edition, settings,
    renderer, caches)."""

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

    def _cards_html(self, views: list[dict]) -> dict[str, Markup]:
        return {view["id"]: self.card_html(view) for view in views}

    def card(self, view: dict) -> Page:
        src = card_src(view["id"])
        return self._render("card.html.j2", src, cards=[view], title=f"工作提示卡：{view['title']}", single=True,
                            card_html=self._cards_html([view]), volume=None, volumes=None)

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
