"""load: YAML is read safely and every value keeps its line."""

import codecs
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from kb.records.load import MAX_BYTES, MAX_DEPTH, MAX_FLOW_DEPTH, Document, parse_text, read_document


def parse(text: str) -> Document:
    doc = Document(path=Path("solutions/x.yml"), display="solutions/x.yml")
    parse_text(text, doc)
    return doc


def messages(doc: Document) -> list[str]:
    return [str(p) for p in doc.problems]


def test_lines_of_nested_values():
    doc = parse("id: x\nlegal_basis:\n  - law: a\n    article: 第一条\n")
    assert doc.data == {"id": "x", "legal_basis": [{"law": "a", "article": "第一条"}]}
    assert doc.line_of(("legal_basis", 0, "article")) == 4
    assert doc.key_line_of(("legal_basis",)) == 2
    assert doc.line_of(("legal_basis", 0, "missing")) == 3  # falls back to the parent


def test_every_text_value_is_collected_with_its_path():
    doc = parse("id: x\nlist: [a, 1, b]\nmap: {k: 文本}\n")
    assert doc.strings == [(("id",), "x"), (("list", 0), "a"), (("list", 2), "b"), (("map", "k"), "文本")]


def test_dates_stay_text_and_bad_dates_do_not_crash():
    doc = parse("a: 2025-04-16\nb: 2025-02-30\nc: 2025-3-5\n")
    assert doc.data == {"a": "2025-04-16", "b": "2025-02-30", "c": "2025-3-5"}
    assert doc.problems == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("yes", "yes"), ("on", "on"), ("No", "No"), ("y", "y"),  # YAML 1.1 booleans stay text
        ("true", True), ("False", False),
        ("0x10", "0x10"), ("0o17", "0o17"), ("010", "010"), ("1_000", "1_000"),  # only decimal numbers
        ("10:30", "10:30"), ("190:20:30", "190:20:30"),  # no sexagesimal numbers
        ("5", 5), ("-1", -1), ("+3", 3), ("0", 0), ("5.0", 5.0), ("1e3", 1000.0), (".5", 0.5),
        ("~", None), ("null", None), ("", None),
        ("=", "="), ("<<x", "<<x"), ("2026-01-01", "2026-01-01"),
        ("'5'", "5"), ('"true"', "true"), ("!!str 5", "5"), ("!!int 7", 7), ("!!int 五", "五"),
    ],
)
def test_scalars_are_typed_the_yaml_1_2_way(text, value):
    doc = parse(f"a: {text}\n")
    assert doc.problems == []
    assert doc.data["a"] == value and type(doc.data["a"]) is type(value)


