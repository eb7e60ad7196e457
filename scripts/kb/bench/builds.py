"""Timing commands and builds: wall time, peak memory, page and index sizes."""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Callable

from .corpus import bare_site, grow, public_export


class BenchError(RuntimeError):
    pass


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

    phase_file = base / "phases.jsonl"
    phases: list[tuple[float, dict]] = []

    def run(what: str, cmd: list[str], cwd: Path, phased: bool = False) -> tuple[float, int]:
        env = _env(cwd)
        if phased:  # the public build writes where its time went (kb/mkdocs_adapter/phases.py)
            phase_file.unlink(missing_ok=True)
            env["KB_PHASES"] = str(phase_file)
        seconds, peak, code = timed(cmd, cwd, log, env)
        if code != 0:
            raise BenchError(f"{what} 失败（退出码 {code}），见 {log}")
        progress(f"[{n}] {what}: {seconds:.2f} s，峰值内存 {peak / 2**20:.0f} MB")
        if phased and phase_file.exists():
            phases.append((seconds, json.loads(phase_file.read_text(encoding="utf-8").splitlines()[-1])))
        return seconds, peak

    py = sys.executable
    check = [run("kb check", [py, "-m", "kb", "--root", str(project), "check"], project) for _ in range(repeat)]
    builds: dict[str, list[tuple[float, int]]] = {"public": [], "anchor": [], "internal": []}
    for _ in range(repeat):
        builds["public"].append(run("公开版构建", [py, "-m", "mkdocs", "build", "-q"], project, phased=True))
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
        "public_phases": min(phases, key=lambda p: p[0])[1] if phases else {},
        "runs": {k: [round(s, 3) for s, _ in v] for k, v in {**builds, "check": check}.items()},
        "workdir": str(base),
    }
