"""A copy of the project grown to N records, and the bare Material site that is its anchor."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path
from typing import Any
import yaml


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
