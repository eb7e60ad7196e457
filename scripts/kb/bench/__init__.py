"""``kb bench N [N ...]``: the knowledge base at province and country scale, measured side by side.

For each N the benchmark grows a throwaway copy of the project to N records
(the real records, then copies of the published ones under new ids, titles and
aliases, as ``checks/data/replicate.py`` does) and measures, in one run:

- ``kb check`` (wall time of the command);
- a full ``mkdocs build`` of the public and of the internal edition;
- the anchor: the same public records as plain Markdown pages in a bare
  Material site (same theme, ``search: lang: zh``, pages outside the nav), as
  ``checks/data/bare_site.py`` writes it — what MkDocs itself needs;
- the size of the guide pages (largest and median ``guides/<id>/index.html``);
- the search index (everything under ``search/``) in total and per record;
- the peak memory (max RSS) of each build process.

Every command runs ``repeat`` times, interleaved (public, anchor, internal,
public, anchor, internal …) and the minimum counts, as in the outside check.
Optionally it also measures the time ``mkdocs serve`` takes to show an edited
record (``serve=True``), the search latency in headless Chromium
(``browser=True``, needs the test extras and Debian chromium), and our search
side by side with a peer (``peer="pagefind"``: the same built site indexed by
Pagefind, see ``peer.py``; the query set ``tests/search_queries.yml`` typed into
both in headless Chromium: hit@3, bytes for a first query, median and maximum
latency, index size).

Each copy gets its own copy of this project's ``scripts/``: the code measured
is the working tree's at the start of the run. Progress goes to stderr; the
table to stdout.
"""

from __future__ import annotations

import datetime as _dt
import gzip
import itertools
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, TextIO

import yaml

#: What the table shows: (key, header, format).
COLUMNS = [
    ("records", "记录数", "{:d}"),
    ("public_records", "公开", "{:d}"),
    ("check_s", "check s", "{:.2f}"),
    ("public_s", "公开版 s", "{:.2f}"),
    ("internal_s", "内部版 s", "{:.2f}"),
    ("anchor_s", "基准站 s", "{:.2f}"),
    ("ratio", "公开/基准", "{:.2f}"),
    ("guide_max_kb", "指南最大 KB", "{:.1f}"),
    ("guide_median_kb", "指南中位 KB", "{:.1f}"),
    ("search_mb", "检索 MB", "{:.2f}"),
    ("search_bytes_per_record", "检索 B/条", "{:d}"),
    ("anchor_search_mb", "基准检索 MB", "{:.2f}"),
    ("public_peak_mb", "公开峰值 MB", "{:.0f}"),
    ("internal_peak_mb", "内部峰值 MB", "{:.0f}"),
    ("anchor_peak_mb", "基准峰值 MB", "{:.0f}"),
]

#: Queries typed in the browser: what people say at the counter.
QUERIES = ["身份证", "老人换身份证", "房产证", "社保断了", "工资拖欠", "营业执照", "危险化学品", "医保关系转移",
           "劳动仲裁", "养老保险"]

