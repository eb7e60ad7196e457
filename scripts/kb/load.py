"""Reading YAML files safely, keeping the line of every value.

The knowledge base is written by many hands, so loading never trusts a file:
it refuses oversized or non-UTF-8 files, constructs only plain scalars (a
``!!python/...`` tag is reported, never executed), rejects anchors and aliases
(no billion-laughs expansion) and duplicate keys, and turns YAML syntax errors
into Chinese messages with the line they occur on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from .report import WHOLE_FILE, Problem, format_path

MAX_BYTES = 1024 * 1024

#: Where the records and the registry live, relative to the project root.
SOLUTIONS_DIR = "solutions"
REGISTRY_DIR = "solutions/_registry"
REGISTRY_FILES = {
    "laws": "laws.yml",
    "vocabularies": "vocabularies.yml",
    "synonyms": "synonyms.yml",
}

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + "str", _TAG + "int", _TAG + "float", _TAG + "bool", _TAG + "null", _TAG + "timestamp"}
_constructor = SafeConstructor()

# libyaml's messages are English; these are the ones editors actually meet.
_YAML_MESSAGES = [
    ("mapping values are not allowed", "此处不能出现“键: 值”，可能是缩进不对或文本里的冒号需要加引号"),
    ("found character '\\t'", "不能用 Tab 缩进，请改用空格"),
    ("cannot start any token", "出现了不能作为开头的字符（如 Tab、@ 或 `），请加引号"),
    ("could not find expected ':'", "缺少冒号“:”，或多行文本没有正确缩进"),
    ("did not find expected key", "缩进不一致，或列表项与字段混排"),
    ("expected <block end>", "缩进不一致"),
    ("did not find expected '-' indicator", "列表项缩进不一致"),
    ("found undefined alias", "引用了未定义的别名（*）"),
    ("found unexpected end of stream", "文件意外结束：可能有引号或括号没有闭合"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("found unknown escape character", "双引号文本里有无效的转义字符（\\），可改用单引号"),
    ("unacceptable character", "含有不可打印的控制字符"),
    ("special characters are not allowed", "含有不可打印的控制字符"),
    ("expected a single document", "一个文件只能有一个 YAML 文档（不要使用 ---  分隔多个文档）"),
    ("found duplicate anchor", "锚点重复定义"),
    ("while parsing a flow", "方括号或花括号没有闭合"),
    ("while scanning a simple key", "缺少冒号“:”，或文本需要加引号"),
    ("while scanning an anchor", "锚点或别名（& 或 *）写法不对；如是普通文本，请加引号"),
    ("while scanning an alias", "锚点或别名（& 或 *）写法不对；如是普通文本，请加引号"),
    ("while scanning a tag", "“!” 开头的标签写法不对；如是普通文本，请加引号"),
    ("while scanning a block scalar", "多行文本（| 或 >）的写法不对"),
]


@dataclass
class Document:
    """One YAML file: its data, where each value sits, and what went wrong."""

    path: Path
    display: str  # path relative to the project root, with forward slashes
    data: Any = None
    lines: dict = field(default_factory=dict)  # path tuple -> line of the value
    key_lines: dict = field(default_factory=dict)  # path tuple -> line of the key
    problems: list = field(default_factory=list)

    @property
    def stem(self) -> str:
        return self.path.name[: -len(self.path.suffix)] if self.path.suffix else self.path.name

    def line_of(self, path: tuple) -> int:
        """The nearest known line for a path: the value, else its key, else a parent."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            if path in self.key_lines:
                return self.key_lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def key_line_of(self, path: tuple) -> int:
        return self.key_lines.get(tuple(path)) or self.line_of(path)

    def problem(self, path: tuple | str, message: str, line: int | None = None) -> Problem:
        if isinstance(path, str):
            shown, where = path, ()
        else:
            shown, where = format_path(path), path
        return Problem(self.display, line if line is not None else self.line_of(where), shown, message)


def display_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _yaml_message(exc: yaml.YAMLError) -> str:
    text = " ".join(str(x) for x in (getattr(exc, "context", None), getattr(exc, "problem", None)) if x)
    text = text or str(exc).splitlines()[0]
    for needle, chinese in _YAML_MESSAGES:
        if needle in text:
            return f"YAML 语法错误：{chinese}（{text}）"
    return f"YAML 语法错误（{text}）"


