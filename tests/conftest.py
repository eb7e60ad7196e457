"""Shared fixtures: small knowledge bases under a temporary root, and real site builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(ROOT / "scripts"))

#: The day every test runs "on" (kb.clock reads it; subprocesses inherit it), so that
#: answers which depend on the day (overdue reviews, laws not yet in force, source
#: checks older than a year) do not change as the calendar moves. Tests about the day
#: itself pass their own.
TEST_TODAY = "2026-11-30"
os.environ["KB_TODAY"] = TEST_TODAY


def make_project(tmp: Path, solutions: Path | None = None, docs: bool = True) -> Path:
    """A throwaway copy of the project around ``solutions`` (default: the fixture KB)."""
    tmp.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "mkdocs.internal.yml"):
        shutil.copy(ROOT / name, tmp / name)
    (tmp / "scripts").symlink_to(ROOT / "scripts")
    if docs:
        shutil.copytree(ROOT / "docs", tmp / "docs")
    else:
        (tmp / "docs").mkdir()
    shutil.copytree(solutions or FIXTURES / "kb" / "solutions", tmp / "solutions")
    return tmp


def registry_only(tmp: Path) -> Path:
    """A project with the fixture registry and no records."""
    (tmp / "solutions").mkdir(parents=True)
    shutil.copytree(FIXTURES / "kb" / "solutions" / "_registry", tmp / "solutions" / "_registry")
    return tmp


def set_law(root: Path, law_id: str, **fields) -> None:
    """Change (or, with value None, remove) fields of one entry of ``root``'s law registry."""
    import yaml

    path = root / "solutions" / "_registry" / "laws.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = next(law for law in data["laws"] if law["id"] == law_id)
    for key, value in fields.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def fixture_copy(tmp: Path) -> Path:
    """A writable copy of the fixture knowledge base (records and registry)."""
    root = tmp / "kb"
    shutil.copytree(FIXTURES / "kb", root)
    return root


def run_kb(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kb", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "scripts")},
    )


def mkdocs_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def same_build_without(tmp: Path, switch: str, values: tuple[str, str] = ("1", "0")) -> dict[str, bytes]:
    """Build the fixture project with and without the speed-up that env ``switch`` turns off,
    in both editions and both URL styles; assert every file is the same (the search index's
    folder name is random per build); return the files of the public build with it. ``values``: the
    switch's value with the speed-up, then without it."""
    project = make_project(tmp / "project")
    with open(project / "mkdocs.internal.yml", "a", encoding="utf-8") as f:
        f.write("\nuse_directory_urls: false\n")
    public = {}
    for config in ("mkdocs.yml", "mkdocs.internal.yml"):
        sites = {}
        for value in values:
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", switch: value}
            result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", config, "-d", f"site{value}"],
                                    cwd=project, capture_output=True, text=True, env=env)
            assert result.returncode == 0, result.stderr
            site = project / f"site{value}"
            sites[value] = {str(f.relative_to(site)): f.read_bytes() for f in sorted(site.rglob("*"))
                            if f.is_file() and not str(f.relative_to(site)).startswith("search/")}
        on, off = (sites[value] for value in values)
        assert on.keys() == off.keys(), config
        assert [name for name in on if on[name] != off[name]] == [], config
        public = public or on
    return public


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture
def empty_kb(tmp_path: Path) -> Path:
    return registry_only(tmp_path / "kb")
