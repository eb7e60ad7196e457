"""Reading YAML files safely, keeping the line of every value.

The knowledge base is written by many hands, so loading never trusts a file:
it refuses oversized files and anything that is not UTF-8 (naming the likely
encoding), builds plain data straight from libyaml's event stream (no Python
object is ever constructed from a tag, and deep nesting cannot exhaust the
stack), refuses tags other than the plain scalar ones, aliases (no
billion-laughs expansion), merge keys and duplicate keys, and turns YAML syntax
errors into Chinese messages with the line the editor should look at.

Plain scalars are typed the YAML 1.2 way, not the YAML 1.1 way: only
``true``/``false`` are booleans, only decimal numbers are numbers, and dates
stay text (the schema checks their form). ``yes``, ``on``, ``0x10``, ``010``
and ``10:30`` are therefore text, as the person who typed them meant.
"""

from __future__ import annotations

import codecs
import marshal
import math
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import parallel
from . import store
from .report import WHOLE_FILE, Problem, format_path

MAX_BYTES = 1024 * 1024
#: Records nest four levels deep (procedure[0].time_limit.value); anything far
#: deeper is a mistake, and refusing it keeps every later stage's recursion shallow.
MAX_DEPTH = 20

#: Flow collections (``{`` ``[``) nested deeper than this are refused before libyaml sees the
#: text: its scanner looks at every open bracket for every token, so 1 MB of ``{`` would take
#: half an hour. Deeper than MAX_DEPTH is refused anyway; the margin allows for brackets in
#: text that the quick scan counts although YAML does not.
MAX_FLOW_DEPTH = 64

#: Where the records and the registry live, relative to the project root.
SOLUTIONS_DIR = "solutions"
REGISTRY_DIR = "solutions/_registry"
REGISTRY_FILES = {
    "laws": "laws.yml",
    "vocabularies": "vocabularies.yml",
    "synonyms": "synonyms.yml",
    "variants": "variants.yml",
    "holidays": "holidays.yml",
}
#: Registry files a knowledge base may leave out (then the table is empty).
OPTIONAL_REGISTRY = frozenset({"variants", "holidays"})

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = (None, "!")
_MAP_TAGS = (None, "!", _TAG + "map")
_SEQ_TAGS = (None, "!", _TAG + "seq")
_KEY_TAGS = (None, "!", _TAG + "str")

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT_RE = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+")
_SPECIAL_FLOATS = {
    ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf, "+.inf": math.inf, "+.Inf": math.inf, "+.INF": math.inf,
    "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
}


#: Longer digit strings stay text: no field holds such a number, and Python
#: refuses to convert a decimal string of more than 4,300 digits.
_MAX_NUMBER_LENGTH = 100


def _plain_scalar(text: str) -> Any:
    """Type an unquoted scalar by the YAML 1.2 core schema (timestamps stay text)."""
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    first = text[0]
    if (first.isdigit() or first in "+-.") and len(text) <= _MAX_NUMBER_LENGTH:
        if _INT_RE.fullmatch(text):
            return int(text)
        if _FLOAT_RE.fullmatch(text):
            return float(text)
        if text in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[text]
    return text


def _tagged_scalar(tag: str, text: str) -> tuple[bool, Any]:
    """(allowed, value) for an explicitly tagged scalar such as ``!!str 5``."""
    if tag == _TAG + "str" or tag == _TAG + "timestamp":
        return True, text
    if tag == _TAG + "null":
        return True, None
    if tag == _TAG + "bool":
        return True, _BOOLS.get(text, text)
    if tag == _TAG + "int":
        return True, int(text) if len(text) <= _MAX_NUMBER_LENGTH and _INT_RE.fullmatch(text) else text
    if tag == _TAG + "float":
        value = _plain_scalar(text)
        return True, float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else text
    return False, None


def _shown_tag(tag: str) -> str:
    tag = tag.replace(_TAG, "!!")
    return tag if len(tag) <= 60 else tag[:60] + "…"


