"""``kb export --format xlsx``: the records of one edition as a workbook a clerk can edit.

The workbook carries its own rules, so that Excel or WPS helps the clerk get a
value right before ``kb import`` has to say it is wrong: a drop-down list on
every column with fixed choices (status, time-limit units, disposition, 是/否)
and on every vocabulary and registry column (the lists live on the 词表 sheet
behind defined names), whole-number rules from the schema's bounds, text format
on every text and date column (so 0012 stays 0012 and 2025-04-16 stays text),
each column's description as the message shown when a cell is selected and as
the header's comment, frozen header rows, widths from the fields' lengths,
and a 说明 sheet. Its look is a handful of named styles.

Which field goes where is ``layout``'s business; this module only writes.
"""

from __future__ import annotations

import copy
import os
import tempfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from ..site.edition import EDITION_NAMES, Edition
from ..records.model import KnowledgeBase
from ..records.schema import load_schema
from . import baseline
from . import layout as L

LAST_ROW = 1_048_576  # validations and formats reach every row a clerk may add
VOCABULARY_NAMES = {"domains": "领域", "categories": "难办类型", "causes": "共性成因"}
RECORD_IDS = "kb_records"  # the defined name of the 编号 column of 事项


class ExportError(Exception):
    """The workbook could not be written (the message says why, in Chinese)."""


def workbook_records(kb: KnowledgeBase, edition_name: str) -> list[dict]:
    """The records of the edition as the workbook holds them.

    Internal: each visible record's data in full (that workbook is for editing).
    Public: the edition's view (internal fields gone, drafts unnamed), with each
    law folded back to its registry id and the view's own additions dropped.
    """
    edition = Edition(edition_name, kb)
    if edition.internal:
        return [copy.deepcopy(r.data) for r in edition.records]
    fields = load_schema("record")["properties"]
    out = []
    for view in edition.views:
        data = {k: copy.deepcopy(v) for k, v in view.items() if k in fields}
        data["legal_basis"] = [{**entry, "law": entry["law"]["id"]} for entry in data["legal_basis"]]
        out.append(data)
    return out


def _styles(wb: Workbook) -> None:
    thin = Side(style="thin", color="B0B7C3")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header = NamedStyle("kb 表头", font=Font(bold=True, color="FFFFFF"), fill=PatternFill("solid", fgColor="3F51B5"),
                        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True), border=border)
    required = NamedStyle("kb 必填表头", font=Font(bold=True, color="FFFFFF"), fill=PatternFill("solid", fgColor="B71C1C"),
                          alignment=Alignment(horizontal="center", vertical="center", wrap_text=True), border=border)
    text = NamedStyle("kb 文本", number_format="@", alignment=Alignment(vertical="top"))
    long_text = NamedStyle("kb 长文本", number_format="@", alignment=Alignment(vertical="top", wrap_text=True))
    number = NamedStyle("kb 数字", number_format="0", alignment=Alignment(vertical="top"))
    amount = NamedStyle("kb 金额", number_format="General", alignment=Alignment(vertical="top"))
    title = NamedStyle("kb 说明标题", font=Font(bold=True, size=14))
    heading = NamedStyle("kb 说明小标题", font=Font(bold=True, size=12), alignment=Alignment(vertical="top"))
    guide = NamedStyle("kb 说明正文", alignment=Alignment(vertical="top", wrap_text=True))
    for style in (header, required, text, long_text, number, amount, title, heading, guide):
        wb.add_named_style(style)


def _cell_style(column: L.Column) -> str:
    if column.kind in (L.INTEGER, L.TIME_VALUE):
        return "kb 数字"
    if column.kind == L.NUMBER:
        return "kb 金额"
    return "kb 文本" if column.one_line else "kb 长文本"


