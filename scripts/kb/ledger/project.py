"""What a ledger command needs from the project: the window's settings and the record ids.

Read from the MkDocs config (``--config``, default ``mkdocs.yml``; ``INHERIT`` followed and
merged as MkDocs merges it) without running MkDocs:

- ``extra.kb.window``: ``{name, reply, resolve}``. ``reply`` and ``resolve`` are the window's
  discipline in the record's time-limit shape (``{value: 3, unit: 工作日}`` or ``即办``); default
  3 and 5 working days, the rule the seeds report. ``name`` is the 窗口 of rows that leave it empty.
- ``extra.kb.ledgers``: paths or globs of the ledgers (relative to the config file); only the
  internal edition reads them.
- ``extra.kb.ledger_totals``: the totals file ``kb ledger report --totals-out`` writes; the only
  thing of the ledger the public edition reads.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..counter.deadline import IMMEDIATE, MAX_VALUE, UNITS
from ..site.urls import _ConfigLoader

DEFAULT_REPLY = {"value": 3, "unit": "工作日"}
DEFAULT_RESOLVE = {"value": 5, "unit": "工作日"}


class LedgerError(Exception):
    """A problem that stops a ledger command before any row is read; ``code`` is the exit code."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Window:
    """The window's discipline: the last day to reply and to resolve, counted from acceptance."""

    name: str = ""
    reply: object = field(default_factory=lambda: dict(DEFAULT_REPLY))
    resolve: object = field(default_factory=lambda: dict(DEFAULT_RESOLVE))

    @staticmethod
    def limit_text(limit) -> str:
        return limit if isinstance(limit, str) else f"{limit['value']} 个{limit['unit']}"


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def read_config(path: Path, depth: int = 0) -> dict:
    """The MkDocs config at ``path`` with its ``INHERIT`` chain merged (child wins, mappings merged)."""
    try:
        with open(path, "rb") as handle:
            config = yaml.load(handle, Loader=_ConfigLoader) or {}
    except FileNotFoundError:
        raise LedgerError(f"找不到配置文件 {path}（用 --config 指定 mkdocs 配置文件）") from None
    except (OSError, yaml.YAMLError) as exc:
        raise LedgerError(f"无法读取配置文件 {path}：{str(exc).splitlines()[0]}") from None
    if not isinstance(config, dict):
        raise LedgerError(f"配置文件 {path} 不是 MkDocs 配置（应为映射）")
    parent = config.pop("INHERIT", None)
    if parent and depth < 10:
        config = _merge(read_config(path.parent / str(parent), depth + 1), config)
    return config


def _limit(value, where: str):
    if value == IMMEDIATE:
        return IMMEDIATE
    if isinstance(value, dict) and set(value) <= {"value", "unit", "kind", "basis", "document"} \
            and value.get("unit") in UNITS and isinstance(value.get("value"), int) \
            and not isinstance(value.get("value"), bool) and 1 <= value["value"] <= MAX_VALUE:
        return {"value": value["value"], "unit": value["unit"]}
    raise LedgerError(f"{where} 应写成 {{value: 3, unit: 工作日}}（单位：{'、'.join(UNITS)}）或“{IMMEDIATE}”，"
                      f"实际为 {value!r}")


def window_of(kb_options: dict, config_name: str = "mkdocs.yml") -> Window:
    raw = kb_options.get("window") or {}
    if not isinstance(raw, dict):
        raise LedgerError(f"{config_name}: extra.kb.window 应为映射（name、reply、resolve），实际为 {raw!r}")
    unknown = set(raw) - {"name", "reply", "resolve"}
    if unknown:
        raise LedgerError(f"{config_name}: extra.kb.window 有未知的项：{'、'.join(sorted(map(str, unknown)))}"
                          "（可用：name、reply、resolve）")
    return Window(
        name=str(raw.get("name") or ""),
        reply=_limit(raw.get("reply", DEFAULT_REPLY), f"{config_name}: extra.kb.window.reply"),
        resolve=_limit(raw.get("resolve", DEFAULT_RESOLVE), f"{config_name}: extra.kb.window.resolve"),
    )


def kb_options(config: dict) -> dict:
    extra = config.get("extra") or {}
    options = extra.get("kb") if hasattr(extra, "get") else None  # MkDocs' extra is a mapping, not a dict
    return options if isinstance(options, dict) else {}


def ledger_paths(patterns, base: Path, config_name: str = "mkdocs.yml") -> list[Path]:
    """The files ``extra.kb.ledgers`` names (globs expanded, relative to the config's folder), in order."""
    if patterns in (None, "", []):
        return []
    if isinstance(patterns, str):
        patterns = [patterns]
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise LedgerError(f"{config_name}: extra.kb.ledgers 应为文件路径或通配符的列表，实际为 {patterns!r}")
    found: list[Path] = []
    for pattern in patterns:
        full = Path(pattern) if Path(pattern).is_absolute() else base / pattern
        matches = sorted(Path(p) for p in glob.glob(str(full), recursive=True)) if glob.has_magic(pattern) else [full]
        if not matches or not all(m.is_file() for m in matches):
            raise LedgerError(f"{config_name}: extra.kb.ledgers 中的“{pattern}”没有对应的台账文件", 1)
        found += [m for m in matches if m not in found]
    return found


@dataclass
class Project:
    root: Path
    config_path: Path
    options: dict
    window: Window


def project(root: Path, config: str | Path | None = None) -> Project:
    path = Path(config) if config else root / "mkdocs.yml"
    if not path.is_absolute() and config:
        path = Path.cwd() / path
    # without a site config (a knowledge base on its own) the window keeps the default discipline
    options = kb_options(read_config(path)) if config or path.is_file() else {}
    return Project(root, path, options, window_of(options, path.name))