@pytest.mark.parametrize(
    "value, tag",
    [
        ('!!python/object/apply:os.system ["touch {marker}"]', "!!python/object/apply:os.system"),
        ('!!python/object/new:os.system ["touch {marker}"]', "!!python/object/new:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!python/object:os.system {{}}", "!!python/object:os.system"),
        ("!<tag:yaml.org,2002:python/object/apply:os.system> [\"touch {marker}\"]", "!!python/object/apply:os.system"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {{a, b}}", "!!set"),
        ("!!omap [a: 1]", "!!omap"),
        ("!custom x", "!custom"),
    ],
)
def test_tags_are_refused_not_constructed(tmp_path, value, tag):
    marker = tmp_path / "pwned"
    doc = parse(f"a: {value.format(marker=marker)}\nb: ok\n")
    assert not marker.exists()
    assert doc.data == {"a": None, "b": "ok"}
    assert messages(doc) == [f"solutions/x.yml:1: a: 不允许使用 YAML 标签“{tag}”：只接受普通文本、数字、日期和列表、映射"]
    assert doc.refused == {("a",)}


def test_tag_directive_cannot_smuggle_a_python_tag(tmp_path):
    marker = tmp_path / "pwned"
    doc = parse(f'%TAG !p! tag:yaml.org,2002:python/\n---\na: !p!object/apply:os.system ["touch {marker}"]\n')
    assert not marker.exists()
    assert messages(doc) == ["solutions/x.yml:3: a: 不允许使用 YAML 标签“!!python/object/apply:os.system”：只接受普通文本、数字、日期和列表、映射"]


def test_aliases_are_refused_so_nothing_expands():
    doc = parse("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\nd: *a\n")
    assert messages(doc) == [
        "solutions/x.yml:2: b: 不支持 YAML 锚点和别名（& 与 *），请直接写出内容（这个列表里共 2 处）",
        "solutions/x.yml:3: c: 不支持 YAML 锚点和别名（& 与 *），请直接写出内容（这个列表里共 2 处）",
        "solutions/x.yml:4: d: 不支持 YAML 锚点和别名（& 与 *），请直接写出内容",
    ]
    assert doc.data == {"a": ["x", "x"], "b": [None, None], "c": [None, None], "d": None}


def test_billion_laughs_is_neither_expanded_nor_slow():
    levels = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    start = time.perf_counter()
    doc = parse("\n".join(levels) + "\n")
    assert time.perf_counter() - start < 1
    assert len(doc.problems) == 9
    assert all(value == [None] * 9 for key, value in doc.data.items() if key != "l0")


def test_merge_keys_are_refused():
    doc = parse("base: &b {lead: x}\ndepartments:\n  <<: *b\n  other: y\n")
    assert messages(doc) == ["solutions/x.yml:3: departments: 不支持 YAML 合并键“<<”，请直接写出字段"]
    assert doc.data["departments"] == {"other": "y"}


def test_quoted_merge_key_is_an_ordinary_key():
    assert parse("'<<': x\n").data == {"<<": "x"}


def test_duplicate_keys_are_reported_with_both_lines():
    doc = parse("title: 一\nother: 1\ntitle: 二\n")
    assert messages(doc) == ["solutions/x.yml:3: title: 字段“title”重复出现（第 1 行已写过）"]
    assert doc.data["title"] == "一"


def test_complex_keys_are_refused():
    doc = parse("[a, b]: 1\n? {c: d}\n: 2\nok: 3\n")
    assert messages(doc) == [
        "solutions/x.yml:1: (文件): 字段名应为简单文本（不能是列表、映射、别名或带标签的值）",
        "solutions/x.yml:2: (文件): 字段名应为简单文本（不能是列表、映射、别名或带标签的值）",
    ]
    assert doc.data == {"ok": 3}


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("a: 1\nb:\n  c: 1\n   d: 2\n", 4, "此处不能出现“键: 值”"),
        ('a: 1\nb: "abc\nc: 2\n', 2, "引号没有闭合"),
        ("a: 1\nb: [x, y\nc: 2\n", 2, "方括号“[”没有闭合"),
        ("a: 1\nb: {x: y\nc: 2\n", 2, "花括号“{”没有闭合"),
        ("a:\n\tb: 1\n", 2, "不能用 Tab 缩进"),
        ("a: x\n\tb: y\n", 2, "不能用 Tab 缩进"),
        ("a: 标题: 冒号\n", 1, "此处不能出现“键: 值”"),
        ("a: @x\n", 1, "文本不能以“@”开头"),
        ("a: 1\nb\nc: 2\n", 2, "缺少冒号“:”"),
        ('a: "\\q"\n', 1, "无效的转义字符"),
        ("a: b\n---\nc: d\n", 2, "一个文件只能有一条记录"),
        ("%FOO\n---\na: 1\n", 1, "YAML 指令"),
        ("中文: 值\nb: \x07\n", 2, "不可见的控制字符 U+0007"),
    ],
)
def test_syntax_errors_in_chinese_with_the_line_to_look_at(text, line, message):
    doc = parse(text)
    assert len(doc.problems) == 1, messages(doc)
    problem = doc.problems[0]
    assert (problem.line, problem.field) == (line, "(文件)")
    assert problem.message.startswith("YAML 语法错误") and message in problem.message
    assert doc.data is None


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5_000, 400_000])
def test_deep_nesting_is_refused_without_recursion(depth):
    # libyaml's own composer recurses in C and crashes the interpreter on deep input.
    for text in ("a: " + "[" * depth + "]" * depth, "a: " + "{b: " * depth + "1" + "}" * depth, "- " * depth + "x"):
        doc = parse(text)
        assert doc.data is None
        flow = depth > MAX_FLOW_DEPTH and not text.startswith("- ")  # brackets that deep: refused before parsing
        assert [p.message for p in doc.problems] == [TOO_DEEP if flow else f"嵌套层次过深（超过 {MAX_DEPTH} 层），请检查缩进和括号"]