# libyaml's messages are English. Each rule: words in libyaml's problem, words
# in its context ("" for any), the Chinese explanation, and which mark is the
# line to show ("context" is where the unclosed quote or bracket opened).
_YAML_RULES = [
    ("tab character", "", "不能用 Tab 缩进或对齐，请改用空格", "problem"),
    ("found character '\\t'", "", "不能用 Tab 缩进或对齐，请改用空格", "problem"),
    ("found unexpected end of stream", "quoted scalar", "引号没有闭合：这一行开始的引号直到文件末尾都没有结束", "context"),
    ("found unknown escape character", "", "双引号文本里有无效的转义字符（\\），可改用单引号，或把 \\ 写成 \\\\", "problem"),
    ("invalid Unicode character escape", "", "双引号文本里的 \\u 转义不是有效字符", "problem"),
    ("", "flow sequence", "这一行的方括号“[”没有闭合，或括号里的项目之间缺少逗号", "context"),
    ("", "flow mapping", "这一行的花括号“{”没有闭合，或括号里的项目之间缺少逗号", "context"),
    ("found unexpected end of stream", "", "文件意外结束：可能有引号或括号没有闭合", "problem"),
    ("did not find expected node content", "", "这里缺少内容：可能是括号没有闭合，或逗号、“- ”后面什么都没写", "problem"),
    ("mapping values are not allowed", "", "此处不能出现“键: 值”：可能是缩进不对，或文本里有“: ”（英文冒号加空格），请给整段文本加引号", "problem"),
    ("could not find expected ':'", "", "缺少冒号“:”：这一行既不是“字段: 值”也不是列表项，或多行文本没有缩进", "context"),
    ("did not find expected key", "", "缩进不一致、列表项“- ”与字段写在了同一层，或引号外还有文字", "problem"),
    ("block sequence entries are not allowed", "", "此处不能出现列表项“- ”：可能是缩进不对，或以“- ”开头的文本需要加引号", "problem"),
    ("did not find expected '-' indicator", "", "列表项缩进不一致", "problem"),
    ("expected <block end>", "", "缩进不一致", "problem"),
    ("", "scanning an anchor", "以“&”开头的文本会被当作 YAML 锚点，请给文本加引号", "problem"),
    ("", "scanning an alias", "以“*”开头的文本会被当作 YAML 别名，请给文本加引号", "problem"),
    ("", "scanning a tag", "以“!”开头的文本会被当作 YAML 标签，请给文本加引号", "problem"),
    ("", "block scalar", "多行文本（| 或 >）的写法不对", "problem"),
    ("", "directive", "以“%”开头的行会被当作 YAML 指令，请删除或给文本加引号", "problem"),
    ("expected <document start>", "", "多余的内容：括号或引号结束后还有文字，或一个文件里写了不止一条记录", "problem"),
    ("", "plain scalar", "文本里的冒号、井号或括号需要加引号", "problem"),
]
_UNPRINTABLE_RE = re.compile(r"#x([0-9a-fA-F]+)")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


_ALIAS_MESSAGE = "不支持 YAML 锚点和别名（& 与 *），请直接写出内容"


class _Abort(Exception):
    """Stop building: the problem has been recorded."""


