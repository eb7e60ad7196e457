"""Search measured in headless Chromium: latency, and our search side by side with a peer (Pagefind)."""

from __future__ import annotations

import gzip
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Callable
import yaml

from .builds import BenchError, _dir_bytes
from .corpus import _ID_BASE, _Loader


#: Queries typed in the browser: what people say at the counter.
QUERIES = ["身份证", "老人换身份证", "房产证", "社保断了", "工资拖欠", "营业执照", "危险化学品", "医保关系转移",
           "劳动仲裁", "养老保险"]


# -- search in the browser -----------------------------------------------------------------------
def search_latency(site: Path, tests_dir: Path, queries: list[str] = QUERIES) -> dict:
    """Type each query into the built site's search box in headless Chromium; time until the worker answers."""
    sys.path.insert(0, str(tests_dir))
    try:
        import browser as kb_browser  # tests/browser.py
    finally:
        sys.path.remove(str(tests_dir))
    site = Path(site)
    rows = []
    with kb_browser.browser() as chromium, kb_browser.visit(chromium, site) as page:
        base = page.base
        field = page.page.locator("input.md-search__input")
        for query in queries:
            field.click()
            field.fill("")
            page.page.wait_for_timeout(100)
            before = len(page.requests)
            start = time.perf_counter()
            field.fill(query)
            field.press("End")  # the theme reads the field on keyup
            page._wait_for_worker(query, 10_000)
            seconds = time.perf_counter() - start
            page.page.wait_for_timeout(300)  # let the theme render the answer before counting what it shows
            fetched = [u for u in page.requests[before:] if u.startswith(base)]
            size = 0
            for u in fetched:
                path = site / u[len(base):].split("?")[0].split("#")[0]
                size += path.stat().st_size if path.is_file() else 0
            results = page.page.eval_on_selector_all(".md-search-result__item", "els => els.length")
            rows.append({"query": query, "seconds": seconds, "requests": len(fetched), "bytes": size, "results": results})
    times = [r["seconds"] for r in rows]
    return {"search_median_s": statistics.median(times), "search_max_s": max(times),
            "search_bytes_median": statistics.median(r["bytes"] for r in rows),
            "search_bytes_max": max(r["bytes"] for r in rows), "queries": rows}


# -- a peer: the same site, the same queries -------------------------------------------------------
PEERS = ("pagefind",)


def query_cases(tests_dir: Path) -> list[tuple[str, str, str]]:
    """(section, query, expected guide id) of ``tests/search_queries.yml``."""
    data = yaml.load((Path(tests_dir) / "search_queries.yml").read_text(encoding="utf-8"), Loader=_Loader)
    return [(section, str(q), guide) for section, groups in data.items() for guide, qs in groups.items() for q in qs]


def _guide_pattern(urls, guide: str) -> re.Pattern:
    """The URL of a guide (as the build names it, see kb/urls.py), or of one of its copies in
    a grown knowledge base (``<id>-r00001``), at the end of a result's link."""
    from ..site.urls import guide_src

    marker = "kbbenchguideid"
    url = urls.url(guide_src(marker))
    ident = rf"{re.escape(guide[:_ID_BASE])}(-r[0-9]{{5}})?"
    pattern = re.escape(url).replace(marker, ident)
    if url.endswith("/"):
        pattern += "(index\\.html)?"
    return re.compile(pattern + "$")


def _hit(href: str, pattern: re.Pattern) -> bool:
    return pattern.search(href.split("#")[0].split("?")[0]) is not None


def _bytes(site: Path, base: str, urls: list[str]) -> tuple[int, int]:
    """Bytes of these site files: as stored, and as sent with gzip (never more than stored)."""
    raw = packed = 0
    for url in urls:
        path = Path(site) / url[len(base):].split("?")[0].split("#")[0]
        if path.is_file():
            data = path.read_bytes()
            raw += len(data)
            packed += min(len(data), len(gzip.compress(data, 6)))
    return raw, packed


