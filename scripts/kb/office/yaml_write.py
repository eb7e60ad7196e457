"""Writing a record as YAML the way a person would: the template's field order, plain scalars.

A record written here reads back (with ``load.py``'s YAML 1.2 rules) as exactly
the same data: every file is parsed again before it is written, and a text that
a reader would take for a number, a boolean or null (``0012``, ``true``,
``1e5``) is quoted. Dates stay unquoted, as in hand-written records.

Short collections inside a list item — a mapping of whole numbers, a list of ids — are written in
flow style, as people write them: ``copies: {original: 1, copy: 0}``, ``situations: [weituo]``.

Field order: the order of ``templates/record.yml.j2`` (which ``kb new`` uses),
with the schema's optional fields slotted in after their schema predecessor; a
record that already has a file keeps that file's order and its leading comment
lines, so the diff of an edited record shows only what changed. The first line
is always the ``# yaml-language-server: $schema=...`` line of the template.

Files are written to a temporary file beside the target and renamed into place,
so a reader never sees half a record; a new record is linked into place, which
fails rather than overwrite a file that appeared in the meantime.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..records import schema
from ..records.load import Document, _FLOAT_RE, _INT_RE, parse_text
from ..render import TEMPLATE_DIR

TEMPLATE = "record.yml.j2"
_TOP_KEY = re.compile(r"^([a-z_]+):", re.M)


@lru_cache(maxsize=None)
def _template_text() -> str:
    return (Path(TEMPLATE_DIR) / TEMPLATE).read_text(encoding="utf-8")


def schema_line() -> str:
    """The template's first line: the comment that lets editors check the file against the schema."""
    first = _template_text().splitlines()[0]
    if not first.startswith("# yaml-language-server:"):  # pragma: no cover - the template lost its first line
        raise ValueError(f"{TEMPLATE} does not start with the yaml-language-server line")
    return first


@lru_cache(maxsize=None)
def field_order() -> tuple[str, ...]:
    """Top-level fields in the template's order, the schema's other fields after their schema predecessor."""
    order = list(dict.fromkeys(_TOP_KEY.findall(_template_text())))
    previous = None
    for name in schema.load_schema("record")["properties"]:
        if name not in order:
            order.insert(order.index(previous) + 1 if previous else len(order), name)
        previous = name
    return tuple(order)


def _nested_order(path: tuple) -> list[str]:
    """The schema's property order of the mapping at ``path`` (list indexes skipped)."""
    spec = schema.load_schema("record")
    for part in path:
        spec = schema._resolve(spec, schema.load_schema("record"))
        if isinstance(part, int):
            spec = spec.get("items", {})
        else:
            spec = spec.get("properties", {}).get(part, {})
    spec = schema._resolve(spec, schema.load_schema("record"))
    names = list(spec.get("properties", {}))
    for branch in spec.get("oneOf", ()):  # a time limit's {value, unit}
        names += list(schema._resolve(branch, schema.load_schema("record")).get("properties", {}))
    return names


def _merge_order(keys: list[str], old: list[str], canonical: list[str]) -> list[str]:
    """``keys`` in ``old``'s order; a key ``old`` lacks goes after its nearest canonical predecessor."""
    out = [k for k in old if k in keys]
    for key in [k for k in canonical if k in keys] + [k for k in keys if k not in canonical]:
        if key in out:
            continue
        before = canonical[: canonical.index(key)] if key in canonical else canonical
        anchor = max((out.index(k) for k in before if k in out), default=-1)
        out.insert(anchor + 1, key)
    return out


def _ordered(value: Any, old: Any, path: tuple) -> Any:
    if isinstance(value, dict):
        canonical = list(field_order()) if not path else _nested_order(path)
        old_keys = list(old) if isinstance(old, dict) else []
        keys = _merge_order(list(value), old_keys, canonical)
        return {k: _ordered(value[k], old.get(k) if isinstance(old, dict) else None, path + (k,)) for k in keys}
    if isinstance(value, list):
        return [_ordered(v, old[i] if isinstance(old, list) and i < len(old) else None, path + (i,))
                for i, v in enumerate(value)]
    return value