@dataclass
class Document:
    """One YAML file: its data, where each value sits, and what went wrong."""

    path: Path
    display: str  # path relative to the project root, with forward slashes
    data: Any = None
    lines: dict = field(default_factory=dict)  # path tuple -> line of the value
    key_lines: dict = field(default_factory=dict)  # path tuple -> line of the key
    problems: list = field(default_factory=list)
    refused: set = field(default_factory=set)  # paths whose value the loader refused (now None)
    strings: list = field(default_factory=list)  # (path, text) of every text value, in file order
    store_key: str = ""  # its key in the store of the last run (kb.records.store), "" when not stored

    #: The three fields that say where each value sits. A record's are kept packed (``marshal`` bytes) once it
    #: is read, and unpacked while its own checks run or a problem needs a line: a build of unchanged records
    #: never unpacks them (at 20,000 records they would be 1.3 GB of small objects). They never change once
    #: the file is read, so packing again only lets the unpacked copy go.
    POSITIONS = ("lines", "key_lines", "strings")

    @classmethod
    def stored(cls, path: Path, display: str, data: Any, refused: set, problems: list, positions: bytes,
               store_key: str) -> Document:
        """A document as the store kept it; ``positions``: ``packed_positions()`` of when it was read."""
        doc = cls(path, display, data, problems=problems, refused=refused, store_key=store_key)
        del doc.lines, doc.key_lines, doc.strings
        doc._positions = positions
        return doc

    def packed_positions(self) -> bytes:
        packed = self.__dict__.get("_positions")
        return packed if packed is not None else marshal.dumps((self.lines, self.key_lines, self.strings))

    def pack(self) -> None:
        """Keep the positions packed only, until one is asked for again."""
        self._positions = self.packed_positions()
        for name in Document.POSITIONS:
            self.__dict__.pop(name, None)

    def repack(self) -> None:
        """``pack`` again a document kept packed (its unpacked copy goes); one never packed stays as it is."""
        if "_positions" in self.__dict__:
            self.pack()

    def __getattr__(self, name: str) -> Any:
        # only called for what the instance lacks: the positions of a packed document, on first use
        packed = self.__dict__.get("_positions") if name in Document.POSITIONS else None
        if packed is None:
            raise AttributeError(name)
        self.lines, self.key_lines, self.strings = marshal.loads(packed)
        return self.__dict__[name]

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
    """``path`` relative to ``root``, with forward slashes (resolved only when it is not plainly under it)."""
    for relative in (lambda: path.relative_to(root), lambda: path.resolve().relative_to(root.resolve())):
        try:
            return relative().as_posix()
        except ValueError:
            continue
    return path.as_posix()


def _syntax_problem(exc: yaml.YAMLError, text: str) -> tuple[int, str]:
    """(line, message) for a libyaml error."""
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    if isinstance(exc, yaml.reader.ReaderError):
        position = getattr(exc, "position", 0) or 0  # a byte offset into the UTF-8 text
        line = text.encode("utf-8", "surrogatepass")[:position].count(b"\n") + 1
        code = _UNPRINTABLE_RE.search(str(exc))
        char = f"U+{int(code.group(1), 16):04X}" if code else "控制字符"
        return line, f"YAML 语法错误：含有不可见的控制字符 {char}，请删除"
    english = " ".join(x for x in (context, problem) if x) or str(exc).splitlines()[0]
    chinese, use = None, "problem"
    problem_mark, context_mark = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    if "cannot start any token" in problem and problem_mark is not None:
        index = problem_mark.index
        char = text[index] if 0 <= index < len(text) else ""
        chinese = "不能用 Tab 缩进或对齐，请改用空格" if char == "\t" else f"文本不能以“{char}”开头，请给整段文本加引号"
    for in_problem, in_context, message, mark in _YAML_RULES if chinese is None else ():
        if in_problem in problem and in_context in context:
            chinese, use = message, mark
            break
    marks = (context_mark, problem_mark) if use == "context" else (problem_mark, context_mark)
    mark = next((m for m in marks if m is not None), None)
    line = mark.line + 1 if mark else 1
    return line, f"YAML 语法错误：{chinese}（{english}）" if chinese else f"YAML 语法错误（{english}）"