class _Engine:
    """One search box in the browser: ours (the site's Material box) or the peer's page."""

    def __init__(self, name: str, site: Path, path: str, field: str, answered: str, links: str, owns):
        self.name, self.site, self.path, self.field = name, Path(site), path, field
        self.answered, self.links, self.owns = answered, links, owns

    def type(self, page, query: str) -> tuple[float, list[str]]:
        """Type ``query``; (seconds until the answer, result hrefs in order)."""
        field = page.page.locator(self.field)
        field.click()
        field.fill("")
        page.page.wait_for_timeout(100)
        start = time.perf_counter()
        field.fill(query)
        field.press("End")  # the theme reads the field on keyup
        self.wait(page, query)
        seconds = time.perf_counter() - start
        page.page.wait_for_timeout(50)  # let the box render the answer
        return seconds, page.page.eval_on_selector_all(self.links, "els => els.map(a => a.getAttribute('href'))")

    def wait(self, page, query: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.answered(page) == query:
                    return
            except Exception:  # noqa: BLE001 - the worker or module may be starting
                pass
            page.page.wait_for_timeout(20)
        raise BenchError(f"{self.name}：{timeout:.0f} s 内没有回答“{query}”")


def _ours(site: Path) -> _Engine:
    def answered(page):
        for worker in page.page.workers:
            value = worker.evaluate("self.kbAnswered")
            if value is not None:
                return value
        return None
    return _Engine("本站检索", site, "", "input.md-search__input", answered,
                   ".md-search-result__item > a.md-search-result__link",
                   lambda url: "/search/" in url or url.endswith("search-worker.js"))


def _pagefind(site: Path) -> _Engine:
    from ..search.peer import PAGE
    return _Engine("Pagefind", site, PAGE, "#q", lambda page: page.page.evaluate("window.kbPeerAnswered"),
                   "#results a", lambda url: "/pagefind/" in url)


def _measure_engine(engine: _Engine, chromium, kb_browser, cases, first, urls) -> dict:
    rows = []
    with kb_browser.visit(chromium, engine.site, engine.path) as page:
        for section, query, guide in cases:
            seconds, hrefs = engine.type(page, query)
            pattern = _guide_pattern(urls, guide)
            rows.append({"section": section, "query": query, "guide": guide, "seconds": seconds,
                         "hit": any(_hit(h, pattern) for h in hrefs[:3]), "top": hrefs[:3]})
    downloads = []
    for query in first:  # each in a fresh browser context: nothing cached
        with kb_browser.visit(chromium, engine.site, engine.path) as page:
            engine.type(page, query)
            page.page.wait_for_timeout(300)
            fetched = [u for u in page.requests if u.startswith(page.base) and engine.owns(u)]
            raw, packed = _bytes(engine.site, page.base, fetched)
            downloads.append({"query": query, "requests": len(fetched), "bytes": raw, "gzip_bytes": packed})
    times = [r["seconds"] for r in rows]
    sections: dict[str, list[int]] = {}
    for r in rows:
        sections.setdefault(r["section"], [0, 0])
        sections[r["section"]][0] += r["hit"]
        sections[r["section"]][1] += 1
    return {"hits": sum(r["hit"] for r in rows), "queries": len(rows), "sections": sections,
            "median_s": statistics.median(times), "max_s": max(times),
            "first_bytes_median": statistics.median(d["bytes"] for d in downloads),
            "first_bytes_max": max(d["bytes"] for d in downloads),
            "first_gzip_median": statistics.median(d["gzip_bytes"] for d in downloads),
            "first_gzip_max": max(d["gzip_bytes"] for d in downloads),
            "misses": [f"[{r['section']}] {r['query']} → {r['guide']}；前三：{' | '.join(r['top']) or '（无）'}"
                       for r in rows if not r["hit"]],
            "first": downloads}


def peer_comparison(site: Path, workdir: Path, tests_dir: Path, peer: str = "pagefind",
                    progress: Callable[[str], None] = print, cases: list[tuple[str, str, str]] | None = None,
                    first: list[str] = QUERIES) -> dict:
    """Our search and the peer's on the same built site and the same query set, side by side.

    ``cases`` are (section, query, expected guide id), by default the query set of
    ``tests_dir``; ``first`` the queries whose download is measured each in a fresh
    browser context (nothing cached), by default the counter words of ``QUERIES``.
    """
    if peer not in PEERS:
        raise BenchError(f"未知的对照检索“{peer}”，可选：{'、'.join(PEERS)}")
    from ..search.peer import pagefind_site

    sys.path.insert(0, str(tests_dir))
    try:
        import browser as kb_browser  # tests/browser.py
    finally:
        sys.path.remove(str(tests_dir))
    site = Path(site)
    peer_dir = Path(workdir) / "peer-pagefind"
    progress(f"Pagefind 为 {site} 的副本建索引 …")
    built = pagefind_site(site, peer_dir)
    progress(f"Pagefind：{built['pages']} 个页面，{built['index_s']:.1f} s，{built['bundle_bytes'] / 1024:.0f} KB")
    cases = cases or query_cases(tests_dir)
    ours_bytes = _dir_bytes(site / "search")
    data_bytes = sum(f.stat().st_size for f in (peer_dir / "pagefind").rglob("*") if f.is_file()
                     and (f.parent.name in ("index", "fragment") or f.suffix in (".pf_meta",) or f.name == "pagefind-entry.json"))
    out = {"peer": peer, "peer_pages": built["pages"], "peer_index_s": built["index_s"]}
    from ..site.urls import project_urls

    urls = project_urls(site.parent)  # the bench's layout: <project>/site
    with kb_browser.browser() as chromium:
        for key, engine, size in (("ours", _ours(site), ours_bytes), ("peer", _pagefind(peer_dir), built["bundle_bytes"])):
            progress(f"{engine.name}：在无头 Chromium 里输入 {len(cases)} 条查询 …")
            result = _measure_engine(engine, chromium, kb_browser, cases, first, urls)
            result["index_bytes"] = size
            out[key] = result
            progress(f"{engine.name}：前三命中 {result['hits']}/{result['queries']}，中位 {result['median_s'] * 1000:.0f} ms，"
                     f"最长 {result['max_s'] * 1000:.0f} ms")
    out["peer"]["data_bytes"] = data_bytes
    out["peer"]["name"] = peer
    return out
