"""office.xlsx_export: a workbook a clerk can edit, carrying its own rules; the public one holds nothing internal."""

import openpyxl
import pytest
import yaml

from kb.knowledge import load_knowledge_base
from kb.office import layout as L
from kb.office.xlsx_export import ExportError, write_workbook
from office_util import export, knowledge_base


@pytest.fixture
def internal_book(tmp_path):
    root = knowledge_base(tmp_path)
    return openpyxl.load_workbook(export(root, tmp_path / "kb.xlsx"))


def _validations(ws) -> dict[str, tuple]:
    """Column letter -> (type, formula1, errorStyle) of each rule."""
    return {str(dv.sqref).split(":")[0].rstrip("0123456789"): (dv.type, dv.formula1, dv.errorStyle)
            for dv in ws.data_validations.dataValidation}


def test_sheets_headers_and_rows(internal_book):
    wb = internal_book
    assert wb.sheetnames == [L.RECORDS_SHEET, L.GUIDE_SHEET] + L.layout(True).names[1:] + [L.CHOICES_SHEET, "导出基线"]
    ws = wb[L.RECORDS_SHEET]
    assert [c.value for c in ws[1]] == L.layout(True).records.headers
    assert [ws.cell(row=r, column=1).value for r in (2, 3)] == ["sample-draft", "sample-home-visit"]
    assert ws["D3"].value == "已发布" and ws["H3"].value == 60 and ws["I3"].value == "自然日"
    steps = wb["办理流程"]
    assert [c.value for c in steps[steps.max_row]] == ["sample-home-visit", 2, "上门采集", "户籍窗口民警携带设备上门完成人像和指纹采集",
                                            "公安机关户籍窗口", 5, "工作日", "承诺", None, None, "居民身份证申领登记表", None, None]


def test_drop_downs_for_every_vocabulary_and_enum(internal_book):
    wb = internal_book
    rules = _validations(wb[L.RECORDS_SHEET])
    assert rules["D"] == ("list", '"草稿,已发布,已停用"', "stop")
    assert rules["E"] == ("list", "kb_domains", "stop") and rules["F"] == ("list", "kb_categories", "stop")
    assert rules["G"] == ("list", '"办不了,很难办,不给办"', "stop")
    assert rules["H"][0] == "whole" and rules["I"] == ("list", '"工作日,自然日,小时,即办"', "stop")
    assert _validations(wb["共性成因"])["B"] == ("list", "kb_causes", "stop")
    assert _validations(wb["办理依据"])["B"] == ("list", "kb_laws", "stop")
    assert _validations(wb["所需材料"])["D"] == ("list", '"是,否"', "stop")
    names = wb.defined_names
    # the 编号 drop-down reaches the rows a clerk adds for a new record, not only the exported ones
    assert _validations(wb["相关事项"])["B"] == ("list", "kb_records", "warning")
    assert _validations(wb["常用叫法"])["A"] == ("list", "kb_records", "warning")
    assert names["kb_records"].attr_text == "OFFSET('事项'!$A$2,0,0,MAX(1,COUNTA('事项'!$A$2:$A$1048576)),1)"
    assert names["kb_domains"].attr_text == "'词表'!$A$2:$A$11"
    choices = wb[L.CHOICES_SHEET]
    assert [choices.cell(row=r, column=1).value for r in range(2, 4)] == ["户籍证件", "不动产登记"]
    law_ids = [choices.cell(row=r, column=4).value for r in range(2, 5)]
    assert law_ids == ["xingzheng-xuke-fa", "jumin-shenfenzheng-fa", "repealed-example"]


def test_frozen_headers_widths_text_format_and_guide(internal_book):
    wb = internal_book
    for name in L.layout(True).names:
        ws = wb[name]
        assert ws.freeze_panes == "B2", name
        assert ws.column_dimensions["A"].width >= 24 and ws["A1"].comment is not None
    ws = wb[L.RECORDS_SHEET]
    assert ws.column_dimensions["C"].width == 60 and ws.column_dimensions["A"].number_format == "@"
    assert ws["A2"].number_format == "@" and ws["H3"].number_format == "0"
    assert ws["A1"].style == "kb 必填表头" and ws["G1"].style == "kb 表头"
    guide = "\n".join(str(c.value) for c in wb[L.GUIDE_SHEET]["A"] if c.value)
    for words in ("kb import", "--update", "--dry-run", "步骤序号", "即办", "2025-04-16", "合并单元格", "“办理流程”工作表"):
        assert words in guide


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    root = knowledge_base(tmp_path)
    path = root / "solutions" / "sample-draft.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8").replace(data["summary"], "=HYPERLINK(\"https://example.org\") 这样的文字只是文字。"),
                    encoding="utf-8")
    wb = openpyxl.load_workbook(export(root, tmp_path / "kb.xlsx"))
    cell = wb[L.RECORDS_SHEET]["C2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_public_workbook_holds_nothing_internal(tmp_path):
    root = knowledge_base(tmp_path)
    wb = openpyxl.load_workbook(export(root, tmp_path / "public.xlsx", "public"))
    assert "脱敏个案" not in wb.sheetnames and "升级联络" not in wb.sheetnames
    texts = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    record = yaml.safe_load((root / "solutions" / "sample-home-visit.yml").read_text(encoding="utf-8"))
    secrets = [record["internal"]["staff_notes"], record["internal"]["risk_notes"], record["cases"][0]["summary"],
               record["internal"]["contacts"][0]["channel"], "sample-draft"]
    assert [s for s in secrets if any(s in t for t in texts)] == []
    assert [wb[L.RECORDS_SHEET].cell(row=r, column=1).value for r in range(2, 4)] == ["sample-home-visit", None]


def test_never_overwrites_without_force(tmp_path):
    root = knowledge_base(tmp_path)
    kb = load_knowledge_base(root).kb
    out = tmp_path / "kb.xlsx"
    out.write_bytes(b"clerk's edits")
    with pytest.raises(ExportError, match="已存在，不会覆盖"):
        write_workbook(kb, "internal", out)
    assert out.read_bytes() == b"clerk's edits"
    assert write_workbook(kb, "internal", out, force=True) == 2
    assert openpyxl.load_workbook(out).sheetnames[0] == L.RECORDS_SHEET
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb", "kb.xlsx"]