class _Builder:
    """Builds plain data from libyaml events, with an explicit stack (no recursion).

    Each frame on the stack is a collection being filled: ``[container, path,
    key, aliases]`` where ``key`` is the mapping key waiting for its value
    (``None`` while a key is expected) and ``aliases`` counts the aliases met
    in a list. A refused subtree (tagged collection, merge value, complex key,
    the value of a duplicate key) is consumed by counting its start and end
    events. The loop is written out in one method because it runs once per
    value of every record.
    """

    def __init__(self, doc: Document, loader):
        self.doc = doc
        self.loader = loader

    def _report(self, path: tuple, message: str, line: int) -> None:
        self.doc.problems.append(self.doc.problem(path, message, line))

    def _skip_subtree(self) -> None:
        depth = 1
        while depth:
            cls = self.loader.get_event().__class__
            if cls is yaml.SequenceStartEvent or cls is yaml.MappingStartEvent:
                depth += 1
            elif cls is yaml.SequenceEndEvent or cls is yaml.MappingEndEvent:
                depth -= 1

    def build(self) -> Any:
        loader, doc = self.loader, self.doc
        get = loader.get_event
        scalar, seq_start, seq_end, map_start, map_end = (
            yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.SequenceEndEvent, yaml.MappingStartEvent, yaml.MappingEndEvent)
        lines, strings = doc.lines, doc.strings
        stack: list[list] = []
        get()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            return None
        get()  # DocumentStart
        while True:
            event = get()
            cls = event.__class__
            if cls is seq_end or cls is map_end:
                value, path, _, aliases = stack.pop()
                if aliases:
                    count, first = aliases
                    self._report(path, _ALIAS_MESSAGE + (f"（这个列表里共 {count} 处）" if count > 1 else ""), first)
            else:
                line = event.start_mark.line + 1
                if not stack:
                    path = ()
                else:
                    top = stack[-1]
                    if top[0].__class__ is list:
                        path = top[1] + (len(top[0]),)
                    elif top[2] is None:
                        self._key(event, top, line)
                        continue
                    else:
                        path = top[1] + (top[2],)
                lines[path] = line
                if cls is scalar:
                    tag = event.tag
                    if tag is None or tag == "!":
                        value = _plain_scalar(event.value) if event.implicit[0] else event.value
                    else:
                        allowed, value = _tagged_scalar(tag, event.value)
                        if not allowed:
                            self._bad_tag(tag, path, line)
                    if value.__class__ is str:
                        strings.append((path, value))
                elif cls is map_start or cls is seq_start:
                    is_map = cls is map_start
                    if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
                        self._bad_tag(event.tag, path, line)
                        self._skip_subtree()
                        value = None
                    elif len(stack) >= MAX_DEPTH:
                        self._report(path, f"嵌套层次过深（超过 {MAX_DEPTH} 层），请检查缩进和括号", line)
                        raise _Abort
                    else:
                        stack.append([{} if is_map else [], path, None, None])
                        continue
                else:  # an alias
                    doc.refused.add(path)
                    value = None
                    if stack and stack[-1][0].__class__ is list:
                        # Counted per list and reported once when it closes: a
                        # billion-laughs list of nine aliases is one problem, not nine.
                        parent = stack[-1]
                        parent[3] = parent[3] or [0, line]
                        parent[3][0] += 1
                    else:
                        self._report(path, _ALIAS_MESSAGE, line)
            if not stack:
                break
            top = stack[-1]
            if top[0].__class__ is list:
                top[0].append(value)
            else:
                top[0][top[2]] = value
                top[2] = None
        get()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            extra = get()
            doc.problems[:] = [doc.problem(
                WHOLE_FILE, "YAML 语法错误：一个文件只能有一条记录，不要用“---”分隔多个 YAML 文档", extra.start_mark.line + 1)]
            raise _Abort
        return value

    def _bad_tag(self, tag: str, path: tuple, line: int) -> None:
        self.doc.refused.add(path)
        self._report(path, f"不允许使用 YAML 标签“{_shown_tag(tag)}”：只接受普通文本、数字、日期和列表、映射", line)

    def _key(self, event, frame: list, line: int) -> None:
        """A mapping key: remember it in ``frame``, or report it and drop its value."""
        path = frame[1]
        if event.__class__ is yaml.ScalarEvent and event.tag in _KEY_TAGS:
            key = event.value
            if key == "<<" and event.implicit[0] and event.tag is None:
                problem = "不支持 YAML 合并键“<<”，请直接写出字段"
            elif key in frame[0]:
                first = self.doc.key_lines[path + (key,)]
                path, problem = path + (key,), f"字段“{format_path((key,))}”重复出现（第 {first} 行已写过）"
            else:
                self.doc.key_lines[path + (key,)] = line
                frame[2] = key
                return
        else:
            if event.__class__ in (yaml.SequenceStartEvent, yaml.MappingStartEvent):
                self._skip_subtree()
            problem = "字段名应为简单文本（不能是列表、映射、别名或带标签的值）"
        self._report(path, problem, line)
        # Drop the value, so that it neither lands in the data nor shifts later keys.
        if self.loader.get_event().__class__ in (yaml.SequenceStartEvent, yaml.MappingStartEvent):
            self._skip_subtree()


_FLOW_MARKS = re.compile(r"[\[\]{},\"'#\n]")