def _validation(column: L.Column, records_range: str) -> DataValidation | None:
    """The drop-down or number rule of a column, from its kind and schema."""
    prompt = column.description[:250]
    common = {"allow_blank": True, "showInputMessage": bool(prompt), "promptTitle": column.header[:32],
              "prompt": prompt or None, "showErrorMessage": True}
    if column.choices:
        texts = column.shown_choices
        return DataValidation(type="list", formula1='"' + ",".join(texts) + '"', errorStyle="stop",
                              errorTitle="请从下拉列表中选择", error=f"可选：{'、'.join(texts)}", **common)
    if column.source in VOCABULARY_NAMES or column.source == "laws":
        what = VOCABULARY_NAMES.get(column.source, "法律依据编号")
        return DataValidation(type="list", formula1=f"kb_{column.source}", errorStyle="stop",
                              errorTitle="请从下拉列表中选择", error=f"只能填写“{L.CHOICES_SHEET}”工作表中的{what}", **common)
    if column.source == "records":
        return DataValidation(type="list", formula1=records_range, errorStyle="warning", errorTitle="编号不在事项中",
                              error="这个编号不在“事项”工作表中：相关事项应为已有记录的编号", **common)
    if column.kind in (L.INTEGER, L.TIME_VALUE):
        low, high = column.spec.get("minimum", 0), column.spec.get("maximum", 1_000_000_000)
        return DataValidation(type="whole", operator="between", formula1=str(low), formula2=str(high),
                              errorStyle="stop", errorTitle="应为整数", error=f"请填写 {low} 到 {high} 之间的整数", **common)
    if column.kind == L.NUMBER:
        low, high = column.spec.get("minimum", 0), column.spec.get("maximum", 1_000_000_000)
        return DataValidation(type="decimal", operator="between", formula1=str(low), formula2=str(high),
                              errorStyle="stop", errorTitle="应为数字", error=f"请填写 {low} 到 {high} 之间的数字", **common)
    if prompt:
        return DataValidation(type=None, **common)
    return None


def _write_sheet(ws, sheet: L.Sheet, rows: list[list], records_range: str) -> None:
    key_columns = list(sheet.keys)
    if sheet.index_header:
        key_columns.append(L.Column(sheet.index_header, ("#",), L.INTEGER, {"type": "integer", "minimum": 1},
                                    description=f"这一行是该记录的第几项（从 1 开始，按行的先后）；“{sheet.name}”下的其他工作表用它对应。",
                                    required=True))
    columns = key_columns + list(sheet.columns)
    for index, column in enumerate(columns, 1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.style = "kb 必填表头" if column.required else "kb 表头"
        if column.description:
            cell.comment = Comment(column.description, "kb")
        dimension = ws.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        if column.kind not in (L.INTEGER, L.TIME_VALUE, L.NUMBER):
            dimension.number_format = "@"  # rows the clerk adds are text too: 0012 stays 0012
    styles = [_cell_style(c) for c in columns]
    for number, values in enumerate(rows, 2):
        for index, value in enumerate(values, 1):
            cell = ws.cell(row=number, column=index)
            cell.style = styles[index - 1]
            if value is None:
                continue
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # a text starting with "=" is text, never a formula
    for index, column in enumerate(columns, 1):
        letter = get_column_letter(index)
        first = f"{letter}2:{letter}{LAST_ROW}"
        rule = _validation(column, records_range)
        if index == 1 and not sheet.is_records:
            rule = _validation(L.Column(column.header, ("id",), L.TEXT, column.spec, column.description,
                                        source="records"), records_range)
        if rule is not None:
            rule.add(first)
            ws.add_data_validation(rule)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 2)}"


def _choices_sheet(wb: Workbook, kb: KnowledgeBase) -> None:
    ws = wb.create_sheet(L.CHOICES_SHEET)
    law_fields = [("id", "法律依据编号", 28), ("title", "法律名称", 40), ("level", "效力层级", 14), ("status", "时效状态", 12)]
    blocks = [(VOCABULARY_NAMES[k], [t.name for t in kb.vocabularies[k]], f"kb_{k}", 18) for k in VOCABULARY_NAMES]
    column = 1
    for header, values, name, width in blocks:
        ws.cell(row=1, column=column, value=header).style = "kb 表头"
        for row, value in enumerate(values, 2):
            ws.cell(row=row, column=column, value=value).style = "kb 文本"
        letter = get_column_letter(column)
        wb.defined_names[name] = DefinedName(
            name, attr_text=f"{quote_sheetname(L.CHOICES_SHEET)}!${letter}$2:${letter}${max(len(values), 1) + 1}")
        ws.column_dimensions[letter].width = width
        column += 1
    laws = list(kb.laws.values())
    for offset, (key, header, width) in enumerate(law_fields):
        ws.cell(row=1, column=column + offset, value=header).style = "kb 表头"
        ws.column_dimensions[get_column_letter(column + offset)].width = width
        for row, law in enumerate(laws, 2):
            ws.cell(row=row, column=column + offset, value=law.get(key)).style = "kb 文本"
    letter = get_column_letter(column)
    wb.defined_names["kb_laws"] = DefinedName(
        "kb_laws", attr_text=f"{quote_sheetname(L.CHOICES_SHEET)}!${letter}$2:${letter}${max(len(laws), 1) + 1}")
    ws.freeze_panes = "A2"


