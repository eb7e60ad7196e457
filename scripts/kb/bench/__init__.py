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

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from .builds import machine, measure
from .searching import QUERIES, peer_comparison, search_latency
from .serve import serve_reload
from .tables import format_summary, growth


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