def _too_deep(text: str) -> int:
    """The line at which flow brackets nest deeper than MAX_FLOW_DEPTH, or 0.

    A quick scan in the manner of YAML's: brackets in comments and in quoted text do
    not close anything, and a quote starts only where a value may start (so the
    apostrophe in ``it's`` is text). It errs on the side of counting: an open bracket
    counts even inside what it takes for quotes (a close there only undoes one opened in
    the same quotes), so that text it misreads as quoted does not hide a real nesting.
    """
    if text.count("{") + text.count("[") <= MAX_FLOW_DEPTH:
        return 0  # cannot nest that deep: the common case costs two counts
    depth = 0  # flow brackets open
    quote = ""  # the open quote character, or ""
    base = 0  # the depth when the quote opened
    start = True  # a value may start here
    comment = False
    skip = -1  # the second ' of '' (an apostrophe inside single quotes)
    last = 0  # where the text after the previous mark begins
    for match in _FLOW_MARKS.finditer(text):
        pos = match.start()
        char = text[pos]
        if comment:
            if char == "\n":
                comment, start, last = False, start or depth == 0, pos + 1
            continue
        if quote:
            if char in "{[":
                depth += 1
                if depth > MAX_FLOW_DEPTH:
                    return text.count("\n", 0, pos) + 1
            elif char in "]}":
                depth = max(base, depth - 1)
            elif char == "'" == quote and pos != skip:
                if text.startswith("''", pos):
                    skip = pos + 1
                else:
                    quote, start, last = "", True, pos + 1
            elif char == '"' == quote:
                slashes = 0
                while text[pos - 1 - slashes] == "\\":
                    slashes += 1
                if slashes % 2 == 0:
                    quote, start, last = "", True, pos + 1
            continue
        between = text[last:pos]
        words = between.split()
        if words:
            spaced = between[-1] in " \t\r"
            word = words[-1]
            if word.endswith(":") and spaced:
                start = True  # a value indicator
            elif len(words) == 1 and word == ":" and depth and start:
                pass  # "key":"value" in brackets: a value indicator right after the key
            elif len(words) == 1 and word in ("-", "?") and start and spaced:
                pass  # an entry or key indicator: a value still starts here
            elif word[0] in "!&" and spaced:
                pass  # a tag or an anchor before the value
            else:
                start = False
        last = pos + 1
        if char in "{[":
            depth += 1
            start = True
            if depth > MAX_FLOW_DEPTH:
                return text.count("\n", 0, pos) + 1
        elif char in "]}":
            depth = max(0, depth - 1)
            start = True
        elif char == ",":
            start = depth > 0  # in block text a comma is text
        elif char == "#":
            if pos == 0 or text[pos - 1] in " \t\r\n":
                comment = True
            else:
                start = False
        elif char == "\n":
            start = start or depth == 0
        elif start:  # a quote where a value starts
            quote, base = char, depth
        else:
            start = False
    return 0


def parse_text(text: str, doc: Document) -> None:
    """Parse YAML text into ``doc`` (data, lines, problems)."""
    bad = _SURROGATE_RE.search(text)  # only from a caller's str: a decoded file never has one
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        doc.problems.append(doc.problem(WHOLE_FILE, f"含有无效字符 U+{ord(bad.group(0)):04X}（孤立的代理码位），请删除", line))
        return
    deep = _too_deep(text)
    if deep:
        doc.problems.append(doc.problem(WHOLE_FILE, (
            f"嵌套过深：括号“{{”“[”到这一行已嵌套超过 {MAX_FLOW_DEPTH} 层（记录最多 {MAX_DEPTH} 层），"
            "没有继续读取；请检查括号是否配对"), deep))
        return
    loader = _Loader(text)
    try:
        data = _Builder(doc, loader).build()
    except yaml.YAMLError as exc:
        line, message = _syntax_problem(exc, text)
        doc.problems[:] = [doc.problem(WHOLE_FILE, message, line)]
        doc.strings.clear()
        return
    except _Abort:
        doc.strings.clear()
        return
    finally:
        loader.dispose()
    if data is None and not doc.problems:
        doc.problems.append(doc.problem(WHOLE_FILE, "文件为空：应为一条记录（字段: 值 的映射）", 1))
    doc.data = data


