"""The primary navigation, rendered once for all the pages outside it (a speed-up, same output).

Guides, listing parts and the other generated pages stay out of the navigation, so
Material draws the same navigation on each of them: no entry is active, and every link
is relative to the page. At 2,000 records drawing it again on every page was about a
third of the theme's time. The navigation of a page outside it depends on the page only
through its links, and a relative link from folder ``D`` to a target ``T`` depends only on
``D``'s depth and on the part of ``D`` it shares with ``T``. So pages are grouped by
(depth, longest leading part of ``D`` that begins some target's folder) and the group's
navigation is drawn once (``theme/partials/nav.html``). ``tests/mkdocs_adapter/test_navcache.py``
compares every page with a build that draws each navigation afresh.

The header and the ``__config`` script of such a page are drawn once per group the same way: the header
depends on the page only through its links (home, logo) and its title, which is put into the group's header
afterwards (``partials/header.html``); the script depends on the page only through its links
(``main.html``). Together they were another third of the theme's time.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

#: Material's own templates, reachable as "material/partials/nav.html" from an override.
PREFIX = "material"


def _folder(url: str) -> tuple[str, ...]:
    """The folder of a page or file URL as parts: "guides/x/" -> (guides, x); "a/b.html" -> (a,)."""
    return tuple(part for part in url.split("/")[:-1] if part)


def _urls(items: list) -> list[str]:
    """Every URL the navigation links to: its pages and its links, sections opened."""
    out: list[str] = []
    for item in items:
        children = getattr(item, "children", None)
        if children is not None:
            out += _urls(children)
        elif getattr(item, "url", None) is not None:
            out.append(item.url)
    return out


class NavCache:
    """Per build: the navigation's HTML by page group, for pages the navigation does not hold."""

    def __init__(self, nav: Any, extra_targets: tuple[str, ...] = ()) -> None:
        self.in_nav = {id(page) for page in nav.pages}
        self.starts: set[tuple[str, ...]] = set()
        for target in [*_urls(nav.items), *extra_targets]:
            folder = _folder(target or "")
            for k in range(len(folder) + 1):
                self.starts.add(folder[:k])
        self.html: dict[tuple, str] = {}
        self.headers: dict[tuple, str] = {}
        self.configs: dict[tuple, str] = {}
        self.slot = f"kbtitle{secrets.token_hex(8)}x"  # where a group's header takes each page's title
        self.enabled = os.environ.get("KB_NAV_CACHE", "1") != "0"

    def key(self, page: Any) -> tuple | None:
        """The page's group, or None when the page is in the navigation (drawn as Material does)."""
        if not self.enabled or page is None or id(page) in self.in_nav or getattr(page, "url", None) is None:
            return None
        folder = _folder(page.url)
        shared = 0
        for k in range(len(folder), -1, -1):
            if folder[:k] in self.starts:
                shared = k
                break
        return (len(folder), folder[:shared])

    def keep(self, key: tuple | None, html: str) -> str:
        if key is not None:
            self.html[key] = html
        return html

    # -- the header: the group's, with the page's title put in --------------------
    def title_slot(self, key: tuple | None, title: Any) -> Any:
        return self.slot if key is not None else title

    def has_header(self, key: tuple | None) -> bool:
        return key is not None and key in self.headers

    def header(self, key: tuple, title: Any) -> str:
        return self.headers[key].replace(self.slot, str(title))

    def keep_header(self, key: tuple | None, html: str, title: Any) -> str:
        if key is None:
            return html
        self.headers[key] = html
        return self.header(key, title)

    # -- the __config script: the group's -------------------------------------------
    def config(self, key: tuple | None, base_url: str) -> str | None:
        return None if key is None else self.configs.get((key, base_url))

    def keep_config(self, key: tuple | None, base_url: str, html: str) -> str:
        if key is not None:
            self.configs[(key, base_url)] = html
        return html


def install(env: Any, theme_dirs: list[str], cache: NavCache) -> None:
    """Give ``env`` the cache and a way to include the theme below ours under ``material/``."""
    env.loader = ChoiceLoader([env.loader, PrefixLoader({PREFIX: FileSystemLoader(list(theme_dirs[1:]))})])
    env.globals["kb_nav"] = cache
