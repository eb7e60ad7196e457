"""A link checker for built sites: every relative link, and every search result, must open a file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

_LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)


def _target(site: Path, page: Path, href: str) -> Path | None:
    """The file ``href`` on ``page`` opens, or None for links that leave the site or are not files."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "{")):
        return None
    path = unquote(parts.path)
    if not path:
        return None
    target = site / path.lstrip("/") if path.startswith("/") else page.parent / path
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def broken_links(site: Path) -> list[tuple[str, str]]:
    """(page, href) for every relative link or asset in the site's HTML that points at no file."""
    site = Path(site)
    bad = []
    for page in sorted(site.rglob("*.html")):
        for href in _LINK.findall(page.read_text(encoding="utf-8")):
            target = _target(site, page, href)
            if target is not None and not target.resolve().is_file():
                bad.append((str(page.relative_to(site)), href))
    return bad


def search_locations(site: Path) -> list[str]:
    """Every document location in the project's search index (site-relative, as results link them)."""
    site = Path(site)
    manifest = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    base = site / manifest["config"]["kb"]["base"]
    locations = []
    for chunk in sorted(base.glob("d*.json")):
        locations += [doc[0] for doc in json.loads(chunk.read_text(encoding="utf-8"))]
    return locations


def broken_search_results(site: Path) -> list[str]:
    site = Path(site)
    return [loc for loc in search_locations(site)
            if not _target(site, site / "index.html", loc.split("#")[0] or "./").resolve().is_file()]
