"""Where a build's time goes, phase by phase, for ``kb bench`` (``$KB_PHASES``: a file to append to).

Marks are taken at the hook's events: ``config`` (checking the knowledge base, on_config), ``files``
(generating the pages, on_files), ``pages`` (MkDocs converts, themes and writes every page: from the end of
on_files to on_post_build; of which ``convert`` until on_env and ``theme`` after, the pages written and the
child that writes part of them waited for) and ``search`` (writing the search index, on_post_build). ``startup`` is what
came before on_config (imports, reading mkdocs.yml), measured from the process's start. One JSON line per
build, in seconds; nothing is written without ``$KB_PHASES``.
"""

from __future__ import annotations

import json
import os
import time

_marks: dict[str, float] = {}


def mark(name: str) -> None:
    if os.environ.get("KB_PHASES"):
        _marks[name] = time.perf_counter()


def _process_age() -> float | None:
    """Seconds since this process started (Linux), else None."""
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            start = int(handle.read().rpartition(")")[2].split()[19])
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        return uptime - start / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def write() -> None:
    path = os.environ.get("KB_PHASES")
    if not path or "end" not in _marks:
        return
    m = _marks
    phases = {"config": m["files"] - m["config"], "files": m["files_end"] - m["files"],
              "pages": m["search"] - m["files_end"], "search": m["end"] - m["search"]}
    if "env" in m:
        phases.update(convert=m["env"] - m["files_end"], theme=m["search"] - m["env"])
    age = _process_age()
    if age is not None:
        phases["startup"] = age - (time.perf_counter() - m["config"])
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({k: round(v, 3) for k, v in phases.items()}) + "\n")
    _marks.clear()
