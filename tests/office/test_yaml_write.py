"""office.yaml_write: records written as YAML read back the same, in the template's order, never half-written."""

import os
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from kb.records.load import Document, parse_text
from kb.office import yaml_write

TRICKY = ["0012", "010", "true", "yes", "no", "on", "null", "~", "1e5", "1.5", ".5", "10:30", "0x10", "+1",
          "=SUM(A1)", "- 列表样", "#井号开头", "a: b", "'引号'", "\"双引号\"", "[方括号]", "{花括号}", "&锚点", "*别名",
          "!标签", "%指令", "@符号", "`反引号", "|竖线", ">大于号", "  前导空格", "末尾空格 ", "即办", ""]


def _read(text: str):
    doc = Document(path=Path("x.yml"), display="x.yml")
    parse_text(text, doc)
    assert not doc.problems, doc.problems
    return doc.data


def test_texts_read_back_as_the_same_texts():
    data = {"id": "x", "tags": TRICKY, "summary": "第一行\n第二行\n", "applies_when": ["两行\n文本"],
            "statistics": {"received": 3, "solved": 0, "as_of": "2026-04-16"}, "materials": [{"required": False}]}
    text = yaml_write.dump_record(data)
    assert _read(text) == data
    assert "\n  as_of: 2026-04-16\n" in text  # dates stay plain, as people write them
    assert "summary: |\n  第一行\n  第二行\n" in text  # a multi-line text is a literal block


def test_first_line_is_the_schema_line_and_fields_follow_the_template():
    template = (ROOT / "scripts" / "kb" / "templates" / "record.yml.j2").read_text(encoding="utf-8")
    assert yaml_write.schema_line() == template.splitlines()[0]
    order = yaml_write.field_order()
    assert order[:4] == ("id", "title", "summary", "status")
    assert order.index("review") < order.index("sources") < order.index("changelog")
    assert order.index("applies_when") < order.index("not_applicable") < order.index("legal_basis")
    data = {"internal": {"staff_notes": "备注"}, "sources": [{"date": "未注明", "title": "标题", "publisher": "单位"}],
            "id": "x", "review": {"next_review": "2027-01-01", "owner": "科室", "reviewed_on": "2026-01-01"}}
    text = yaml_write.dump_record(data)
    lines = text.splitlines()
    assert lines[0] == yaml_write.schema_line()
    assert [line.split(":")[0] for line in lines[1:] if line[0].isalpha()] == ["id", "review", "sources", "internal"]
    assert "  owner: 科室\n  reviewed_on: 2026-01-01\n  next_review: 2027-01-01\n" in text
    assert "  - title: 标题\n    publisher: 单位\n    date: 未注明\n" in text


def test_an_existing_file_keeps_its_order_and_leading_comments():
    old_text = (FIXTURES / "valid" / "minimal.yml").read_text(encoding="utf-8")
    old = _read(old_text)
    new = {**old, "summary": "改过的概述，仍然是一句话。", "tags": ["新标签"]}
    text = yaml_write.dump_record(new, old_text, old)
    assert text.splitlines()[:2] == [yaml_write.schema_line(), "# 只含必填字段的最小合法记录。"]
    keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert [k for k in keys if k != "tags"] == list(old)  # the file's own order is kept
    order = yaml_write.field_order()
    before = [k for k in old if order.index(k) < order.index("tags")]
    assert keys.index("tags") == keys.index(before[-1]) + 1  # a new field goes after its template predecessor
    assert _read(text) == new


def test_dropped_comments_are_counted():
    assert yaml_write.other_comments("# a\n# b\nid: x\n# c\ntitle: y  # not a comment line\n  # d\n") == 2


def test_a_new_file_never_overwrites(tmp_path):
    target = tmp_path / "x.yml"
    target.write_text("手写\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        yaml_write.write_files([(target, "id: x\n", False)])
    assert target.read_text(encoding="utf-8") == "手写\n"
    assert os.listdir(tmp_path) == ["x.yml"]  # no temporary file left behind


def test_files_are_replaced_whole(tmp_path):
    old, new = tmp_path / "old.yml", tmp_path / "new.yml"
    old.write_text("旧\n", encoding="utf-8")
    yaml_write.write_files([(old, "新\n", True), (new, "新建\n", False)])
    assert old.read_text(encoding="utf-8") == "新\n" and new.read_text(encoding="utf-8") == "新建\n"
    assert sorted(os.listdir(tmp_path)) == ["new.yml", "old.yml"]


def test_rewriting_a_record_in_its_own_order_changes_no_byte():
    # What makes an --update diff small: an unchanged record written back is the same file.
    from kb.records.load import read_document

    for path in sorted((ROOT / "solutions").glob("*.yml")):
        doc = read_document(path, ROOT)
        old = path.read_text(encoding="utf-8")
        assert yaml_write.dump_record(doc.data, old, doc.data) == old, path.name