# A plain scalar must read back as the same text under load.py's rules *and* under YAML 1.1
# (editors and other tools): PyYAML's YAML 1.1 patterns for null, booleans and numbers, and
# load.py's own number forms (``1e5`` is a number there, not in YAML 1.1). Timestamps are left
# out on purpose: dates stay plain, load.py reads them as text, as the records are written.
_NOT_TEXT = [regexp for resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.values()
             for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
_NOT_TEXT += [re.compile(rf"^(?:{_INT_RE.pattern})$"), re.compile(rf"^(?:{_FLOAT_RE.pattern})$")]
#: A plain scalar may not start with these (YAML indicators, and "." for "..." and ".inf").
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`.~ ")
#: Characters YAML may hold as they are (its printable set, minus the line breaks it would fold).
_UNPRINTABLE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")


def _plain(text: str) -> bool:
    if not text or text[0] in _INDICATORS or text[-1] in " :" or "\t" in text or "\n" in text:
        return False
    if ": " in text or " #" in text or _UNPRINTABLE.search(text):
        return False
    return not any(regexp.match(text) for regexp in _NOT_TEXT)


def _escape(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _quoted(text: str) -> str:
    """A double-quoted scalar: JSON's escapes are YAML's, plus the characters JSON leaves raw."""
    return _UNPRINTABLE.sub(_escape, json.dumps(text, ensure_ascii=False))


def _literal(text: str) -> list[str] | None:
    """The lines of a literal block (``|``) for a multi-line text, or None when it cannot be one."""
    if "\n" not in text or text[0].isspace() or "\t" in text or "\r" in text or _UNPRINTABLE.search(text):
        return None
    trailing = len(text) - len(text.rstrip("\n"))
    body = text[:-1] if trailing else text
    lines = body.split("\n")
    if any(line != "" and not line.strip() for line in lines):
        return None
    return ["|" + ("-" if trailing == 0 else "" if trailing == 1 else "+")] + lines


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return ".nan" if value != value else ".inf" if value == float("inf") else "-.inf" if value == float("-inf") else repr(value)
    return value if _plain(value) else _quoted(value)


_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _flow(value: Any, path: tuple) -> str | None:
    """The flow form (``{original: 1, copy: 0}``, ``[huanling, buling]``) of a short collection inside a list
    item, as records write a material's copies and the situations an item applies to; None otherwise."""
    if not any(isinstance(p, int) for p in path):
        return None
    if isinstance(value, dict) and value and all(type(v) is int for v in value.values()) \
            and all(isinstance(k, str) and _ID.match(k) and _plain(k) for k in value):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    if isinstance(value, list) and value and all(isinstance(v, str) and _ID.match(v) and _plain(v) for v in value):
        return "[" + ", ".join(value) + "]"
    return None


def _node(prefix: str, value: Any, indent: int, path: tuple = ()) -> list[str]:
    """``prefix`` ("key:" or "-") followed by ``value``, nested lines indented by ``indent``."""
    pad = " " * indent
    flow = _flow(value, path)
    if flow:
        return [f"{prefix} {flow}"]
    if isinstance(value, dict) and value:
        return [prefix] + _mapping(value, indent, path)
    if isinstance(value, list) and value:
        return [prefix] + _sequence(value, indent, path)
    if isinstance(value, (dict, list)):
        return [f"{prefix} {{}}" if isinstance(value, dict) else f"{prefix} []"]
    block = _literal(value) if isinstance(value, str) else None
    if block:
        return [f"{prefix} {block[0]}"] + [pad + line if line else "" for line in block[1:]]
    return [f"{prefix} {_scalar(value)}"]


def _mapping(data: dict, indent: int, path: tuple = ()) -> list[str]:
    pad = " " * indent
    lines = []
    for key, value in data.items():
        node = _node(f"{pad}{_scalar(key)}:", value, indent + 2, path + (key,))
        lines += node
    return lines


def _sequence(items: list, indent: int, path: tuple = ()) -> list[str]:
    """Items as "- ..." at ``indent``; a mapping item starts on the dash's line, as records are written."""
    pad = " " * indent
    lines = []
    for index, item in enumerate(items):
        if isinstance(item, dict) and item:
            inner = _mapping(item, indent + 2, path + (index,))
            lines += [f"{pad}- {inner[0][indent + 2:]}"] + inner[1:]
        else:
            lines += _node(f"{pad}-", item, indent + 2, path + (index,))
    return lines


class WriteError(Exception):
    """A record could not be written as YAML that reads back the same."""


def header_lines(old_text: str | None) -> list[str]:
    """The leading comment lines to keep: the schema line first, then the old file's own leading comments."""
    lines = [schema_line()]
    for line in (old_text or "").splitlines():
        if not line.startswith("#"):
            break
        if line.startswith("# yaml-language-server:"):
            continue
        lines.append(line)
    return lines


def other_comments(old_text: str | None) -> int:
    """How many comment lines of an existing file, past its leading ones, a rewrite drops."""
    lines = (old_text or "").splitlines()
    start = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return sum(1 for line in lines[start:] if line.lstrip().startswith("#"))


def dump_record(data: dict, old_text: str | None = None, old_data: dict | None = None) -> str:
    """The YAML text of ``data``; with the old file's text and data, keep its comments and field order.

    Raises WriteError when the text would not read back as ``data`` (never expected).
    """
    body = _mapping(_ordered(data, old_data, ()), 0)
    text = "\n".join(header_lines(old_text) + body) + "\n"
    check = Document(path=Path("record.yml"), display="record.yml")
    parse_text(text, check)
    if check.problems or check.data != data or not _same_types(check.data, data):
        raise WriteError(f"记录“{data.get('id')}”写成 YAML 后读回的内容不一致，未写入")
    return text


def _same_types(a: Any, b: Any) -> bool:
    """``1 == 1.0 == True`` in Python; a record must keep each value's kind too."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return all(_same_types(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return all(_same_types(x, y) for x, y in zip(a, b))
    return True


def _temporary(path: Path, text: str) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def write_files(files: list[tuple[Path, str, bool]]) -> None:
    """Write every (path, text, replace) as a whole: all temporary files first, then rename each into place.

    ``replace`` False means a new file: it is linked into place and fails with
    FileExistsError if the path exists by then (never overwrites).
    """
    staged = []
    try:
        for path, text, replace in files:
            staged.append((_temporary(path, text), path, replace))
        for temp, path, replace in staged:
            if replace:
                os.replace(temp, path)
            else:
                os.link(temp, path)
                temp.unlink()
    finally:
        for temp, _, _ in staged:
            temp.unlink(missing_ok=True)
