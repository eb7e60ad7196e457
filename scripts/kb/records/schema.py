"""The record rules as data: JSON Schema files, and their errors in Chinese.

``schema/record.schema.json`` is the single source of what a record may
contain. This module loads it (and the registry schemas), validates documents
against it, and turns each jsonschema error into one readable line. Custom
messages live in the schema itself under ``x-messages``; fields that must never
reach the public edition carry ``x-internal: true``; vocabulary-backed fields
carry ``x-vocabulary``.
"""

from __future__ import annotations

import calendar
import difflib
import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator
from urllib.parse import urljoin

from jsonschema import Draft202012Validator, ValidationError, validators
from referencing import Registry, Resource

from .privacy import normalise, url_problem

SCHEMA_FILES = {
    "record": "record.schema.json",
    "laws": "laws.schema.json",
    "vocabularies": "vocabularies.schema.json",
    "synonyms": "synonyms.schema.json",
    "variants": "variants.schema.json",
    "holidays": "holidays.schema.json",
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

#: After this many unknown fields in one mapping, stop computing suggestions
#: (a pasted table of thousands of keys must not make the check slow).
MAX_SUGGESTIONS = 20


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    text = resources.files("kb").joinpath("schema", SCHEMA_FILES[name]).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=None)
def _registry() -> Registry:
    resources_ = [(load_schema(n)["$id"], Resource.from_contents(load_schema(n))) for n in SCHEMA_FILES]
    return Registry().with_resources(resources_)


