"""The offline mode of a built site: search that works opened from disk (``file://``).

Browsers refuse to start a Web Worker from a ``file://`` page and ``fetch()`` cannot read
files, so ``assets/kb/offline.js`` runs the search worker's own code in the page and every
search index file gets a script copy (``*.json.js``) it loads with a ``<script>`` element.
``kb bundle`` (``kb.deploy.bundle``) and a build with Material's ``offline`` plugin both
write these copies after the build; no MkDocs here, only the files the build wrote.
"""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from pathlib import Path

from .edition import EDITION_NAMES

#: The search worker, and the copy of it that runs in a page (written next to it).
WORKER = "assets/kb/search-worker.js"
PAGE_WORKER = "assets/kb/search-worker.page.js"
#: The global function the page worker copy defines, and the one index script copies call.
_WORKER_WRAP = ("/* 离线版：检索 worker 的同一份代码，在页面里运行（见 kb/bundle.py、offline.js） */\n"
                "window.__kbWorker = function (self, postMessage, fetch, addEventListener) {\n", "\n};\n")
_FILE_CALL = "__kbFile"


def build_info(root: Path, edition: str, now: datetime | None = None) -> dict:
    """What the home page of a copy says about itself: edition, when it was made, from which commit."""
    now = now or datetime.now().astimezone()
    info = {"edition": EDITION_NAMES.get(edition, edition), "made": now.strftime("%Y-%m-%d %H:%M"), "commit": ""}
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=root, capture_output=True, text=True,
                                timeout=10)
        if commit.returncode == 0:
            info["commit"] = commit.stdout.strip()
            dirty = subprocess.run(["git", "status", "--porcelain", "--", "solutions", "docs", "scripts"], cwd=root,
                                   capture_output=True, text=True, timeout=30)
            if dirty.returncode == 0 and dirty.stdout.strip():
                info["commit"] += "（含未提交的修改）"
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def write_offline_files(site_dir: str | Path) -> int:
    """Script copies of the search index and of the worker, for search from ``file://``.

    Reads what the build wrote (``search/search_index.json`` and the files under the
    ``base`` it names); returns the number of files written.
    """
    site = Path(site_dir)
    manifest_path = site / "search" / "search_index.json"
    manifest = manifest_path.read_text(encoding="utf-8")
    # Material loads this itself on file:// (search/search_index.js defines __index).
    (site / "search" / "search_index.js").write_text(f"var __index = {manifest};\n", encoding="utf-8")
    base = json.loads(manifest)["config"]["kb"]["base"]
    written = 1
    for path in sorted((site / base).glob("*.json")):
        key = path.relative_to(site).as_posix()
        data = path.read_text(encoding="utf-8")
        # JSON is a JavaScript expression; the key is ASCII (a path the index writer chose).
        path.with_name(path.name + ".js").write_text(f"{_FILE_CALL}({json.dumps(key)}, {data});\n", encoding="utf-8")
        written += 1
    worker = (site / WORKER).read_text(encoding="utf-8")
    (site / PAGE_WORKER).write_text(_WORKER_WRAP[0] + worker + _WORKER_WRAP[1], encoding="utf-8")
    return written + 1