class _Builder:
    """Turns a composed node tree into plain data, recording lines and problems."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.seen: set[int] = set()

    def build(self, node, path: tuple):
        if id(node) in self.seen:
            self.doc.problems.append(self.doc.problem(path, "不支持 YAML 锚点和别名（& 与 *），请直接写出内容", node.start_mark.line + 1))
            return None
        self.seen.add(id(node))
        self.doc.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                return self._bad_tag(node, path)
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        return self._scalar(node, path)

    def _bad_tag(self, node, path):
        tag = node.tag.replace(_TAG, "!!")
        self.doc.problems.append(
            self.doc.problem(path, f"不允许使用 YAML 标签“{tag}”：只接受普通文本、数字、日期和列表、映射", node.start_mark.line + 1)
        )
        return None

    def _mapping(self, node, path):
        if node.tag != _TAG + "map":
            return self._bad_tag(node, path)
        out: dict = {}
        first_line: dict = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == _TAG + "merge":
                self.doc.problems.append(self.doc.problem(path, "不支持 YAML 合并键“<<”，请直接写出字段", line))
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (_TAG + "str", _TAG + "int", _TAG + "bool", _TAG + "null", _TAG + "float"):
                self.doc.problems.append(self.doc.problem(path, "字段名应为简单文本", line))
                continue
            key = str(key_node.value)
            if key in out:
                self.doc.problems.append(
                    self.doc.problem(path + (key,), f"字段“{key}”重复出现（第 {first_line[key]} 行已写过）", line)
                )
                continue
            first_line[key] = line
            self.doc.key_lines[path + (key,)] = line
            out[key] = self.build(value_node, path + (key,))
        return out

    def _scalar(self, node, path):
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            return self._bad_tag(node, path)
        if tag == _TAG + "str" or tag == _TAG + "timestamp":
            # Dates stay text: the schema checks their form, so a bad date is a
            # message on its line rather than a constructor crash.
            return node.value
        try:
            if tag == _TAG + "int":
                return _constructor.construct_yaml_int(node)
            if tag == _TAG + "float":
                return _constructor.construct_yaml_float(node)
            if tag == _TAG + "bool":
                return _constructor.construct_yaml_bool(node)
            return None
        except (ConstructorError, ValueError):
            return node.value


def parse_text(text: str, doc: Document) -> None:
    """Parse YAML text into ``doc`` (data, lines, problems)."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        doc.problems.append(doc.problem(WHOLE_FILE, _yaml_message(exc), line))
        return
    except yaml.YAMLError as exc:
        doc.problems.append(doc.problem(WHOLE_FILE, _yaml_message(exc), 1))
        return
    except RecursionError:
        doc.problems.append(doc.problem(WHOLE_FILE, "YAML 嵌套层次过深", 1))
        return
    if node is None:
        doc.problems.append(doc.problem(WHOLE_FILE, "文件为空：应为一条记录（字段: 值 的映射）", 1))
        return
    try:
        doc.data = _Builder(doc).build(node, ())
    except RecursionError:
        doc.problems.append(doc.problem(WHOLE_FILE, "YAML 嵌套层次过深", 1))
        doc.data = None


_BAD_UTF8 = re.compile(rb"[\x80-\xff]")


def read_document(path: Path, root: Path) -> Document:
    """Read one YAML file. Never raises for bad content: problems are recorded."""
    doc = Document(path=path, display=display_path(path, root))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            doc.problems.append(doc.problem(WHOLE_FILE, f"文件过大（{size / 1024 / 1024:.1f} MB），单个文件不得超过 1 MB", 1))
            return doc
        raw = path.read_bytes()
    except OSError as exc:
        doc.problems.append(doc.problem(WHOLE_FILE, f"无法读取文件：{exc.strerror or exc}", 1))
        return doc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        doc.problems.append(doc.problem(WHOLE_FILE, f"不是 UTF-8 编码（第 {line} 行有无法识别的字节），请另存为 UTF-8", line))
        return doc
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        doc.problems.append(doc.problem(WHOLE_FILE, "含有空字符（\\0），这不是文本文件", text[: text.index("\x00")].count("\n") + 1))
        return doc
    parse_text(text, doc)
    return doc


@dataclass
class Sources:
    """Every file the knowledge base is made of, read but not yet checked."""

    root: Path
    records: list = field(default_factory=list)  # Documents of solutions/*.yml
    registry: dict = field(default_factory=dict)  # name -> Document
    problems: list = field(default_factory=list)  # problems not tied to one document

    @property
    def documents(self) -> list:
        return list(self.registry.values()) + list(self.records)


def record_paths(root: Path) -> list[Path]:
    folder = root / SOLUTIONS_DIR
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")) if folder.is_dir() else []


def load_sources(root: Path) -> Sources:
    """Read the registry and every record file under ``root/solutions``."""
    root = Path(root)
    sources = Sources(root=root)
    if not (root / SOLUTIONS_DIR).is_dir():
        sources.problems.append(Problem(SOLUTIONS_DIR, 1, WHOLE_FILE, f"找不到记录目录 {SOLUTIONS_DIR}/（当前目录：{root.resolve()}）"))
        return sources
    for name, filename in REGISTRY_FILES.items():
        path = root / REGISTRY_DIR / filename
        if path.is_file():
            sources.registry[name] = read_document(path, root)
        else:
            sources.problems.append(Problem(f"{REGISTRY_DIR}/{filename}", 1, WHOLE_FILE, "缺少登记表文件"))
    for path in record_paths(root):
        if path.suffix == ".yml":
            sources.records.append(read_document(path, root))
        elif path.suffix in (".yaml", ".YML", ".YAML"):
            sources.problems.append(Problem(display_path(path, root), 1, WHOLE_FILE, "记录文件的扩展名应为 .yml"))
    return sources