# -- the machine -------------------------------------------------------------------
def machine() -> dict:
    """Where the numbers come from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "mkdocs": version("mkdocs"),
        "material": version("mkdocs-material"),
        "jieba": version("jieba"),
        "date": _dt.date.today().isoformat(),
    }


# -- growing a knowledge base ----------------------------------------------------------
_TITLE_MAX = 60
_ID_BASE = 50


def _record_files(solutions: Path) -> list[Path]:
    return sorted(p for p in solutions.glob("*.yml") if p.is_file())


def grow(source: Path, dest: Path, n: int) -> int:
    """A copy of the project at ``source`` in ``dest`` with ``n`` records; returns the record count.

    Real records are copied as they are; copies of the published ones (new id,
    title and aliases; everything else the same) are added until there are
    ``n``. With fewer than the real number requested, the first ``n`` are kept
    (and ``related`` links to records left out are dropped so it stays valid).
    """
    source, dest = Path(source).resolve(), Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in ("mkdocs.yml", "mkdocs.internal.yml"):
        shutil.copy(source / name, dest / name)
    if (source / "docs").is_dir():
        shutil.copytree(source / "docs", dest / "docs")
    else:
        (dest / "docs").mkdir()
    # A copy, not a link: the code measured stays the same for the whole run, and
    # edits elsewhere do not set off `mkdocs serve` (it watches scripts/kb/).
    shutil.copytree(source / "scripts", dest / "scripts", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copytree(source / "solutions" / "_registry", dest / "solutions" / "_registry")

    records = []
    for path in _record_files(source / "solutions"):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        if isinstance(data, dict) and "id" in data:
            records.append((path, data))
    if not records:
        raise ValueError(f"{source / 'solutions'} 里没有记录，无法复制")
    keep = records[:n] if n < len(records) else records
    kept_ids = {data["id"] for _, data in keep}
    for path, data in keep:
        if n < len(records) and any(i not in kept_ids for i in data.get("related", [])):
            data = dict(data, related=[i for i in data["related"] if i in kept_ids])
            if not data["related"]:
                del data["related"]
            _dump(data, dest / "solutions" / path.name)
        else:
            shutil.copy(path, dest / "solutions" / path.name)

    published = [data for _, data in records if data.get("status") == "published"]
    if len(keep) < n and not published:
        raise ValueError("没有已发布的记录可供复制")
    have = len(keep)
    for k, original in zip(range(1, n - have + 1), itertools.cycle(published)):
        tag = f"{k:05d}"
        copy = dict(original)
        suffix = f"（第{tag}号）"
        copy["id"] = f"{original['id'][:_ID_BASE]}-r{tag}"
        copy["title"] = original["title"][: _TITLE_MAX - len(suffix)] + suffix
        copy["aliases"] = [f"{a}{tag}" for a in original.get("aliases", [])]
        _dump(copy, dest / "solutions" / f"{copy['id']}.yml")
    return max(have, n)


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(data: dict, path: Path) -> None:
    path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return "\n".join(_flat(v) for v in value.values())
    if isinstance(value, list):
        return "\n".join(_flat(v) for v in value)
    return str(value)


def bare_site(records: list[dict], out: Path) -> None:
    """The anchor: records as plain Markdown pages in a bare Material site (as checks/data/bare_site.py)."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "docs" / "guides").mkdir(parents=True)
    (out / "docs" / "index.md").write_text("# 首页\n", encoding="utf-8")
    for r in records:
        body = [f"# {r['title']}", "", r.get("summary", "")]
        for k in ("applies_when", "legal_basis", "procedure", "materials", "faq", "departments", "time_limit", "sources"):
            if r.get(k):
                body += ["", f"## {k}", "", _flat(r[k])]
        (out / "docs" / "guides" / f"{r['id']}.md").write_text("\n".join(body) + "\n", encoding="utf-8")
    (out / "mkdocs.yml").write_text(
        "site_name: 基准\ntheme:\n  name: material\n  language: zh\n  font: false\nnav:\n  - index.md\n"
        "not_in_nav: |\n  /guides/\nplugins:\n  - search:\n      lang: zh\n",
        encoding="utf-8",
    )


def public_export(project: Path) -> list[dict]:
    """What ``kb export --edition public`` prints for ``project`` (as data)."""
    from ..site.edition import Edition
    from ..knowledge import load_knowledge_base

    loaded = load_knowledge_base(project)
    if loaded.problems:
        from ..records import report

        raise RuntimeError("复制出的知识库没有通过检查：\n" + report.render_text(loaded.problems[:20]))
    return json.loads(json.dumps(Edition("public", loaded.kb).views, ensure_ascii=False))


# -- running and timing ------------------------------------------------------------------
def _env(project: Path) -> dict:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(project, "scripts").resolve()), env.get("PYTHONPATH")]))
    return env