def _freeze(value: Any) -> Any:
    """A hashable stand-in with JSON Schema equality (1 == 1.0, true != 1)."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, list):
        return ("array", tuple(_freeze(v) for v in value))
    if isinstance(value, dict):
        return ("object", frozenset((k, _freeze(v)) for k, v in value.items()))
    return (type(value).__name__, value)


def _first_duplicate(items: list) -> tuple[bool, Any]:
    """(found, item) for the first repeated item. Nulls are skipped: no list in
    the schema allows them, so each one already has its own type error."""
    seen = set()
    for item in items:
        if item is None:
            continue
        key = _freeze(item)
        if key in seen:
            return True, item
        seen.add(key)
    return False, None


def _unique_items(validator, unique, instance, schema):
    # jsonschema falls back to comparing every pair when items are not
    # sortable (a list of mappings): quadratic on a hostile file. Hashing is linear.
    if unique and validator.is_type(instance, "array") and _first_duplicate(instance)[0]:
        yield ValidationError("has non-unique elements")


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern:
    # JSON Schema patterns are ECMA-262: "$" is the end of the text. In Python
    # "$" also matches before a final newline, so "id\n" would pass "^...$".
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"does not match {pattern!r}")


def _is_integer(checker, instance) -> bool:
    # 5.0 is a number, not an integer: a time limit of "5.0 工作日" is a typo.
    return isinstance(instance, int) and not isinstance(instance, bool)


_Validator = validators.extend(
    Draft202012Validator,
    validators={"uniqueItems": _unique_items, "pattern": _pattern},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


@lru_cache(maxsize=None)
def validator(name: str):
    return _Validator(load_schema(name), registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


# -- fast path -----------------------------------------------------------------
# jsonschema walks every value through a generic validator (about 1 ms per
# record), which alone would take seconds at a province's 2,000 records. Nearly
# every record is valid, so each schema is also compiled into a plain predicate
# for the keywords our schemas use; jsonschema runs only on a record the
# predicate rejects, and the messages still come from jsonschema alone. A
# schema using any other keyword is never compiled (jsonschema always runs),
# and tests/records/test_fuzz.py checks that both agree on thousands of random records.

_ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description", "default", "examples", "$comment"}
_TYPE_TESTS = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: _is_integer(None, v),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


class _Unsupported(Exception):
    pass


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _compile(schema: Any, base: str, memo: dict):
    """A predicate equivalent to validating against ``schema`` with ``validator()``."""
    if schema is True or schema == {}:
        return lambda v: True
    if not isinstance(schema, dict):
        raise _Unsupported(schema)
    key = id(schema)
    if key in memo:
        return memo[key]
    checks: list = []

    def every(value: Any) -> bool:
        for check in checks:
            if not check(value):
                return False
        return True

    memo[key] = every  # before the keywords are compiled, so a $ref cycle finds it
    for word, arg in schema.items():
        if word in _ANNOTATIONS or word.startswith("x-"):
            continue
        checks.append(_keyword(word, arg, schema, base, memo))
    if len(checks) == 1:
        memo[key] = checks[0]
    return memo[key]


def _keyword(word: str, arg: Any, schema: dict, base: str, memo: dict):
    if word == "type":
        tests = [_TYPE_TESTS[t] for t in (arg if isinstance(arg, list) else [arg])]
        return tests[0] if len(tests) == 1 else lambda v: any(t(v) for t in tests)
    if word in ("enum", "const"):
        allowed = arg if word == "enum" else [arg]
        if not all(isinstance(a, str) for a in allowed):
            raise _Unsupported(word)
        allowed = frozenset(allowed)
        return lambda v: isinstance(v, str) and v in allowed
    if word == "pattern":
        search = _compiled(arg).search
        return lambda v: not isinstance(v, str) or search(v) is not None
    if word == "format":
        if arg != "date":
            raise _Unsupported(word)
        conforms = Draft202012Validator.FORMAT_CHECKER.conforms
        return lambda v: conforms(v, "date")
    if word == "minLength":
        return lambda v: not isinstance(v, str) or len(v) >= arg
    if word == "maxLength":
        return lambda v: not isinstance(v, str) or len(v) <= arg
    if word == "minItems":
        return lambda v: not isinstance(v, list) or len(v) >= arg
    if word == "maxItems":
        return lambda v: not isinstance(v, list) or len(v) <= arg
    if word == "uniqueItems":
        return lambda v: not arg or not isinstance(v, list) or not _first_duplicate(v)[0]
    if word == "minimum":
        return lambda v: not _is_number(v) or not v < arg  # as jsonschema: NaN passes
    if word == "maximum":
        return lambda v: not _is_number(v) or not v > arg
    if word == "required":
        names = list(arg)
        return lambda v: not isinstance(v, dict) or all(n in v for n in names)
    if word == "properties":
        props = {name: _compile(sub, base, memo) for name, sub in arg.items()}
        closed = schema.get("additionalProperties") is False

        def properties(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for name, item in value.items():
                check = props.get(name)
                if check is None:
                    if closed:
                        return False
                elif not check(item):
                    return False
            return True

        return properties
    if word == "additionalProperties":
        if arg is False and "properties" in schema and "patternProperties" not in schema:
            return lambda v: True  # checked together with "properties"
        raise _Unsupported(word)
    if word == "items":
        each = _compile(arg, base, memo)

        def items(value: Any) -> bool:
            if isinstance(value, list):
                for item in value:
                    if not each(item):
                        return False
            return True

        return items
    if word in ("oneOf", "anyOf"):
        branches = [_compile(b, base, memo) for b in arg]
        if word == "anyOf":
            return lambda v: any(b(v) for b in branches)
        return lambda v: sum(1 for b in branches if b(v)) == 1
    if word == "$ref":
        target = _registry().resolver(base_uri=base).lookup(arg).contents
        return _compile(target, base if arg.startswith("#") else urljoin(base, arg.split("#", 1)[0]), memo)
    raise _Unsupported(word)


@lru_cache(maxsize=None)
def fast_valid(name: str):
    """A predicate: True when ``data`` has no error under schema ``name``; None if it cannot be compiled."""
    root = load_schema(name)
    try:
        return _compile(root, root["$id"], {})
    except _Unsupported:
        return None


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


#: JSON Schema type names of the Python values YAML gives; bool before int (bool is an int).
_JSON_TYPES = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"), (list, "array"),
               (dict, "object"))


def _type_of(value: Any) -> str:
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "null")


def _shown(value: Any, limit: int = 30) -> str:
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def value_kind(value: Any) -> str:
    """How a wrong value is described: its kind, and the value itself when short."""
    got = _type_of(value)
    if got == "null":
        return "空值（冒号后没有填写内容）"
    if got in ("string", "integer", "number", "boolean"):
        return f"{TYPE_NAMES[got]}“{_shown(value)}”"
    return TYPE_NAMES[got]


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


_DATE_SHAPE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_LOOSE_DATE = re.compile(r"[0-9]{1,4}\s*[-/.年]\s*[0-9]{1,2}\s*[-/.月]\s*[0-9]{1,2}\s*日?")
DATE_EXAMPLE = "2025-04-16"


def date_problem(value: Any) -> str | None:
    """Why ``value`` is not a date YYYY-MM-DD, or None when it is one."""
    if not isinstance(value, str):
        return None
    shown = _shown(value)
    match = _DATE_SHAPE.fullmatch(value)
    if not match:
        if value != value.strip() and _DATE_SHAPE.fullmatch(value.strip()):
            return f"“{shown}”前后有多余的空格或换行，应写成 YYYY-MM-DD，如 {DATE_EXAMPLE}"
        if _LOOSE_DATE.fullmatch(value.strip()):
            return f"“{shown}”应写成 YYYY-MM-DD（年份四位，月、日各两位），如 {DATE_EXAMPLE}"
        return f"“{shown}”不是日期，应写成 YYYY-MM-DD，如 {DATE_EXAMPLE}"
    year, month, day = (int(g) for g in match.groups())
    if year == 0:
        return f"“{shown}”不是有效日期：年份不能为 0000"
    if not 1 <= month <= 12:
        return f"“{shown}”不是有效日期：月份应为 01 到 12"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"“{shown}”不是有效日期：{year} 年 {month} 月只有 {days} 天"
    return None


def _is_date_schema(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("format") == "date"


def _is_url_schema(schema: Any) -> bool:
    return schema is load_schema("record")["$defs"]["url"]


def _unknown_field_hint(name: str, schema: dict, root: dict) -> str:
    props = schema.get("properties", {})
    allowed = list(props)
    plain = normalise(name).strip()  # "Title", "title ", "ｔｉｔｌｅ" all mean title
    for candidate in allowed:
        label = _resolve(props[candidate], root).get("x-label")
        if plain.lower() == candidate.lower() or (label and plain == label):
            return f"，是否应为“{candidate}”{f'（{label}）' if label else ''}？"
    close = difflib.get_close_matches(name[:64], allowed, n=1, cutoff=0.6)
    if close:
        return f"，是否应为“{close[0]}”？"
    return f"。可用字段：{'、'.join(allowed)}"


def describe(error, root: dict) -> Iterator[tuple[tuple, str, bool]]:
    """Yield (path, message, at_key) for one jsonschema error.

    ``at_key`` says the line to report is the key's own line (an unknown field)
    rather than the value's.
    """
    path = tuple(error.absolute_path)
    kind = error.validator
    value = error.instance
    if _is_date_schema(error.schema) and kind in ("pattern", "format"):
        # One message per date, however many of its rules fail.
        message = date_problem(value)
        if message:
            yield path, message, False
        return
    if _is_url_schema(error.schema) and kind == "pattern":
        yield path, url_problem(value) or _custom(error, "pattern"), False
        return
    if kind == "required":
        missing = [name for name in error.validator_value if not isinstance(value, dict) or name not in value]
        props = error.schema.get("properties", {})
        for name in missing:
            label = _resolve(props.get(name, {}), root).get("x-label")
            hint = f"（{label}）" if label else ""
            yield path + (name,), f"缺少必填字段“{name}”{hint}", False
    elif kind == "additionalProperties":
        allowed = error.schema.get("properties", {})
        extras = [k for k in value if k not in allowed] if isinstance(value, dict) else []
        for index, name in enumerate(extras):
            shown = _shown(name, 40)
            if index < MAX_SUGGESTIONS:
                yield path + (name,), f"未知字段“{shown}”{_unknown_field_hint(name, error.schema, root)}", True
            else:
                yield path + (name,), f"未知字段“{shown}”", True
    elif kind == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        want = "或".join(TYPE_NAMES.get(t, t) for t in expected)
        yield path, f"应为{want}，实际为{value_kind(value)}", False
    elif kind == "enum":
        choices = "、".join(str(c) for c in error.validator_value)
        custom = _custom(error, "enum")
        if isinstance(value, (dict, list)) or value is None:
            yield path, f"应为以下之一：{choices}，实际为{value_kind(value)}", False
        else:
            close = [c for c in error.validator_value if str(c).lower() == str(value).strip().lower()]
            hint = f"，是否应为“{close[0]}”？" if close else f"，{custom}" if custom else f"，可选：{choices}"
            yield path, f"“{_shown(value)}”不是可选值{hint}", False
    elif kind == "const":
        yield path, f"应为“{error.validator_value}”，实际为{value_kind(value)}", False
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
        dup = _first_duplicate(value)[1]
        yield path, f"列表中有重复项“{_shown(dup)}”", False
    elif kind == "minLength":
        if not value:
            yield path, "不能为空", False
        else:
            yield path, f"太短：至少 {error.validator_value} 个字符，现有 {len(value)} 个", False
    elif kind == "maxLength":
        yield path, f"太长：最多 {error.validator_value} 个字符，现有 {len(value)} 个", False
    elif kind == "minimum":
        yield path, f"不能小于 {error.validator_value}（现为 {_shown(value)}）", False
    elif kind == "maximum":
        yield path, f"不能大于 {error.validator_value}（现为 {_shown(value)}）", False
    elif kind in ("oneOf", "anyOf"):
        yield from _describe_alternatives(error, root, path, value)
    else:
        yield path, f"不符合规则“{kind}”（{error.message[:80]}）", False


def _describe_alternatives(error, root: dict, path: tuple, value: Any) -> Iterator[tuple[tuple, str, bool]]:
    """A value matching none of several forms (a time limit, a source date).

    When the value has the shape of one form (a mapping for a time limit, a
    date-like text for a source date), say what is wrong inside that form;
    otherwise say which forms are allowed and what was written.
    """
    custom = _custom(error, error.validator)
    got = _type_of(value)
    for index, branch in enumerate(error.validator_value):
        branch = _resolve(branch, root)
        if branch.get("type") != got:
            continue
        sub = [e for e in (error.context or []) if e.relative_schema_path and e.relative_schema_path[0] == index]
        if _is_date_schema(branch) and custom and not _DATE_SHAPE.fullmatch(value):
            break  # "不详" as a source date: the form message below says both choices
        if sub:
            for child in sub:
                yield from describe(child, root)
            return
    yield path, f"{custom or '值不符合任何允许的形式'}，实际为{value_kind(value)}", False


def check(name: str, data: Any) -> Iterator[tuple[tuple, str, bool]]:
    """Validate ``data`` against schema ``name``; yield (path, message, at_key)."""
    predicate = fast_valid(name)
    if predicate is not None and predicate(data):
        return
    root = load_schema(name)
    seen = set()
    for error in validator(name).iter_errors(data):
        for item in describe(error, root):
            if item not in seen:
                seen.add(item)
                yield item


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
