"""load: YAML is read safely and every value keeps its line."""

from pathlib import Path

import pytest

from kb.load import MAX_BYTES, Document, parse_text, read_document


def parse(text: str) -> Document:
    doc = Document(path=Path("solutions/x.yml"), display="solutions/x.yml")
    parse_text(text, doc)
    return doc


def test_lines_of_nested_values():
    doc = parse("id: x\nlegal_basis:\n  - law: a\n    article: 第一条\n")
    assert doc.data == {"id": "x", "legal_basis": [{"law": "a", "article": "第一条"}]}
    assert doc.line_of(("legal_basis", 0, "article")) == 4
    assert doc.key_line_of(("legal_basis",)) == 2
    assert doc.line_of(("legal_basis", 0, "missing")) == 3  # falls back to the parent


def test_dates_stay_text_and_bad_dates_do_not_crash():
    doc = parse("a: 2025-04-16\nb: 2025-02-30\nc: 2025-3-5\n")
    assert doc.data == {"a": "2025-04-16", "b": "2025-02-30", "c": "2025-3-5"}
    assert doc.problems == []


def test_python_tags_are_refused_not_constructed(tmp_path):
    marker = tmp_path / "pwned"
    doc = parse(f'a: !!python/object/apply:os.system ["touch {marker}"]\nb: ok\n')
    assert not marker.exists()
    assert doc.data == {"a": None, "b": "ok"}
    assert [str(p) for p in doc.problems] == [
        "solutions/x.yml:1: a: 不允许使用 YAML 标签“!!python/object/apply:os.system”：只接受普通文本、数字、日期和列表、映射"
    ]


def test_aliases_are_refused_so_nothing_expands():
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    doc = parse(bomb)
    assert {p.field for p in doc.problems} == {"b[0]", "b[1]", "c[0]", "c[1]"}


def test_duplicate_keys_are_reported_with_both_lines():
    doc = parse("title: 一\nother: 1\ntitle: 二\n")
    assert [str(p) for p in doc.problems] == ["solutions/x.yml:3: title: 字段“title”重复出现（第 1 行已写过）"]
    assert doc.data["title"] == "一"


def test_syntax_error_in_chinese_with_line():
    doc = parse("a: 1\nb:\n  c: 1\n   d: 2\n")
    assert len(doc.problems) == 1
    assert doc.problems[0].line == 4
    assert doc.problems[0].message.startswith("YAML 语法错误：")


def test_tab_indentation():
    doc = parse("a:\n\tb: 1\n")
    assert "Tab" in doc.problems[0].message


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "文件为空：应为一条记录（字段: 值 的映射）"),
        (b"# only a comment\n", "文件为空：应为一条记录（字段: 值 的映射）"),
        ("title: 编码\n".encode("gbk"), "不是 UTF-8 编码（第 1 行有无法识别的字节），请另存为 UTF-8"),
        (b"a: 1\x00\n", "含有空字符（\\0），这不是文本文件"),
    ],
)
def test_unreadable_files(tmp_path, raw, message):
    path = tmp_path / "solutions" / "x.yml"
    path.parent.mkdir()
    path.write_bytes(raw)
    doc = read_document(path, tmp_path)
    assert [p.message for p in doc.problems] == [message]
    assert doc.problems[0].file == "solutions/x.yml"


def test_oversized_file(tmp_path):
    path = tmp_path / "big.yml"
    path.write_bytes(b"a: " + b"x" * (MAX_BYTES + 1))
    doc = read_document(path, tmp_path)
    assert doc.problems[0].message.startswith("文件过大") and "1 MB" in doc.problems[0].message
    assert doc.data is None


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "x.yml"
    path.write_bytes("\ufeffid: x\n".encode("utf-8"))
    assert read_document(path, tmp_path).data == {"id": "x"}