def timed(cmd: list[str], cwd: Path, log: Path, env: dict | None = None) -> tuple[float, int, int]:
    """Run ``cmd``; (seconds, peak RSS in bytes of that process, exit code)."""
    with open(log, "ab") as out:
        out.write(f"$ {' '.join(cmd)}\n".encode())
        out.flush()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env or _env(cwd), stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss * 1024, proc.returncode


def _dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def _largest_pages(site: Path, count: int = 5) -> list[list]:
    """The biggest HTML pages of a site: [url, KB]."""
    pages = sorted(((p.stat().st_size, p) for p in Path(site).rglob("*.html")), reverse=True)[:count]
    return [[p.relative_to(site).parent.as_posix() + "/", round(size / 1024, 1)] for size, p in pages]


def _guide_sizes(site: Path) -> list[int]:
    return sorted(p.stat().st_size for p in (site / "guides").glob("*/index.html"))


class BenchError(RuntimeError):
    pass


def measure(n: int, root: Path, workdir: Path, repeat: int = 2, progress: Callable[[str], None] = print) -> dict:
    """Everything for one size; the project and the anchor stay in ``workdir/n<N>/``."""
    base = Path(workdir) / f"n{n}"
    project, anchor, log = base / "project", base / "anchor", base / "bench.log"
    base.mkdir(parents=True, exist_ok=True)
    log.write_text("", encoding="utf-8")
    progress(f"[{n}] 复制知识库到 {project} …")
    count = grow(root, project, n)
    records = public_export(project)
    progress(f"[{n}] {count} 条记录（公开版 {len(records)} 条）；写基准站 {anchor} …")
    bare_site(records, anchor)

    def run(what: str, cmd: list[str], cwd: Path) -> tuple[float, int]:
        seconds, peak, code = timed(cmd, cwd, log)
        if code != 0:
            raise BenchError(f"{what} 失败（退出码 {code}），见 {log}")
        progress(f"[{n}] {what}: {seconds:.2f} s，峰值内存 {peak / 2**20:.0f} MB")
        return seconds, peak

    py = sys.executable
    check = [run("kb check", [py, "-m", "kb", "--root", str(project), "check"], project) for _ in range(repeat)]
    builds: dict[str, list[tuple[float, int]]] = {"public": [], "anchor": [], "internal": []}
    for _ in range(repeat):
        builds["public"].append(run("公开版构建", [py, "-m", "mkdocs", "build", "-q"], project))
        builds["anchor"].append(run("基准站构建", [py, "-m", "mkdocs", "build", "-q"], anchor))
        builds["internal"].append(run("内部版构建", [py, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.internal.yml"], project))

    site, internal_site = project / "site", project / "site-internal"
    guides = _guide_sizes(site) or [0]
    internal_guides = _guide_sizes(internal_site) or [0]
    search = _dir_bytes(site / "search")
    internal_search = _dir_bytes(internal_site / "search")
    anchor_search = _dir_bytes(anchor / "site" / "search")
    best = {k: min(s for s, _ in v) for k, v in builds.items()}
    peak = {k: max(p for _, p in v) for k, v in builds.items()}
    internal_records = sum(1 for p in (internal_site / "guides").glob("*/index.html"))
    return {
        "records": count,
        "public_records": len(records),
        "internal_records": internal_records,
        "check_s": min(s for s, _ in check),
        "public_s": best["public"],
        "internal_s": best["internal"],
        "anchor_s": best["anchor"],
        "ratio": best["public"] / best["anchor"],
        "guide_max_kb": guides[-1] / 1024,
        "guide_median_kb": statistics.median(guides) / 1024,
        "internal_guide_max_kb": internal_guides[-1] / 1024,
        "search_mb": search / 2**20,
        "search_bytes_per_record": search // max(1, len(records)),
        "internal_search_mb": internal_search / 2**20,
        "anchor_search_mb": anchor_search / 2**20,
        "public_peak_mb": peak["public"] / 2**20,
        "internal_peak_mb": peak["internal"] / 2**20,
        "anchor_peak_mb": peak["anchor"] / 2**20,
        "check_peak_mb": max(p for _, p in check) / 2**20,
        "public_site_mb": _dir_bytes(site) / 2**20,
        "largest_pages": _largest_pages(site),
        "runs": {k: [round(s, 3) for s, _ in v] for k, v in {**builds, "check": check}.items()},
        "workdir": str(base),
    }


# -- mkdocs serve ---------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - not up yet, or mid-rebuild
        return None


def _builds(log: Path) -> list[float]:
    """The build times ``mkdocs serve`` has logged so far: MkDocs' full builds ("Documentation built
    in N seconds") and the preview's partial updates ("预览：已更新，用时 N 秒", kb/preview.py)."""
    text = Path(log).read_text(encoding="utf-8", errors="replace") if Path(log).exists() else ""
    return [float(x) for x in re.findall(r"(?:Documentation built in|预览：已更新，用时) ([0-9.]+) (?:seconds|秒)", text)]


def _serve_and_edit(cwd: Path, path: str, edit: Callable[[str], None], label: str, log: Path, edits: int,
                    timeout: float, progress: Callable[[str], None]) -> tuple[float, list[float]]:
    """Run ``mkdocs serve`` in ``cwd``; call ``edit(marker)`` and time until ``path`` shows the marker."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{path}"
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=cwd,
                                env=_env(cwd), stdout=out, stderr=subprocess.STDOUT)
        try:
            while _get(url) is None:
                if proc.poll() is not None:
                    raise BenchError(f"mkdocs serve 退出了（{proc.returncode}），见 {log}")
                if time.perf_counter() - start > timeout:
                    raise BenchError(f"mkdocs serve {timeout:.0f} s 内没有启动，见 {log}")
                time.sleep(0.2)
            startup = time.perf_counter() - start
            progress(f"{label}：mkdocs serve 就绪 {startup:.1f} s")
            times = []
            for i in range(edits):
                time.sleep(2)  # let the watcher settle
                builds = _builds(log)
                marker = f"基准测试修改标记{os.getpid()}x{i}x{int(time.time())}"
                edit(marker)
                t0 = time.perf_counter()
                while True:
                    body = _get(url)
                    if body and marker in body:
                        break
                    if time.perf_counter() - t0 > timeout:
                        raise BenchError(f"改动 {timeout:.0f} s 内没有出现在 {url}，见 {log}")
                    time.sleep(0.1)
                times.append(time.perf_counter() - t0)
                progress(f"{label}：改动第 {i + 1} 次，{times[-1]:.2f} s 后页面显示新内容")
                # The rest of the site (and its search index) is still being written:
                # the next edit waits for the rebuild to finish, or it would queue behind it.
                while len(_builds(log)) <= len(builds) and time.perf_counter() - t0 < timeout:
                    time.sleep(0.2)
        finally:
            proc.terminate()  # our own child, by its pid
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return startup, times, _builds(log)[1:]


def serve_reload(project: Path, anchor: Path | None = None, edits: int = 3, timeout: float = 900,
                 progress: Callable[[str], None] = print) -> dict:
    """``mkdocs serve``: change one record's summary and time until its guide page shows the new text.

    With ``anchor`` (a bare site from ``bare_site``), the same is measured for its
    plain page, as a yardstick: what MkDocs needs to rebuild that many pages.
    """
    project = Path(project)
    # A published record (a copy when there are copies): the public site must show it.
    candidates = sorted(_record_files(project / "solutions"), key=lambda p: "-r0" not in p.stem)
    for target in candidates:
        data = yaml.load(target.read_text(encoding="utf-8"), Loader=_Loader)
        if isinstance(data, dict) and data.get("status") == "published":
            break
    else:
        raise BenchError("没有已发布的记录可以修改")
    original = target.read_bytes()
    try:
        startup, times, rebuilds = _serve_and_edit(
            project, f"guides/{data['id']}/", lambda marker: _dump(dict(data, summary=f"{marker}。"), target),
            "知识库", project.parent / "serve.log", edits, timeout, progress)
    finally:
        target.write_bytes(original)
    result = {"serve_startup_s": startup, "serve_reload_s": times, "serve_rebuild_s": rebuilds}
    page = Path(anchor or "", "docs", "guides", f"{data['id']}.md")
    if anchor and page.is_file():
        text = page.read_text(encoding="utf-8")

        def edit(marker: str) -> None:
            lines = text.split("\n")
            lines[2] = marker  # the summary line under the title
            page.write_text("\n".join(lines), encoding="utf-8")

        try:
            startup, times, rebuilds = _serve_and_edit(anchor, f"guides/{data['id']}/", edit, "基准站",
                                             anchor.parent / "serve-anchor.log", edits, timeout, progress)
        finally:
            page.write_text(text, encoding="utf-8")
        result.update(anchor_serve_startup_s=startup, anchor_serve_reload_s=times, anchor_serve_rebuild_s=rebuilds)
    return result


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


def format_peer(result: dict) -> str:
    """The side-by-side table of one size."""
    ours, peer = result["ours"], result["peer"]
    rows = [["", "本站检索", "Pagefind"]]

    def both(label, f):
        rows.append([label, f(ours), f(peer)])

    both("前三命中（hit@3）", lambda r: f"{r['hits']}/{r['queries']} = {r['hits'] / r['queries']:.1%}")
    both("首次查询下载（中位 / 最多，gzip 后）",
         lambda r: f"{r['first_gzip_median'] / 1024:.0f} / {r['first_gzip_max'] / 1024:.0f} KB")
    both("首次查询下载（中位 / 最多，原始）",
         lambda r: f"{r['first_bytes_median'] / 1024:.0f} / {r['first_bytes_max'] / 1024:.0f} KB")
    both("响应时间（中位 / 最长）", lambda r: f"{r['median_s'] * 1000:.0f} / {r['max_s'] * 1000:.0f} ms")
    both("索引大小", lambda r: f"{r['index_bytes'] / 2**20:.2f} MB")
    sections = list(ours["sections"])
    for section in sections:
        both(f"  {section}", lambda r, s=section: "{}/{}".format(*r["sections"].get(s, [0, 0])))
    widths = [max(_width(row[i]) for row in rows) for i in range(3)]
    return "\n".join("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths)) for row in rows)


# -- the whole run ------------------------------------------------------------------------------
def format_table(results: list[dict]) -> str:
    rows = [[header for _, header, _ in COLUMNS]]
    for result in results:
        rows.append([fmt.format(result[key]) if result.get(key) is not None else "-" for key, _, fmt in COLUMNS])
    widths = [max(_width(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(" " * (w - _width(cell)) + cell for cell, w in zip(row, widths)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def growth(results: list[dict]) -> list[dict]:
    """How the public build grows from one size to the next (the check's 200 -> 2,000 figure)."""
    out = []
    for a, b in zip(results, results[1:]):
        out.append({"from": a["records"], "to": b["records"], "records_x": b["records"] / a["records"],
                    "public_x": b["public_s"] / a["public_s"], "anchor_x": b["anchor_s"] / a["anchor_s"],
                    "check_x": b["check_s"] / a["check_s"]})
    return out


def run(sizes: list[int], root: Path | str = ".", *, workdir: Path | str | None = None, repeat: int = 2,
        keep: bool = False, serve: bool = False, browser: bool = False, peer: str | None = None,
        json_path: Path | str | None = None,
        out: TextIO | None = None, err: TextIO | None = None) -> dict:
    """Measure every size in ``sizes``; print the table to ``out`` and return everything as a dict."""
    out = out or sys.stdout
    err = err or sys.stderr
    root = Path(root).resolve()

    def progress(message: str) -> None:
        print(message, file=err, flush=True)

    own_workdir = workdir is None
    work = Path(tempfile.mkdtemp(prefix="kb-bench-")) if own_workdir else Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    report: dict = {"machine": machine(), "repeat": repeat, "results": []}
    try:
        for n in sizes:
            result = measure(n, root, work, repeat, progress)
            if serve:
                workdir = Path(result["workdir"])
                result.update(serve_reload(workdir / "project", workdir / "anchor", progress=progress))
            if browser:
                progress(f"[{n}] 在无头 Chromium 里检索 {len(QUERIES)} 个词 …")
                result.update(search_latency(Path(result["workdir"]) / "project" / "site", root / "tests"))
                progress(f"[{n}] 检索：中位 {result['search_median_s']:.3f} s，最长 {result['search_max_s']:.3f} s")
            if peer:
                workdir = Path(result["workdir"])
                result["peer_comparison"] = peer_comparison(workdir / "project" / "site", workdir, root / "tests", peer,
                                                            progress)
            report["results"].append(result)
            if not keep:
                shutil.rmtree(result["workdir"], ignore_errors=True)
    finally:
        if own_workdir and not keep:
            shutil.rmtree(work, ignore_errors=True)
    report["growth"] = growth(report["results"])
    print(format_summary(report), file=out)
    if json_path:
        Path(json_path).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        progress(f"结果已写入 {json_path}")
    return report


def format_summary(report: dict) -> str:
    m = report["machine"]
    lines = [f"机器：{m['cpu']}，{m['cores']} 核，内存 {m['ram_gb']} GB；Python {m['python']}，MkDocs {m['mkdocs']}，"
             f"Material {m['material']}；{m['date']}（每项取 {report['repeat']} 次中的最小值）", "",
             format_table(report["results"])]
    for g in report["growth"]:
        lines.append(f"{g['from']} → {g['to']} 条（×{g['records_x']:.1f}）：公开版构建 ×{g['public_x']:.2f}，"
                     f"基准站 ×{g['anchor_x']:.2f}，kb check ×{g['check_x']:.2f}")
    for r in report["results"]:
        if r.get("largest_pages"):
            lines.append(f"{r['records']} 条：最大的页面 " + "，".join(
                f"{url} {kb / 1024:.1f} MB" if kb >= 1024 else f"{url} {kb:.0f} KB" for url, kb in r["largest_pages"][:3]))
        if "serve_reload_s" in r:
            line = (f"{r['records']} 条：mkdocs serve 启动 {r['serve_startup_s']:.1f} s；改一条记录后页面更新 "
                    f"中位 {statistics.median(r['serve_reload_s']):.2f} s（"
                    + "、".join(f"{s:.2f} s" for s in r["serve_reload_s"])
                    + "；其中更新页面 " + "、".join(f"{s:.2f} s" for s in r.get("serve_rebuild_s", [])) + "）")
            if "anchor_serve_reload_s" in r:
                line += (f"；基准站启动 {r['anchor_serve_startup_s']:.1f} s，改一页后更新中位 "
                         f"{statistics.median(r['anchor_serve_reload_s']):.2f} s（"
                         + "、".join(f"{s:.2f} s" for s in r["anchor_serve_reload_s"]) + "；整站重建 "
                         + "、".join(f"{s:.1f} s" for s in r.get("anchor_serve_rebuild_s", [])) + "）")
            lines.append(line)
        if "peer_comparison" in r:
            lines += ["", f"{r['records']} 条：本站检索与 {r['peer_comparison']['peer']['name']} 对照"
                      f"（同一站点、同一查询集 tests/search_queries.yml，无头 Chromium）：",
                      format_peer(r["peer_comparison"])]
        if "search_median_s" in r:
            lines.append(f"{r['records']} 条：浏览器检索 {len(r['queries'])} 个词，中位 {r['search_median_s'] * 1000:.0f} ms，"
                         f"最长 {r['search_max_s'] * 1000:.0f} ms；每次下载中位 {r['search_bytes_median'] / 1024:.0f} KB，"
                         f"最多 {r['search_bytes_max'] / 1024:.0f} KB")
    return "\n".join(lines)

