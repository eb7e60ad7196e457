"""kb ledger template: the empty ledger with its columns and drop-down lists, which check then accepts."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook

from conftest import FIXTURES, run_kb
from kb.ledger.table import COLUMNS

KB = FIXTURES / "kb"


def test_the_template_has_the_columns_and_drop_downs(tmp_path):
    out = tmp_path / "t.xlsx"
    done = run_kb("--root", str(KB), "ledger", "template", "--out", str(out))
    assert done.returncode == 0, done.stderr
    wb = load_workbook(out)
    ws = wb["台账"]
    assert [c.value for c in ws[1]] == list(COLUMNS)
    lists = {str(dv.sqref).split(":")[0][0]: dv for dv in ws.data_validations.dataValidation}
    letter = {name: chr(ord("A") + i) for i, name in enumerate(COLUMNS)}
    options = wb["选项"]
    for name in ("诉求人类型", "领域", "成因", "处置类型", "结果", "一类事编号"):
        dv = lists[letter[name]]
        assert dv.type == "list" and dv.formula1.startswith("选项!")
    assert lists[letter["成因"]].errorStyle == "information"  # several causes joined by 、 stay possible
    assert lists[letter["结果"]].errorStyle == "stop"
    ids = [c.value for c in options["F"][1:] if c.value]
    assert ids == ["sample-draft", "sample-home-visit"]
    assert lists[letter["受理日期"]].type == "date"
    # filled in as staff would, the template passes the check
    ws["A2"], ws["B2"], ws["C2"], ws["D2"], ws["E2"] = "2026-0001", date(2026, 3, 2), "老人身份证过期出不了门。", "个人", "户籍证件"
    ws["G2"], ws["M2"] = "服务流程不规范、政策界定不清楚", "甲中心"
    wb.save(out)
    done = run_kb("--root", str(KB), "ledger", "check", str(out))
    assert done.returncode == 0, done.stdout
    again = run_kb("--root", str(KB), "ledger", "template", "--out", str(out))
    assert again.returncode == 1 and "不会覆盖" in again.stderr
    wrong = run_kb("--root", str(KB), "ledger", "template", "--out", str(tmp_path / "t.csv"))
    assert wrong.returncode == 2