def _guide_sheet(wb: Workbook, lay: L.Layout, edition_name: str, count: int) -> None:
    ws = wb.create_sheet(L.GUIDE_SHEET, 1)
    ws.column_dimensions["A"].width = 110
    lines: list[tuple[str, str]] = [
        ("kb 说明标题", f"工作提示知识库工作簿（{EDITION_NAMES[edition_name]}，{count} 条记录，"
                      f"{datetime.now():%Y-%m-%d %H:%M} 用 kb export --format xlsx 导出）"),
        ("kb 说明正文", "改好以后用 kb import 导入：先加 --dry-run 看会新增和修改什么，确认后再正式导入；"
                     "修改已有记录要加 --update。有任何问题时一个文件都不会写入，每个问题指明工作表和单元格。"),
        ("kb 说明小标题", "怎样填写"),
    ]
    rules = [
        f"每条记录在“{L.RECORDS_SHEET}”工作表占一行。编号是记录的唯一标识（小写字母、数字和连字符，如 idcard-home-visit），"
        "也是文件名和网址的一部分，定下后不要改。",
        "列表（常用叫法、办理依据、办理流程等）各占一个工作表，每行一项，第一列填这一项所属记录的编号；"
        "同一记录的各项按从上到下的顺序排列，中间可以夹着其他记录的行。",
        "“步骤材料”等工作表的“步骤序号”对应“办理流程”工作表中该记录的第几步（按行的先后，从 1 开始）；"
        "“问题序号”“自测题序号”同理对应“常见问题”“培训自测题”中的第几项。"
        "在办理流程中插入或删除一步后，请重新编排这条记录的步骤序号，并相应修改对应的工作表。",
        "红色表头的列必填（可选的整组信息，如办理统计，填了其中一项就要填全）；蓝色表头的列可以留空。选中单元格时会显示这一列的说明。",
        f"有下拉箭头的列只能从列表中选择。领域、难办类型、共性成因、法律依据编号的可选值见“{L.CHOICES_SHEET}”工作表"
        "（它由登记表生成，改它不会改登记表）。",
        "时限：填数字，并在右边“时限单位”中选工作日、自然日或小时；当场办结的，只在“时限单位”中选“即办”，数字和这个时限的其余几列留空。"
        "“时限性质”选法定或承诺：法定的在“时限依据”写规定这个数的条款（写作“法律编号 条款号”，几条之间用“；”隔开，"
        "如 xingzheng-xuke-fa 第四十二条第一款；minfadian 第二百零一条），承诺的可在“承诺文件”写明出处。"
        "“事项”工作表有两个时限：承诺时限（时限单位、时限性质……）和法定办结时限（法定办结时限单位、法定办结时限性质……）。",
        "收费：不收费的，在“事项”工作表的“收费”一列选“不收费”；收费的，这一列留空，在“收费项目”工作表逐项填写"
        "（收费依据条款填在“收费依据条款”工作表，用“收费项目序号”对应）。两处都填是错误。",
        "日期一律写成 2025-04-16 这样的文本（单元格已设为文本格式，请不要改成日期格式）；个案的年月写成 2025-03。",
        "不要合并单元格，不要写公式（粘贴时用“选择性粘贴 → 数值”），不要隐藏、删除或改名工作表，不要修改表头。",
        "单元格前后不要留空格；标题、名称、编号这类短内容不要换行，较长的说明文字可以用 Alt+Enter 换行。",
        "导出时写成“空列表”的字段（YAML 中的 []），在对应工作表中是只有编号的一行；删除这一行即表示没有这一项。",
        "导入只新增和修改记录，不删除记录：在工作簿中删掉一行不会删除 solutions/ 中的文件。",
        f"隐藏的“{baseline.SHEET}”工作表记下了导出时每条记录的内容：导出之后被别人改过的记录，导入时不会被这个工作簿改回去"
        "（会指出来，请重新导出再改）。不要取消隐藏或修改它。",
    ]
    if edition_name == "public":
        rules.append("这是公开版工作簿：不含内部信息、脱敏个案和草稿，只能用来新增记录；修改已有记录请用 "
                     "kb export --format xlsx --edition internal 导出内部版工作簿。")
    lines += [("kb 说明正文", f"{n}. {rule}") for n, rule in enumerate(rules, 1)]
    lines.append(("kb 说明小标题", "各工作表和列"))
    for sheet in lay.sheets:
        lines.append(("kb 说明小标题", f"“{sheet.name}”工作表：{sheet.description}"))
        described = list(sheet.keys) + list(sheet.columns)
        for column in described:
            need = "必填" if column.required else "可选"
            extra = f" 可选：{'、'.join(column.shown_choices)}。" if column.choices else ""
            if column.source in VOCABULARY_NAMES or column.source == "laws":
                extra = f" 从“{L.CHOICES_SHEET}”工作表的列表中选择。"
            lines.append(("kb 说明正文", f"　　{column.header}（{need}）：{column.description}{extra}"))
    for row, (style, text) in enumerate(lines, 1):
        cell = ws.cell(row=row, column=1, value=text)
        cell.style = style