TOO_DEEP = f"嵌套过深：括号“{{”“[”到这一行已嵌套超过 {MAX_FLOW_DEPTH} 层（记录最多 {MAX_DEPTH} 层），没有继续读取；请检查括号是否配对"


@pytest.mark.parametrize("text, line", [
    ("{" * MAX_BYTES, 1),  # libyaml's scanner is quadratic in the depth of "{": half an hour at 1 MB
    ("id: x\ntitle: y\nsummary: " + "{" * (MAX_BYTES - 40), 3),
    ("a: [\n" + "[{" * 40 + "\n", 2),
    # quotes and comments that do not close what is open
    ("a: [\"" + "]" * 70 + "\", " + "{" * 70, 1),
    ("a: ['" + "}" * 70 + "''s', " + "[" * 70, 1),
    ("a: [  # " + "]" * 70 + "\n" + "[" * 70, 2),
    ("a: [it's, " + "{" * 70, 1),  # an apostrophe inside a word opens no quote
])
def test_flow_nesting_beyond_the_limit_is_refused_before_parsing_in_well_under_a_second(text, line):
    begin = time.perf_counter()
    doc = parse(text)
    assert time.perf_counter() - begin < 0.5
    assert doc.data is None
    assert messages(doc) == [f"solutions/x.yml:{line}: (文件): {TOO_DEEP}"]


@pytest.mark.parametrize("text", [
    "a: " + "[1], " * 500 + "\n",  # many brackets, none deep
    "a: [" + "{b: [c]}, " * 300 + "]\n",
    "a: '" + "[x] " * 200 + "'\nb: \"" + "{y} " * 200 + "\"\n",
    "a: [" * 30 + "]" * 30 + "\n" + "b: {c: " * 30 + "1" + "}" * 30 + "\n",  # deep, under the limit, closed
    "a: 第[1]条 " * 100 + "\n",
])
def test_many_brackets_that_do_not_nest_deeply_are_read_as_before(text):
    import yaml

    doc = parse(text)
    assert not any("嵌套过深" in p.message for p in doc.problems)
    if not doc.problems:
        assert doc.data == yaml.safe_load(text)


def test_the_records_of_the_knowledge_base_are_not_deep():
    from kb.records.load import _too_deep

    paths = sorted((ROOT / "solutions").rglob("*.yml")) + sorted((FIXTURES / "valid").glob("*.yml"))
    assert paths
    for path in paths:
        assert _too_deep(path.read_text(encoding="utf-8")) == 0, path


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "~\n", "null\n", "---\n...\n"])
def test_empty_documents(text):
    doc = parse(text)
    assert messages(doc) == ["solutions/x.yml:1: (文件): 文件为空：应为一条记录（字段: 值 的映射）"]
    assert doc.data is None


