"""The package's architecture, enforced: one subpackage per concept, layered without circles, and MkDocs
and Material imported only by the adapter, so that checking, exporting and the counter's tools run without them.

The layers (bottom first) are drawn on the developers' page; a unit may import only units in lower layers.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

KB = ROOT / "scripts" / "kb"

#: Bottom first. A unit is a subpackage of ``kb`` or a module directly in it.
LAYERS = [
    {"clock", "render", "parallel"},
    {"records"},
    {"law"},
    {"counter"},
    {"knowledge", "stats"},
    {"site"},
    {"search", "office"},
    {"ledger"},
    {"mkdocs_adapter"},
    {"deploy"},
    {"bench"},
    {"cli"},
    {"__main__"},
]
LEVEL = {unit: level for level, units in enumerate(LAYERS) for unit in units}
ENGINE = ("mkdocs", "material")


def _modules() -> dict[str, Path]:
    out = {}
    for path in KB.rglob("*.py"):
        parts = path.relative_to(KB.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(name: str, path: Path) -> set[str]:
    """Every module name imported by ``name`` (relative imports resolved), type-checking-only imports left out."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    stack = [ast.parse(path.read_text(encoding="utf-8"))]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
        stack.extend(ast.iter_child_nodes(node))
    return found


def _unit(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "kb" and len(parts) > 1 else None


MODULES = _modules()
GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_every_unit_has_a_layer_and_every_subpackage_says_what_it_holds():
    units = {_unit(name) for name in MODULES} - {None}
    assert units <= set(LEVEL), f"not in a layer (add it to LAYERS and the developers' page): {units - set(LEVEL)}"
    top = [p for p in KB.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert len(top) <= 8, [p.name for p in top]
    for init in KB.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "May use" in doc or init.parent.name in ("bench", "cli", "office"), init


def test_units_import_only_lower_layers():
    wrong = []
    for name, imported in GRAPH.items():
        here = _unit(name)
        for target in imported:
            there = _unit(target)
            if here and there and there != here and target in MODULES and LEVEL[there] >= LEVEL[here]:
                wrong.append(f"{name} -> {target}")
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(wrong))


def test_only_the_adapter_imports_the_engine():
    wrong = sorted(f"{name} -> {target}" for name, imported in GRAPH.items() for target in imported
                   if target.split(".")[0] in ENGINE and _unit(name) != "mkdocs_adapter")
    assert not wrong, wrong


# Imports of the engine fail in this child process, as on a machine without MkDocs and Material.
_WITHOUT_ENGINE = """
import importlib.abc, sys
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('mkdocs', 'material'):
            raise ModuleNotFoundError(f'No module named {name!r} (refused by the test)')
sys.meta_path.insert(0, Refuse())
"""


def test_the_lower_layers_and_the_commands_without_them_run_without_mkdocs(tmp_path):
    engine_free = sorted(name for name in MODULES if _unit(name) in ("records", "law", "counter", "office", "site",
                                                                     "search", "knowledge", "stats", "clock", "render",
                                                                     "ledger"))
    code = _WITHOUT_ENGINE + "import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in engine_free)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    book = tmp_path / "kb.xlsx"
    for args in (["check"], ["export"], ["export", "--format", "xlsx", "--out", str(book)], ["stats"],
                 ["deadline", "2026-09-29", "5", "工作日"]):
        call = _WITHOUT_ENGINE + f"from kb.cli import main\nmain({['--root', str(FIXTURES / 'kb'), *args]!r})"
        done = subprocess.run([sys.executable, "-c", call], capture_output=True, text=True)
        assert done.returncode == 0, (args, done.stderr[-2000:])
    assert book.is_file()


@pytest.mark.parametrize("blocked", ENGINE)
def test_the_refusal_is_real(blocked):
    """The child process above would notice an import of the engine."""
    done = subprocess.run([sys.executable, "-c", _WITHOUT_ENGINE + f"import {blocked}"], capture_output=True, text=True)
    assert done.returncode != 0 and "refused by the test" in done.stderr
