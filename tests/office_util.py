"""Helpers shared by the office tests: small knowledge bases, exported workbooks, records on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES, ROOT
from kb.records.load import load_sources
from kb.knowledge import load_knowledge_base
from kb.office.xlsx_export import write_workbook
from kb.office.xlsx_import import apply, plan_import

VALID = FIXTURES / "valid"


def knowledge_base(tmp: Path, solutions: Path = FIXTURES / "kb" / "solutions", extra: list[Path] = ()) -> Path:
    """A project root holding a copy of ``solutions`` (default: the fixture KB) and ``extra`` record files."""
    root = tmp / "kb"
    shutil.copytree(solutions, root / "solutions")
    for path in extra:
        shutil.copy(path, root / "solutions" / path.name)
    return root


def registry_copy(root: Path, tmp: Path, name: str = "empty") -> Path:
    """A root with the same registry as ``root`` and no records."""
    other = tmp / name
    shutil.copytree(root / "solutions" / "_registry", other / "solutions" / "_registry")
    return other


def export(root: Path, out: Path, edition: str = "internal") -> Path:
    loaded = load_knowledge_base(root)
    assert loaded.ok, [str(p) for p in loaded.problems]
    write_workbook(loaded.kb, edition, out)
    return out


def records(root: Path) -> dict[str, dict]:
    return {doc.stem: doc.data for doc in load_sources(root).records}


def import_ok(root: Path, workbook: Path, update: bool = False):
    plan = plan_import(root, workbook, update=update, display=workbook.name)
    assert plan.ok, [str(p) for p in plan.problems]
    apply(plan)
    return plan


def problems(root: Path, workbook: Path, update: bool = False) -> list[str]:
    return [str(p) for p in plan_import(root, workbook, update=update, display=workbook.name).problems]


__all__ = ["ROOT", "VALID", "export", "import_ok", "knowledge_base", "problems", "records", "registry_copy"]
