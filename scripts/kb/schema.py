"""The record rules as data: JSON Schema files, and their errors in Chinese.

``schema/record.schema.json`` is the single source of what a record may
contain. This module loads it (and the registry schemas), validates documents
against it, and turns each jsonschema error into one readable line. Custom
messages live in the schema itself under ``x-messages``; fields that must never
reach the public edition carry ``x-internal: true``; vocabulary-backed fields
carry ``x-vocabulary``.
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

SCHEMA_FILES = {
    "record": "record.schema.json",
    "laws": "laws.schema.json",
    "vocabularies": "vocabularies.schema.json",
    "synonyms": "synonyms.schema.json",
}

TYPE_NAMES = {
    "string": "文本",
    "integer": "整数",
    "number": "数字",
    "boolean": "布尔值（true 或 false）",
    "array": "列表",
    "object": "映射（字段: 值）",
    "null": "空值",
}


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    text = resources.files("kb").joinpath("schema", SCHEMA_FILES[name]).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=None)
def _registry() -> Registry:
    resources_ = [(load_schema(n)["$id"], Resource.from_contents(load_schema(n))) for n in SCHEMA_FILES]
    return Registry().with_resources(resources_)


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(
        load_schema(name), registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def internal_fields() -> list[str]:
    """Top-level record fields that only the internal edition may show."""
    props = load_schema("record")["properties"]
    return [name for name, spec in props.items() if spec.get("x-internal")]


def vocabulary_fields() -> dict[str, str]:
    """Record field -> vocabulary name, read from ``x-vocabulary`` markers."""
    out = {}
    for name, spec in load_schema("record")["properties"].items():
        vocab = spec.get("x-vocabulary") or spec.get("items", {}).get("x-vocabulary")
        if vocab:
            out[name] = vocab
    return out


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _shown(value: Any, limit: int = 30) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"


def _custom(error, key: str) -> str | None:
    messages = error.schema.get("x-messages") if isinstance(error.schema, dict) else None
    return messages.get(key) if messages else None


def _resolve(schema: dict, root: dict) -> dict:
    """Follow a local or cross-file $ref so we can read the target's properties."""
    ref = schema.get("$ref")
    if not ref:
        return schema
    resolved = _registry().resolver(base_uri=root.get("$id", "")).lookup(ref).contents
    return {**resolved, **{k: v for k, v in schema.items() if k != "$ref"}}


def describe(error, root: dict) -> Iterator[tuple[tuple, str, bool]]:
    """Yield (path, message, at_key) for one jsonschema error.

    ``at_key`` says the line to report is the key's own line (an unknown field)
    rather than the value's.
    """
    path = tuple(error.absolute_path)
    kind = error.validator
    value = error.instance
    if kind == "required":
        missing = [name for name in error.validator_value if not isinstance(value, dict) or name not in value]
        props = error.schema.get("properties", {})
        for name in missing:
            label = _resolve(props.get(name, {}), root).get("x-label")
            hint = f"（{label}）" if label else ""
            yield path + (name,), f"缺少必填字段“{name}”{hint}", False
    elif kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extras = [k for k in value if k not in allowed] if isinstance(value, dict) else []
        for name in extras:
            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
            hint = f"，是否应为“{close[0]}”？" if close else f"。可用字段：{'、'.join(allowed)}"
            yield path + (name,), f"未知字段“{name}”{hint}", True
    elif kind == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        want = "或".join(TYPE_NAMES.get(t, t) for t in expected)
        got = _type_of(value)
        shown = f"“{_shown(value)}”" if got in ("string", "integer", "number", "boolean") else ""
        yield path, f"应为{want}，实际为{TYPE_NAMES[got]}{shown}", False
    elif kind == "enum":
        choices = "、".join(str(c) for c in error.validator_value)
        yield path, f"“{_shown(value)}”不是可选值，可选：{choices}", False
    elif kind == "const":
        yield path, f"应为“{error.validator_value}”", False
    elif kind == "pattern":
        yield path, _custom(error, "pattern") or f"“{_shown(value)}”格式不正确", False
    elif kind == "format":
        yield path, _custom(error, "format") or f"“{_shown(value)}”不是有效的 {error.validator_value}", False
    elif kind == "minItems":
        n = error.validator_value
        yield path, f"至少需要 {n} 项，现有 {len(value)} 项", False
    elif kind == "maxItems":
        yield path, f"最多 {error.validator_value} 项，现有 {len(value)} 项", False
    elif kind == "uniqueItems":
        seen, dup = set(), None
        for item in value:
            key = json.dumps(item, ensure_ascii=False, sort_keys=True)
            if key in seen:
                dup = item
                break
            seen.add(key)
        yield path, f"列表中有重复项“{_shown(dup)}”", False
    elif kind == "minLength":
        yield path, f"太短：至少 {error.validator_value} 个字符，现有 {len(value)} 个", False
    elif kind == "maxLength":
        yield path, f"太长：最多 {error.validator_value} 个字符，现有 {len(value)} 个", False
    elif kind == "minimum":
        yield path, f"不能小于 {error.validator_value}（现为 {value}）", False
    elif kind == "maximum":
        yield path, f"不能大于 {error.validator_value}（现为 {value}）", False
    elif kind in ("oneOf", "anyOf"):
        # Report the branch that matches the value's shape (e.g. the object
        # form of a time limit), so "value: 五" says what is wrong with value.
        got = _type_of(value)
        for index, branch in enumerate(error.validator_value):
            branch = _resolve(branch, root)
            if branch.get("type") == got:
                sub = [e for e in (error.context or []) if e.schema_path and e.schema_path[0] == index]
                if sub:
                    for child in sub:
                        yield from describe(child, root)
                    return
        yield path, _custom(error, kind) or "值不符合任何允许的形式", False
    else:
        yield path, error.message, False


