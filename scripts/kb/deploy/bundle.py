"""A copy of the site that works opened from disk (``file://``): ``kb bundle``.

A village service station without network, or a USB stick for training, opens
``index.html`` straight from the disk. Three things differ from a web server:

- directory URLs do not open (there is no server to add ``index.html``): the copy is
  built with ``use_directory_urls: false``, and every link the project writes follows
  MkDocs' file URLs (see ``kb.urls``);
- browsers refuse to start a Web Worker from a ``file://`` page and ``fetch()`` cannot
  read files: ``assets/kb/offline.js`` runs the search worker's own code in the page,
  and every search index file gets a script copy (``*.json.js``) it loads with a
  ``<script>`` element, which browsers do allow;
- nothing may be fetched from anywhere else: there is nothing to fetch.

The same offline mode serves a site that enables Material's ``offline`` plugin.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from .edition import INTERNAL, PUBLIC

#: The search worker, and the copy of it that runs in a page (written next to it).
WORKER = "assets/kb/search-worker.js"
PAGE_WORKER = "assets/kb/search-worker.page.js"
#: The global function the page worker copy defines, and the one index script copies call.
_WORKER_WRAP = ("/* 离线版：检索 worker 的同一份代码，在页面里运行（见 kb/bundle.py、offline.js） */\n"
                "window.__kbWorker = function (self, postMessage, fetch, addEventListener) {\n", "\n};\n")
_FILE_CALL = "__kbFile"
EDITION_NAMES = {PUBLIC: "公开版", INTERNAL: "内部版"}
CONFIG_FILES = {PUBLIC: "mkdocs.yml", INTERNAL: "mkdocs.internal.yml"}


class BundleError(Exception):
    """A problem the person running ``kb bundle`` can fix; the message says how."""


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


def make_bundle(root: Path, edition: str, out: Path, *, log=print) -> Path:
    """Build ``edition`` as a copy for opening from disk and zip it to ``out``.

    The zip holds one folder (``kb-<edition>-<date>/``) with ``index.html`` in it. The zip
    is written beside ``out`` and renamed into place, so a failure leaves no half file.
    Raises ``BundleError`` for anything the user can fix (a broken knowledge base, a
    folder that does not exist).
    """
    root = Path(root).resolve()
    out = Path(out).absolute()
    config_file = root / CONFIG_FILES[edition]
    if not config_file.is_file():
        raise BundleError(f"找不到 {config_file.name}；请在项目根目录运行，或用 --root 指定项目根目录。")
    if out.exists() and out.is_dir():
        raise BundleError(f"--out 应为一个 .zip 文件名，“{out}”是一个目录。")
    if not out.parent.is_dir():
        raise BundleError(f"--out 所在的目录“{out.parent}”不存在，请先建立它。")
    info = build_info(root, edition)
    folder = f"kb-{edition}-{info['made'][:10]}"
    with tempfile.TemporaryDirectory(prefix="kb-bundle-") as tmp:
        site = Path(tmp) / folder
        log(f"正在构建{info['edition']}（文件式网址，供离线打开）……")
        _build(config_file, site, info)
        partial = out.with_name(f".{out.name}.partial")
        files = 0
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
                for path in sorted(site.rglob("*")):
                    if path.is_file():
                        archive.write(path, path.relative_to(site.parent).as_posix())
                        files += 1
            os.replace(partial, out)
        finally:
            if partial.exists():
                partial.unlink()
    log(f"已生成 {out}：{files} 个文件，{out.stat().st_size / 1048576:.1f} MB。解压后打开 {folder}/index.html 即可使用。")
    return out


def _build(config_file: Path, site: Path, info: dict) -> None:
    """``mkdocs build`` in this process, with file URLs and the offline mode on."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    cwd = os.getcwd()
    os.chdir(config_file.parent)  # relative paths in the config (hooks, custom_dir) are the project's
    try:
        config = load_config(str(config_file), site_dir=str(site), use_directory_urls=False)
        config.extra.setdefault("kb", {})
        config.extra["kb"] = {**(config.extra.get("kb") or {}), "bundle": info}
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (PluginError, ConfigurationError, Abort) as exc:
        raise BundleError(str(exc)) from None
    finally:
        os.chdir(cwd)
    if not (site / "index.html").is_file():
        shutil.rmtree(site, ignore_errors=True)
        raise BundleError("构建没有生成 index.html，离线包未写出。")