def _decode(raw: bytes) -> tuple[str | None, int, str]:
    """(text, 0, "") for UTF-8 input, else (None, line, message) naming the likely encoding."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return None, 1, "文件是 UTF-32 编码，请另存为 UTF-8"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, 1, "文件是 UTF-16 编码（Windows 记事本的“Unicode”），请另存为 UTF-8"
    nuls = raw.count(0)
    if nuls and nuls * 4 >= len(raw) and raw[:2000].count(0) * 4 >= min(len(raw), 2000):
        return None, 1, "文件疑似 UTF-16 编码（每隔一个字节是空字节），请另存为 UTF-8"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            return None, line, f"不是 UTF-8 编码（第 {line} 行有无法识别的字节），请另存为 UTF-8"
        return None, line, f"不是 UTF-8 编码，疑似 GBK/GB18030 编码（Windows 记事本的“ANSI”，第 {line} 行起无法读取），请另存为 UTF-8"
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        return None, text.count("\n", 0, text.index("\x00")) + 1, "含有空字符（\\0），这不是文本文件"
    return text, 0, ""


def read_document(path: Path, root: Path) -> Document:
    """Read one YAML file. Never raises for bad content: problems are recorded."""
    doc = Document(path=path, display=display_path(path, root))
    try:
        if path.is_symlink():
            try:
                path.resolve().relative_to(Path(root).resolve())
            except ValueError:
                doc.problems.append(doc.problem(WHOLE_FILE, "是指向知识库目录之外的符号链接，不予读取；请把文件本身放进 solutions/", 1))
                return doc
        size = path.stat().st_size
        if size > MAX_BYTES:
            doc.problems.append(doc.problem(
                WHOLE_FILE, f"文件过大（{size:,} 字节），单个文件不得超过 1 MB（{MAX_BYTES:,} 字节）", 1))
            return doc
        raw = path.read_bytes()
    except (OSError, RuntimeError) as exc:
        reason = "没有读取权限" if isinstance(exc, PermissionError) else getattr(exc, "strerror", None) or exc
        doc.problems.append(doc.problem(WHOLE_FILE, f"无法读取文件：{reason}", 1))
        return doc
    if len(raw) > MAX_BYTES:  # grew after stat, or a special file
        doc.problems.append(doc.problem(WHOLE_FILE, f"文件过大，单个文件不得超过 1 MB（{MAX_BYTES:,} 字节）", 1))
        return doc
    text, line, message = _decode(raw)
    if text is None:
        doc.problems.append(doc.problem(WHOLE_FILE, message, line))
        return doc
    parse_text(text, doc)
    return doc


def _store_key(path: Path, display: str) -> str:
    """The key of ``path`` in the store: its name and the digest of its bytes; "" for what is never stored
    (a symbolic link, whose problems depend on where it points; a file too large to read)."""
    try:
        if path.is_symlink() or path.stat().st_size > MAX_BYTES:
            return ""
        return store.RecordStore.key(display, store.digest_of(path.read_bytes()))
    except OSError:
        return ""


def read_documents(paths: list[Path], root: Path, known: store.RecordStore | None = None) -> list[Document]:
    """``[read_document(path, root) for path in paths]``: a file whose name and bytes ``known`` (the store of
    the last run) holds is taken from it; the others are read on every core (``kb.parallel``)."""
    shown = [display_path(path, root) for path in paths] if known is not None else []
    keys = [_store_key(path, display) for path, display in zip(paths, shown)] if known is not None else [""] * len(paths)
    out: list[Document | None] = [None] * len(paths)
    todo = []
    for number, (path, key) in enumerate(zip(paths, keys)):
        found = known.parsed(key) if key else None
        if found is None:
            todo.append(number)
            continue
        data, refused, problems, positions = found
        out[number] = Document.stored(path, shown[number], data, refused, problems, positions, key)
    for number, doc in zip(todo, _read_on_every_core([paths[n] for n in todo], root)):
        out[number] = doc
        if keys[number]:
            doc.store_key = keys[number]
            known.remember_parsed(keys[number], doc)
    return out


def _read_on_every_core(paths: list[Path], root: Path) -> list[Document]:
    """Read ``paths`` on every core (``kb.parallel``): a worker sends its documents back as ``marshal`` bytes
    (several times faster than pickling them)."""
    here = os.getpid()

    def read(start: int, stop: int):
        docs = [read_document(path, root) for path in paths[start:stop]]
        for doc in docs:
            doc.pack()  # at once: the next files read reuse the memory its unpacked positions took
        if os.getpid() == here:
            return docs
        return marshal.dumps([(d.display, d.data, d.refused, d.packed_positions(),
                               pickle.dumps(d.problems) if d.problems else b"") for d in docs])

    out: list[Document] = []
    for part in parallel.chunked(read, len(paths), min_chunk=READ_CHUNK):
        if isinstance(part, bytes):
            part = [Document.stored(paths[0], display, data, refused, pickle.loads(problems) if problems else [],
                                    positions, "")
                    for display, data, refused, positions, problems in marshal.loads(part)]
        out.extend(part)
    for doc, path in zip(out, paths):
        doc.path = path
    return out


#: Records per process below which reading them is not shared (a fork costs more).
READ_CHUNK = 100


@dataclass
class Sources:
    """Every file the knowledge base is made of, read but not yet checked."""

    root: Path
    records: list = field(default_factory=list)  # Documents of solutions/*.yml
    registry: dict = field(default_factory=dict)  # name -> Document
    problems: list = field(default_factory=list)  # problems not tied to one document
    store: store.RecordStore | None = None  # what the last run read and checked (None: not kept)

    @property
    def documents(self) -> list:
        return list(self.registry.values()) + list(self.records)

    def forget_positions(self) -> None:
        """Drop where each value sits (``Document.POSITIONS``) once the checks are done: only they name lines,
        and a build keeps the documents to the end (unpacked, about 65 KB per record)."""
        for doc in self.documents:
            doc.__dict__.pop("_positions", None)
            doc.lines, doc.key_lines, doc.strings = {}, {}, []


def record_paths(root: Path) -> list[Path]:
    folder = root / SOLUTIONS_DIR
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")) if folder.is_dir() else []


def load_sources(root: Path, keep: bool = True) -> Sources:
    """Read the registry and every record file under ``root/solutions``; ``keep``: take unchanged files from,
    and keep what is read in, the store of the last run (``kb.records.store``; off with ``KB_CACHE=off``)."""
    root = Path(root)
    sources = Sources(root=root, store=store.open_store(root) if keep else None)
    if not (root / SOLUTIONS_DIR).is_dir():
        sources.problems.append(Problem(SOLUTIONS_DIR, 1, WHOLE_FILE, f"找不到记录目录 {SOLUTIONS_DIR}/（当前目录：{root.resolve()}）"))
        return sources
    for name, filename in REGISTRY_FILES.items():
        path = root / REGISTRY_DIR / filename
        if path.is_file():
            sources.registry[name] = read_document(path, root)
        elif name not in OPTIONAL_REGISTRY:
            sources.problems.append(Problem(f"{REGISTRY_DIR}/{filename}", 1, WHOLE_FILE, "缺少登记表文件"))
    records = []
    for path in record_paths(root):
        if path.suffix == ".yml":
            records.append(path)
        elif path.suffix.lower() in (".yaml", ".yml"):
            sources.problems.append(Problem(display_path(path, root), 1, WHOLE_FILE, "记录文件的扩展名应为 .yml"))
    sources.records = read_documents(records, root, sources.store)
    if sources.store is not None:
        registry_bytes = b""
        for filename in sorted(REGISTRY_FILES.values()):
            try:
                registry_bytes += filename.encode() + b"\0" + (root / REGISTRY_DIR / filename).read_bytes() + b"\0"
            except OSError:
                registry_bytes += filename.encode() + b"\0-\0"
        sources.store.registry_key = store.digest_of(registry_bytes)
    registry = (root / REGISTRY_DIR).resolve()
    for folder in sorted((root / SOLUTIONS_DIR).iterdir()):
        if folder.is_dir() and not folder.name.startswith(".") and folder.resolve() != registry:
            if next(folder.rglob("*.y*ml"), None) is not None:
                sources.problems.append(Problem(
                    display_path(folder, root) + "/", 1, WHOLE_FILE,
                    f"子目录 {folder.name}/ 里的记录不会被读取，也不会发布：请把记录直接放在 {SOLUTIONS_DIR}/ 下"))
    return sources
