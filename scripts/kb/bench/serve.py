"""The author's preview measured: how long ``mkdocs serve`` takes to show an edited record."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable
import yaml

from .builds import BenchError, _env
from .corpus import _Loader, _dump, _record_files


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