def write_workbook(kb: KnowledgeBase, edition_name: str, out: Path, force: bool = False) -> int:
    """Write the edition's records to ``out`` (.xlsx); returns how many records it holds.

    Raises ExportError when ``out`` exists (unless ``force``) or cannot be written.
    The file appears whole or not at all (written beside it, then renamed).
    """
    out = Path(out)
    if out.exists() and not force:
        raise ExportError(f"{out} 已存在，不会覆盖（可能是改到一半的工作簿）；请换一个文件名，或加 --force 覆盖")
    if out.suffix.lower() != ".xlsx":
        raise ExportError(f"输出文件应以 .xlsx 结尾：{out}")
    records = workbook_records(kb, edition_name)
    lay = L.layout(edition_name == "internal")
    wb = Workbook()
    _styles(wb)
    wb.properties.title = "工作提示知识库"
    wb.properties.creator = "kb export"
    wb.properties.subject = EDITION_NAMES[edition_name]
    per_sheet: dict[str, list[list]] = {s.name: [] for s in lay.sheets}
    for record in records:
        for name, rows in L.rows(lay, record).items():
            per_sheet[name].extend(rows)
    # The 编号 drop-down of the list sheets: every 编号 of the 事项 sheet, the rows a clerk adds
    # below the exported ones included (a fixed range would warn on every row of a new record).
    sheet = quote_sheetname(L.RECORDS_SHEET)
    wb.defined_names[RECORD_IDS] = DefinedName(
        RECORD_IDS, attr_text=f"OFFSET({sheet}!$A$2,0,0,MAX(1,COUNTA({sheet}!$A$2:$A${LAST_ROW})),1)")
    records_range = RECORD_IDS
    for index, sheet in enumerate(lay.sheets):
        ws = wb.active if index == 0 else wb.create_sheet(sheet.name)
        ws.title = sheet.name
        _write_sheet(ws, sheet, per_sheet[sheet.name], records_range)
    _choices_sheet(wb, kb)
    _guide_sheet(wb, lay, edition_name, len(records))
    baseline.write(wb, [r.data for r in Edition(edition_name, kb).records])  # what the files held: see baseline
    wb.active = 0
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        os.close(handle)
        try:
            wb.save(name)
            os.replace(name, out)
        finally:
            Path(name).unlink(missing_ok=True)
    except OSError as exc:
        raise ExportError(f"无法写入 {out}：{exc.strerror or exc}") from None
    return len(records)
