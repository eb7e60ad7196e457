"""The peer for ``kb bench --peer pagefind``: the same built site indexed by Pagefind.

Pagefind (extended build, from PyPI: ``pagefind[extended]``, which ships the
binary in its wheel and segments Chinese) indexes a *copy* of the public site
in the benchmark's work folder; nothing of it reaches the real site. It gets
the same documents as our index: the pages our index lists (guides and
hand-written pages) are marked ``data-pagefind-body`` on their article, so
Pagefind leaves out the navigation and every other page (cards, lists, laws).
A small page of its own (``peer/index.html`` and ``peer/search.js``) is the
search box that the benchmark types into: it runs Pagefind's JS API the way
Pagefind's default UI does (search, then load the first five results).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

#: Where the peer's search page lives in the copy.
PAGE = "kb-peer-pagefind/"
_ARTICLE = re.compile(r'<article class="md-content__inner')


def our_documents(site: Path) -> list[str]:
    """The locations our index lists (from its document chunks), in order."""
    manifest = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]["kb"]
    base = site / manifest["base"]
    locations: list[str] = []
    for index in range((manifest["docs"] + manifest["chunk"] - 1) // manifest["chunk"]):
        locations += [doc[0] for doc in json.loads((base / f"d{index}.json").read_text(encoding="utf-8"))]
    return locations


def _page_file(site: Path, location: str) -> Path | None:
    """The HTML file of a location, in either URL style."""
    location = location.split("#")[0]
    for candidate in (site / location / "index.html", site / location):
        if candidate.is_file() and candidate.suffix == ".html":
            return candidate
    return None


def pagefind_site(site: Path, out: Path) -> dict:
    """Copy ``site`` to ``out``, mark our documents, run Pagefind there and add the peer's search page.

    Returns ``{"pages": marked pages, "index_s": Pagefind's run, "bundle_bytes": size of pagefind/}``.
    """
    site, out = Path(site), Path(out)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(site, out)
    marked = 0
    for location in our_documents(site):
        page = _page_file(out, location)
        if page is None:
            continue
        html = page.read_text(encoding="utf-8")
        html, count = _ARTICLE.subn('<article data-pagefind-body class="md-content__inner', html, count=1)
        if count:
            page.write_text(html, encoding="utf-8")
            marked += 1
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(out), "--exclude-selectors", ".headerlink", "--quiet"],
        capture_output=True, text=True,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"Pagefind 没有建成索引（退出码 {result.returncode}）：{result.stderr.strip()[-500:]}")
    (out / PAGE).mkdir(parents=True, exist_ok=True)
    for name in ("index.html", "search.js"):
        (out / PAGE / name).write_bytes(resources.files("kb").joinpath("peer", name).read_bytes())
    bundle = sum(f.stat().st_size for f in (out / "pagefind").rglob("*") if f.is_file())
    return {"pages": marked, "index_s": seconds, "bundle_bytes": bundle}
