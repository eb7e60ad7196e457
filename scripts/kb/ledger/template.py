"""``kb ledger template``: an empty ledger workbook with the columns, formats and drop-down lists.

Drop-downs come from the knowledge base: 诉求人类型, 处置类型, 结果 (fixed lists), 领域 and 成因
(the vocabularies) and 一类事编号 (the record ids, listed on the sheet 选项 since a list written into
the validation itself may hold 255 characters at most). 成因 offers the six causes and still accepts
several joined by 、 (its validation only informs, it does not stop the entry). Dates are date cells
shown as YYYY-MM-DD with a date validation; 编号 is text, so that Excel keeps 0012 as typed.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .check import APPLICANTS, DISPOSITIONS, RESULTS, Vocabulary
from .table import COLUMNS, SHEET

#: Rows prepared with formats and drop-downs.
ROWS = 2000
WIDTHS = {"编号": 12, "受理日期": 12, "诉求摘要": 48, "诉求人类型": 10, "领域": 14, "涉及部门": 18, "成因": 24,
          "处置类型": 10, "答复日期": 12, "办结日期": 12, "结果": 10, "一类事编号": 30, "窗口": 14}
NOTES = [
    ("编号", "本台账内唯一，如 2026-0001；多个中心的台账合并统计时，按“窗口 + 编号”区分。"),
    ("受理日期", "YYYY-MM-DD，如 2026-03-02。"),
    ("诉求摘要", "一两句话写清诉求和卡在哪里。不得写姓名、身份证号、电话、住址（kb ledger check 会拒绝）。"),
    ("诉求人类型", "个人 或 企业。"),
    ("领域", "从下拉列表选，取自知识库的领域词表。"),
    ("涉及部门", "几个部门用“、”隔开。"),
    ("成因", "六类共性成因之一；几个成因用“、”隔开（下拉列表只列单项，手工输入多项也可以）。"),
    ("处置类型", "办不了（解释疏导）、很难办（协调办理）、不给办（督办问责）。"),
    ("答复日期", "首次答复群众的日期；纪律默认受理后 3 个工作日内（extra.kb.window.reply）。"),
    ("办结日期", "办结的日期；纪律默认受理后 5 个工作日内（extra.kb.window.resolve）。有办结日期就要填结果。"),
    ("结果", "已解决、部分解决、未解决；还在办理就留空。“已解决”必须有办结日期。"),
    ("一类事编号", "这件事属于知识库里哪一类事；不确定就留空，用 kb ledger link 找建议。"),
    ("窗口", "哪个中心或窗口登记的（多个台账合并时用于区分）。"),
]


def write_template(vocab: Vocabulary, out: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    head_font = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE3F0")
    for col, name in enumerate(COLUMNS, 1):
        cell = ws.cell(row=1, column=col, value=name)
        cell.font, cell.fill = head_font, fill
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[name]
    ws.freeze_panes = "A2"
    position = {name: get_column_letter(i) for i, name in enumerate(COLUMNS, 1)}
    last = ROWS + 1
    for name in ("受理日期", "答复日期", "办结日期"):
        for row in range(2, last + 1):
            ws[f"{position[name]}{row}"].number_format = "yyyy-mm-dd"
    for row in range(2, last + 1):
        ws[f"{position['编号']}{row}"].number_format = "@"
        ws[f"{position['诉求摘要']}{row}"].alignment = Alignment(wrap_text=True, vertical="top")

    lists = wb.create_sheet("选项")
    columns = {"诉求人类型": APPLICANTS, "领域": vocab.domains, "成因": vocab.causes, "处置类型": DISPOSITIONS,
               "结果": RESULTS, "一类事编号": tuple(sorted(vocab.records))}
    for col, (name, values) in enumerate(columns.items(), 1):
        lists.cell(row=1, column=col, value=name).font = head_font
        for row, value in enumerate(values, 2):
            lists.cell(row=row, column=col, value=value)
        letter = get_column_letter(col)
        source = f"选项!${letter}$2:${letter}${len(values) + 1}"
        strict = name != "成因"
        check = DataValidation(type="list", formula1=source, allow_blank=True, showDropDown=False,
                               showErrorMessage=True, errorStyle="stop" if strict else "information",
                               errorTitle=name, error=(f"请从下拉列表中选择{name}" if strict else
                                                       "成因应为六类共性成因之一，几个成因用“、”隔开"),
                               promptTitle=name, prompt=dict(NOTES)[name][:250], showInputMessage=True)
        check.add(f"{position[name]}2:{position[name]}{last}")
        ws.add_data_validation(check)
        lists.column_dimensions[letter].width = 34 if name == "一类事编号" else 20
    for name in ("受理日期", "答复日期", "办结日期"):
        dates = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True,
                               showErrorMessage=True, errorTitle=name, error="请输入日期，如 2026-03-02",
                               promptTitle=name, prompt=dict(NOTES)[name], showInputMessage=True)
        dates.add(f"{position[name]}2:{position[name]}{last}")
        ws.add_data_validation(dates)

    notes = wb.create_sheet("说明")
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 90
    notes.append(["列", "怎么填"])
    for cell in notes[1]:
        cell.font = head_font
    for name, text in NOTES:
        notes.append([name, text])
    notes.append([])
    notes.append(["检查", "填好后运行 kb ledger check 台账.xlsx：每个问题一行，指出工作表和单元格。"])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    wb.save(tmp)
    tmp.replace(out)
