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

import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from ..mkdocs_adapter.build import BuildFailed, build_for_disk
from ..site.edition import INTERNAL, PUBLIC
from ..site.offline import build_info

CONFIG_FILES = {PUBLIC: "mkdocs.yml", INTERNAL: "mkdocs.internal.yml"}


class BundleError(Exception):
    """A problem the person running ``kb bundle`` can fix; the message says how."""


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
        try:
            build_for_disk(config_file, site, info)
        except BuildFailed as exc:
            raise BundleError(str(exc)) from None
        if not (site / "index.html").is_file():
            shutil.rmtree(site, ignore_errors=True)
            raise BundleError("构建没有生成 index.html，离线包未写出。")
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
