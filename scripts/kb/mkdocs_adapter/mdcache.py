"""Convert each distinct skeleton of a generated page once (a speed-up, same output).

Once ``rawblocks`` has hidden its HTML blocks, a generated page is a skeleton: constant
headings around numbered placeholders. Guides of the same shape (the same sections
present) have the same skeleton, so at 2,000 records Python-Markdown would convert a few
dozen distinct texts two thousand times. MkDocs converts in ``Page.render``; for a page
whose skeleton holds nothing that depends on the page itself -- no link, image or HTML,
which MkDocs rewrites relative to the page -- ``attach`` gives that page a ``render`` that
takes the result of an earlier conversion of the same text: the HTML, the table of
contents, the title found in it and the anchors. ``tests/mkdocs_adapter/test_mdcache.py`` compares a
whole build with one that converts every page.
"""

from __future__ import annotations

import os
from typing import Any

from mkdocs.structure.pages import Page


class MarkdownCache:
    """Per build: what ``Page.render`` made of each skeleton text."""

    def __init__(self) -> None:
        self.done: dict[str, tuple] = {}
        self.enabled = os.environ.get("KB_MARKDOWN_CACHE", "1") != "0"

    def attach(self, page: Page, markdown: str) -> None:
        """Let ``page`` reuse a conversion of ``markdown`` when nothing in it depends on the page."""
        if not self.enabled or "[" in markdown or "<" in markdown:  # a link, an image or HTML
            return
        done = self.done

        def render(config: Any, files: Any) -> None:
            text = page.markdown  # what the plugins after this hook left
            hit = done.get(text) if text == markdown else None
            if hit is None:
                Page.render(page, config, files)
                if text == markdown:
                    done[text] = (page.content, page.toc, page._title_from_render,
                                  frozenset(page.present_anchor_ids or ()), page.links_to_anchors)
                return
            page.content, page.toc, page._title_from_render, anchors, links = hit
            page.present_anchor_ids = set(anchors)
            page.links_to_anchors = links

        page.render = render  # an instance attribute: only this page, only this build