def check(name: str, data: Any) -> Iterator[tuple[tuple, str, bool]]:
    """Validate ``data`` against schema ``name``; yield (path, message, at_key)."""
    root = load_schema(name)
    for error in validator(name).iter_errors(data):
        yield from describe(error, root)


def _type_text(spec: dict, root: dict) -> str:
    spec = _resolve(spec, root)
    if "enum" in spec:
        return "取值：" + " / ".join(str(v) for v in spec["enum"])
    if "const" in spec:
        return f"“{spec['const']}”"
    for key in ("oneOf", "anyOf"):
        if key in spec:
            return " 或 ".join(_type_text(branch, root) for branch in spec[key])
    kind = spec.get("type")
    if kind == "array":
        item = _resolve(spec.get("items", {}), root)
        inner = "映射" if item.get("type") == "object" else TYPE_NAMES.get(item.get("type"), "值")
        least = f"，至少 {spec['minItems']} 项" if spec.get("minItems") else ""
        return f"{inner}列表{least}"
    if kind == "object":
        if "value" in spec.get("properties", {}) and "unit" in spec.get("properties", {}):
            return "{value: 正整数, unit: 工作日/自然日/小时}"
        return "映射"
    if spec.get("format") == "date":
        return "日期 YYYY-MM-DD"
    return TYPE_NAMES.get(kind, "值")


def _rows(spec: dict, root: dict, prefix: str, required: set, internal: bool = False) -> Iterator[dict]:
    for name, child in spec.get("properties", {}).items():
        path = f"{prefix}{name}"
        resolved = _resolve(child, root)
        vocab = resolved.get("x-vocabulary") or _resolve(resolved.get("items", {}), root).get("x-vocabulary")
        hidden = internal or bool(resolved.get("x-internal"))
        yield {
            "path": path,
            "label": resolved.get("x-label", ""),
            "type": _type_text(child, root),
            "required": name in required,
            "description": resolved.get("description", ""),
            "internal": hidden,
            "vocabulary": vocab,
            "depth": prefix.count(".") + prefix.count("[]"),
        }
        if resolved.get("type") == "object" and "properties" in resolved and not {"value", "unit"} <= set(resolved["properties"]):
            yield from _rows(resolved, root, path + ".", set(resolved.get("required", [])), hidden)
        item = _resolve(resolved.get("items", {}), root) if resolved.get("type") == "array" else {}
        if item.get("type") == "object":
            yield from _rows(item, root, path + "[].", set(item.get("required", [])), hidden)


def reference_tables() -> list[dict]:
    """Rows for the generated field reference page, one table per schema file."""
    tables = []
    for name in SCHEMA_FILES:
        root = load_schema(name)
        tables.append({
            "name": name,
            "file": SCHEMA_FILES[name],
            "title": root["title"],
            "description": root["description"],
            "rows": list(_rows(root, root, "", set(root.get("required", [])))),
        })
    return tables