@pytest.mark.parametrize(
    "raw, line, message",
    [
        ("title: 编码\n".encode("gbk"), 1, "不是 UTF-8 编码，疑似 GBK/GB18030 编码（Windows 记事本的“ANSI”，第 1 行起无法读取），请另存为 UTF-8"),
        ("id: x\n\ntitle: 编码\n".encode("gb18030"), 3, "不是 UTF-8 编码，疑似 GBK/GB18030 编码（Windows 记事本的“ANSI”，第 3 行起无法读取），请另存为 UTF-8"),
        (b"id: x\ntitle: \xff\xfe\xfa\n", 2, "不是 UTF-8 编码（第 2 行有无法识别的字节），请另存为 UTF-8"),
        ("id: x\n".encode("utf-16"), 1, "文件是 UTF-16 编码（Windows 记事本的“Unicode”），请另存为 UTF-8"),
        (codecs.BOM_UTF16_BE + "id: x\n".encode("utf-16-be"), 1, "文件是 UTF-16 编码（Windows 记事本的“Unicode”），请另存为 UTF-8"),
        ("id: x\ntitle: 标题\n".encode("utf-16-le"), 1, "文件疑似 UTF-16 编码（每隔一个字节是空字节），请另存为 UTF-8"),
        ("id: x\n".encode("utf-32"), 1, "文件是 UTF-32 编码，请另存为 UTF-8"),
        (b"a: 1\n\x00\n", 2, "含有空字符（\\0），这不是文本文件"),
    ],
)
def test_files_that_are_not_utf8(tmp_path, raw, line, message):
    path = tmp_path / "solutions" / "x.yml"
    path.parent.mkdir()
    path.write_bytes(raw)
    doc = read_document(path, tmp_path)
    assert [(p.line, p.field, p.message) for p in doc.problems] == [(line, "(文件)", message)]
    assert doc.problems[0].file == "solutions/x.yml"
    assert doc.data is None


def test_oversized_file(tmp_path):
    path = tmp_path / "big.yml"
    path.write_bytes(b"a: " + b"x" * MAX_BYTES)
    doc = read_document(path, tmp_path)
    assert messages(doc) == [
        f"big.yml:1: (文件): 文件过大（{MAX_BYTES + 3:,} 字节），单个文件不得超过 1 MB（1,048,576 字节）"
    ]
    assert doc.data is None


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "x.yml"
    path.write_bytes("\ufeffid: x\n".encode("utf-8"))
    assert read_document(path, tmp_path).data == {"id": "x"}


def test_symlink_out_of_the_project_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    root = tmp_path / "project"
    (root / "solutions").mkdir(parents=True)
    link = root / "solutions" / "x.yml"
    link.symlink_to(secret)
    doc = read_document(link, root)
    assert messages(doc) == ["solutions/x.yml:1: (文件): 是指向知识库目录之外的符号链接，不予读取；请把文件本身放进 solutions/"]
    assert doc.data is None


def test_unreadable_file(tmp_path):
    doc = read_document(tmp_path / "missing.yml", tmp_path)
    assert [p.message for p in doc.problems] == ["无法读取文件：No such file or directory"]


@pytest.mark.parametrize("text", ["a: b\x85c\n", "a: 'x\u2028y'\n", "a: \"\\ud800\"\n", "a: \"\\x00\"\n"])
def test_odd_characters_never_raise(text):
    doc = parse(text)
    assert doc.problems or isinstance(doc.data, dict)


def test_huge_numbers_stay_text():
    # Python refuses to convert a decimal string of more than 4,300 digits.
    doc = parse(f"a: {'1' * 5000}\nb: !!int {'2' * 5000}\nc: {'3' * 100}\n")
    assert doc.data == {"a": "1" * 5000, "b": "2" * 5000, "c": int("3" * 100)}


def test_lone_surrogates_from_a_caller_are_reported():
    # A decoded file never holds one, but parse_text may be handed any str.
    doc = parse("a: 1\nb: \ud800\n")
    assert messages(doc) == ["solutions/x.yml:2: (文件): 含有无效字符 U+D800（孤立的代理码位），请删除"]


def test_text_after_a_complete_value_is_not_called_a_second_document():
    doc = parse("[a] b\n")
    assert doc.problems[0].message.startswith("YAML 语法错误：多余的内容：括号或引号结束后还有文字")
