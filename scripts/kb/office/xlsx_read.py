"""Reading a workbook back into records, naming the sheet and cell of every problem.

A workbook is untrusted input, like a YAML file. Before a cell is read the file
itself is checked: at most 10 MB, a real xlsx (not an .xls, a CSV, a Word
document or anything else renamed to .xlsx), not encrypted with a password,
not a zip that unpacks to hundreds of megabytes. Then the sheets: none hidden,
none missing or renamed, headers as exported. Then each cell, for what
spreadsheets do to values: formulas, merged cells, error values, numbers where
text belongs (an 编号 0012 that Excel turned into 12), dates stored as numbers
or as dates where text belongs, full-width digits, stray spaces and line
breaks, a choice that is not on the drop-down list, rows whose 编号 is on no
事项 row. Every problem is collected (never raised) and names its cell:
``kb.xlsx:事项!C12: status: message``.

What the cells hold is assembled into record data with, for each JSON path
(``procedure[2].time_limit.value``), the cell it came from, so that the
record rules of ``kb check`` can be reported at the cell as well
(``xlsx_import``). Which field sits where comes from ``layout``.
"""

from __future__ import annotations

import difflib
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from ..records.privacy import normalise
from ..records.report import WHOLE_FILE, format_path, printable
from . import baseline
from . import layout as L

MAX_BYTES = 10 * 1024 * 1024
#: An xlsx is a zip: refuse one that unpacks to more than this (a "zip bomb").
MAX_UNPACKED = 200 * 1024 * 1024
#: Rows per sheet read at most (a province has a few thousand records, each list a few rows per record).
MAX_ROWS = 200_000

SHEET = "(工作表)"
HEADER = "(表头)"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The main namespace of a workbook saved as "Strict Open XML Spreadsheet" (ISO/IEC 29500 Strict).
_STRICT_NS = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
_ZIP_MAGIC = b"PK\x03\x04"
_SIGNED_INT = re.compile(r"[+-]?[0-9]+")
_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([^\"]+)\"")
#: Merged cells in all sheets at most (each becomes an object when the workbook is opened).
MAX_MERGED = 100_000
_SHEET_STATE = {"hidden": "隐藏", "veryHidden": "深度隐藏（只能在 VBA 编辑器里取消）"}


@dataclass(frozen=True)
class CellProblem:
    """One problem in a workbook, at a cell (``事项!C12``), a row, a sheet or the whole file."""

    file: str
    where: str  # "事项!C12", "事项!1:1", "事项" or "" for the whole file
    field: str
    message: str
    order: tuple = field(default=(), compare=False)  # (sheet index, row, column) for sorting

    def __post_init__(self) -> None:
        object.__setattr__(self, "file", printable(self.file))
        object.__setattr__(self, "where", printable(self.where))
        object.__setattr__(self, "field", printable(self.field) or WHOLE_FILE)
        object.__setattr__(self, "message", printable(self.message))

    def __str__(self) -> str:
        where = f":{self.where}" if self.where else ""
        return f"{self.file}{where}: {self.field}: {self.message}"


def _shown(value: Any, limit: int = 30) -> str:
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


# -- the file ----------------------------------------------------------------------------------------

def _file_problem(raw: bytes) -> str | None:
    """Why ``raw`` is not an xlsx workbook this reader may open, or None."""
    if raw.startswith(_OLE_MAGIC):
        # An OLE compound file: an old .xls (a "Workbook"/"Book" stream), or an xlsx
        # encrypted with a password (Office wraps it in "EncryptionInfo" + "EncryptedPackage").
        if "EncryptedPackage".encode("utf-16-le") in raw or "EncryptionInfo".encode("utf-16-le") in raw:
            return ("工作簿设有打开密码（已加密），无法读取：请在 Excel/WPS 中打开，"
                    "在“文件 → 信息 → 保护工作簿 → 用密码进行加密”（WPS：“文件 → 文档加密”）中清除密码后另存，再导入")
        if "Workbook".encode("utf-16-le") in raw or "Book".encode("utf-16-le") in raw:
            return "是旧版 Excel 97-2003 工作簿（.xls），不是 .xlsx：请在 Excel/WPS 中“另存为 → Excel 工作簿（*.xlsx）”后再导入"
        return "是 Office 97-2003 格式的文件（不是 .xlsx 工作簿）：请另存为 Excel 工作簿（*.xlsx）后再导入"
    if not raw.startswith(_ZIP_MAGIC):
        if not raw:
            return "文件是空的（0 字节），不是 xlsx 工作簿"
        if raw.startswith(b"%PDF"):
            return "是 PDF 文件，不是 xlsx 工作簿"
        head = raw[:4096]
        try:
            text = head.decode("utf-8") if not head.startswith(b"\xff\xfe") else head.decode("utf-16")
        except UnicodeDecodeError:
            try:
                text = head.decode("gb18030")
            except UnicodeDecodeError:
                text = None
        if text is not None and ("," in text or "\t" in text or "\n" in text):
            if text.lstrip().startswith("<"):
                return "是网页或 XML 文本（可能是“另存为网页”或改了扩展名），不是 xlsx 工作簿：请另存为 Excel 工作簿（*.xlsx）"
            return "是纯文本（CSV 或制表符分隔的文本），不是 xlsx 工作簿：CSV 会丢掉下拉列表和文本格式，请用 kb export --format xlsx 导出的工作簿编辑"
        return "不是 xlsx 工作簿（文件内容不是 Excel 的格式，可能是其他文件改了扩展名）"
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return "文件已损坏（不是完整的 xlsx 压缩包），请重新保存或重新导出"
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            return "是 Word 文档（.docx）改了扩展名，不是 xlsx 工作簿"
        if "ppt/presentation.xml" in names:
            return "是 PowerPoint 演示文稿改了扩展名，不是 xlsx 工作簿"
        if "content.xml" in names and "mimetype" in names:
            return "是 OpenDocument 表格（.ods）或其他 ODF 文件，不是 xlsx：请另存为 Excel 工作簿（*.xlsx）"
        return "是 zip 压缩包，但不是 xlsx 工作簿（可能是其他文件改了扩展名）"
    if unpacked > MAX_UNPACKED:
        return f"解压后过大（{unpacked:,} 字节，上限 {MAX_UNPACKED:,} 字节），不予读取"
    if _STRICT_NS in archive.read("xl/workbook.xml")[:8192]:
        # openpyxl reads only the usual ("transitional") form: every sheet would look missing.
        return ("是以“Strict Open XML 电子表格”格式保存的工作簿，导入读不了这种格式：请在 Excel 中打开，"
                "“文件 → 另存为”，保存类型选“Excel 工作簿 (*.xlsx)”（WPS 选“Excel 文件 (*.xlsx)”）后再导入")
    if "xl/vbaProject.bin" in names:
        return "含有宏（VBA）：请另存为不含宏的 Excel 工作簿（*.xlsx）后再导入"
    merged = 0
    for name in names:
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            for ref in _MERGE_REF.findall(archive.read(name)):
                try:
                    low_col, low_row, high_col, high_row = range_boundaries(ref.decode("ascii", "replace"))
                except (ValueError, TypeError):
                    continue
                merged += (high_row - low_row + 1) * (high_col - low_col + 1)
    if merged > MAX_MERGED:
        # openpyxl makes an object for every merged cell: a merge of whole columns would never finish.
        return f"合并单元格的范围过大（共 {merged:,} 个单元格），不予读取：请取消合并后再导入"
    return None


# -- cells -------------------------------------------------------------------------------------------

def _ref(sheet: str, row: int, column: int) -> str:
    return f"{sheet}!{get_column_letter(column)}{row}"


class _Refused(Exception):
    """A cell whose value cannot be used; the message says why (``silent``: already reported)."""

    def __init__(self, message: str = "", silent: bool = False):
        super().__init__(message)
        self.silent = silent


def _stray_space(text: str, one_line: bool) -> str | None:
    """Why the spacing of a cell is a slip, or None.

    A multi-line text may end with line breaks: that is how a YAML block (``|``)
    is read, so a record written that way survives the round trip.
    """
    if not text.strip():
        return "只有空格，没有内容：请清空这个单元格或填写内容"
    if one_line and ("\n" in text or "\r" in text):
        return f"“{_shown(text.strip())}”中有换行（Alt+Enter），这一项只能写一行，请删除换行"
    if text[0].isspace():
        kind = "换行" if text[0] in "\r\n" else "空格"
        return f"“{_shown(text.strip())}”开头有多余的{kind}，请删除"
    body = text.rstrip("\n")
    if body != body.rstrip():
        return f"“{_shown(text.strip())}”末尾有多余的空格，请删除"
    return None


def _full_width(text: str) -> str:
    """The first digit or Latin letter typed in full width (０１２, ａｂｃ), or ""."""
    return next((c for c in text if "\uff10" <= c <= "\uff19" or "\uff21" <= c <= "\uff3a" or "\uff41" <= c <= "\uff5a"), "")


def _as_date(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else None
    if isinstance(value, date):
        return value.isoformat()
    return None


def _excel_serial(value: float) -> str:
    try:
        day = from_excel(value)
    except (ValueError, OverflowError, TypeError):
        return ""
    shown = _as_date(day) if isinstance(day, datetime) else None
    return f"，相当于 {shown}" if shown and 1900 < day.year < 2200 else ""


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def read_cell(column: L.Column, value: Any) -> Any:
    """The record value of one non-empty cell; raises _Refused with the reason."""
    kind = column.kind
    if isinstance(value, timedelta) or isinstance(value, time):
        raise _Refused(f"单元格里是时间（{value}），不是{_kind_name(column)}：请把单元格设为“文本”格式后重新输入")
    if kind == L.TEXT:
        return _read_text(column, value)
    if kind in (L.INTEGER, L.TIME_VALUE):
        return _read_integer(column, value)
    if kind == L.NUMBER:
        return _read_number(column, value)
    if kind == L.JOINED:
        return _read_joined(column, value)
    if kind == L.DATE:
        return _read_date(column, value)
    return _read_choice(column, value)  # CHOICE, TIME_UNIT, BOOLEAN, CONST


def _kind_name(column: L.Column) -> str:
    return {L.TEXT: "文本", L.JOINED: "文本", L.INTEGER: "整数", L.TIME_VALUE: "整数", L.NUMBER: "数字",
            L.DATE: "日期"}.get(column.kind, "选项")


def _read_text(column: L.Column, value: Any) -> str:
    if isinstance(value, bool):
        raise _Refused(f"应为文本，单元格里是逻辑值 {'TRUE' if value else 'FALSE'}：请把单元格设为“文本”格式后重新输入")
    if isinstance(value, (int, float)):
        hint = ("Excel 会把 0012 这样的编号存成数字 12，去掉开头的 0；" if column.spec.get("pattern") else "")
        raise _Refused(f"应为文本，单元格里是数字 {_number_text(value)}：{hint}请把单元格设为“文本”格式"
                       "（或在开头加英文单引号 '）后重新输入")
    if isinstance(value, (datetime, date)):
        shown = _as_date(value) or value.isoformat(sep=" ")
        raise _Refused(f"应为文本，Excel 把这里的内容当成了日期 {shown}：请把单元格设为“文本”格式后重新输入")
    if not isinstance(value, str):
        raise _Refused(f"无法识别的单元格内容（{type(value).__name__}）")
    problem = _stray_space(value, column.one_line)
    if problem:
        raise _Refused(problem)
    pattern = column.spec.get("pattern")
    if pattern and _full_width(value) and re.fullmatch(pattern.strip("^$"), normalise(value)):
        raise _Refused(f"“{_shown(value)}”含有全角字符“{_full_width(value)}”，请改为半角：{_shown(normalise(value))}")
    return value


def _read_integer(column: L.Column, value: Any) -> Any:
    if isinstance(value, bool):
        raise _Refused(f"应为整数，单元格里是逻辑值 {'TRUE' if value else 'FALSE'}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _Refused(f"应为整数，单元格里是 {value}")
    if isinstance(value, (datetime, date)):
        shown = _as_date(value) or value.isoformat(sep=" ")
        raise _Refused(f"应为整数，Excel 把这里的内容当成了日期 {shown}：请把单元格设为“常规”格式后重新输入数字")
    if isinstance(value, str):
        problem = _stray_space(value, True)
        if problem:
            raise _Refused(problem)
        if _full_width(value) and _SIGNED_INT.fullmatch(normalise(value)):
            raise _Refused(f"“{value}”是全角数字，请改为半角数字 {normalise(value)}")
        if _SIGNED_INT.fullmatch(value) and len(value) < 12:
            return int(value)  # a number stored as text: unambiguous
        if column.kind == L.TIME_VALUE and column.const and value == column.const:
            raise _Refused(f"“{value}”请在“时限单位”一列选择，这一列留空")
        return value  # the schema says "应为整数，实际为文本“五”"
    raise _Refused(f"无法识别的单元格内容（{type(value).__name__}）")


_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def _read_number(column: L.Column, value: Any) -> Any:
    """A number (an amount: 80, 0.5); a number typed as text is read as the number it shows."""
    if isinstance(value, bool):
        raise _Refused(f"应为数字，单元格里是逻辑值 {'TRUE' if value else 'FALSE'}")
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            raise _Refused(f"应为数字，单元格里是 {value}")
        return value
    if isinstance(value, (datetime, date)):
        shown = _as_date(value) or value.isoformat(sep=" ")
        raise _Refused(f"应为数字，Excel 把这里的内容当成了日期 {shown}：请把单元格设为“常规”格式后重新输入数字")
    if isinstance(value, str):
        problem = _stray_space(value, True)
        if problem:
            raise _Refused(problem)
        if _full_width(value) and _DECIMAL.fullmatch(normalise(value)):
            raise _Refused(f"“{value}”是全角数字，请改为半角数字 {normalise(value)}")
        if _DECIMAL.fullmatch(value) and len(value) < 16:
            return int(value) if _SIGNED_INT.fullmatch(value) else float(value)
        if value.endswith("元") and _DECIMAL.fullmatch(value[:-1]):
            raise _Refused(f"“{value}”：这一列只写数字 {value[:-1]}，单位写在“计费单位”一列")
        return value  # the schema says "应为数字，实际为文本"
    raise _Refused(f"无法识别的单元格内容（{type(value).__name__}）")


def _read_joined(column: L.Column, value: Any) -> list:
    """Several short texts in one cell (a time limit's 时限依据), separated by "；"."""
    text = _read_text(column, value)
    parts = [p.strip() for p in re.split(f"[{L.SEPARATORS}]", text.strip())]
    if any(not p for p in parts):
        raise _Refused(f"“{_shown(text)}”中有空的一项（两个“{L.JOIN}”之间或开头、末尾没有内容）：几项之间用一个“{L.JOIN}”隔开")
    return parts


def _read_date(column: L.Column, value: Any) -> str:
    if isinstance(value, bool):
        raise _Refused(f"应为日期 YYYY-MM-DD，单元格里是逻辑值 {'TRUE' if value else 'FALSE'}")
    if isinstance(value, (datetime, date)):
        shown = _as_date(value)
        if shown is None:
            raise _Refused(f"日期里带有时间（{value.isoformat(sep=' ')}），只写日期 YYYY-MM-DD")
        return shown
    if isinstance(value, (int, float)):
        raise _Refused(f"日期被存成了数字 {_number_text(value)}（Excel 的日期序号{_excel_serial(value)}）："
                       "请把单元格设为“文本”格式，写成 YYYY-MM-DD，如 2025-04-16")
    if isinstance(value, str):
        problem = _stray_space(value, True)
        if problem:
            raise _Refused(problem)
        if _full_width(value):
            raise _Refused(f"“{_shown(value)}”含有全角数字“{_full_width(value)}”，请改为半角：{_shown(normalise(value))}")
        return value  # the schema's date rule names what is wrong with "2025/4/16"
    raise _Refused(f"无法识别的单元格内容（{type(value).__name__}）")


def _read_choice(column: L.Column, value: Any) -> Any:
    if column.kind == L.BOOLEAN and isinstance(value, bool):
        return value
    allowed = "、".join(column.shown_choices)
    if isinstance(value, str):
        problem = _stray_space(value, True)
        if problem:
            raise _Refused(problem)
        for text, choice in column.choices:
            if value == text or (isinstance(choice, str) and value == choice):
                return choice
        close = difflib.get_close_matches(value, column.shown_choices, n=1, cutoff=0.5)
        hint = f"，是否应为“{close[0]}”？" if close else ""
        raise _Refused(f"“{_shown(value)}”不是可选值{hint}（可选：{allowed}，请从下拉列表中选择）")
    raise _Refused(f"应从下拉列表中选择（可选：{allowed}），单元格里是 {_shown(_number_text(value))}")


# -- the workbook ------------------------------------------------------------------------------------

@dataclass
class Record:
    """One record as read from the workbook, and the cell of each of its values."""

    data: dict
    row: int  # its row on the 事项 sheet
    cells: dict = field(default_factory=dict)  # JSON path tuple -> cell ref
    refused: set = field(default_factory=set)  # JSON paths whose cell was refused (already reported)
    lists: dict = field(default_factory=dict)  # list path tuple -> sheet name, for hints
    usable: bool = True  # False: no usable 编号, so its rows cannot be told apart: not checked further

    @property
    def id(self) -> Any:
        return self.data.get("id")

    @property
    def id_cell(self) -> str:
        return self.cells[("id",)]


@dataclass
class Workbook:
    display: str
    internal: bool = True
    records: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    sheet_order: dict = field(default_factory=dict)  # sheet name -> index, for sorting
    #: False when a sheet or header is missing, renamed or extra: what the rows mean is then unsure,
    #: so the records are not checked further (their cells are, and every structural problem is named).
    structure_ok: bool = True
    #: id -> (fingerprint, field fingerprints) of each record when the workbook was exported;
    #: None for a workbook from before kb export wrote them (see baseline).
    base: dict | None = None

    def problem(self, where: str, field_: str, message: str, order: tuple = ()) -> None:
        self.problems.append(CellProblem(self.display, where, field_, message, order))

    @property
    def readable(self) -> bool:
        """False when the file could not be opened at all (then no record was read)."""
        return not any(p.where == "" for p in self.problems)


def _set(data: dict, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value


class _SheetReader:
    """Reads one sheet's rows into (row number, {column: value}) with every cell problem reported."""

    def __init__(self, book: Workbook, ws, sheet: L.Sheet, index: int):
        self.book, self.ws, self.sheet, self.index = book, ws, sheet, index
        self.columns: dict[int, L.Column] = {}  # worksheet column number -> layout column
        self.col_of: dict[L.Column, int] = {}  # and back

    def where(self, row: int, col: int) -> str:
        return _ref(self.sheet.name, row, col)

    def report(self, row: int, col: int, field_: str, message: str) -> None:
        self.book.problem(self.where(row, col), field_, message, (self.index, row, col))

    def headers(self) -> bool:
        """Map header cells to layout columns; False when the sheet cannot be read."""
        sheet = self.sheet
        expected = {h: c for h, c in zip(sheet.headers, self._all_columns())}
        seen: dict[str, int] = {}
        ok = True
        header_cells = self._grid().get(1, {})
        used = sorted(set(header_cells) | {c for r, cells in self._grid().items() if r > 1 for c in cells})
        for col in used:
            cell = header_cells.get(col)
            value = cell.value if cell is not None else None
            if value is None or (isinstance(value, str) and not value.strip()):
                if self.column_has_data(col):
                    self.report(1, col, HEADER, "这一列有内容但没有表头：请填写表头（见“说明”工作表），或删除这一列")
                    ok = False
                continue
            text = str(value)
            name = text.strip()
            if name not in expected:
                close = difflib.get_close_matches(name, [h for h in expected if h not in seen], n=1, cutoff=0.4)
                hint = f"，是否应为“{close[0]}”？" if close else f"。本工作表的列：{'、'.join(sheet.headers)}"
                self.report(1, col, HEADER, f"未知的列“{_shown(text)}”{hint}（表头要与导出时一致，不要改名或增加列）")
                ok = False
                continue
            if text != name:
                self.report(1, col, HEADER, f"表头“{_shown(text)}”前后有多余的空格，请删除")
                ok = False
            if name in seen:
                self.report(1, col, HEADER, f"列“{name}”重复（第 {get_column_letter(seen[name])} 列已有）")
                ok = False
                continue
            seen[name] = col
            self.columns[col] = expected[name]
            self.col_of[expected[name]] = col
        missing = [h for h in sheet.headers if h not in seen]
        if missing:
            self.book.problem(f"{sheet.name}!1:1", HEADER, f"缺少列：{'、'.join(missing)}（不要删除或改名表头）",
                              (self.index, 1, 0))
            ok = False
        return ok

    def _all_columns(self) -> list[L.Column]:
        sheet = self.sheet
        out = list(sheet.keys)
        if sheet.index_header:
            out.append(L.Column(sheet.index_header, ("#",), L.INTEGER, {"type": "integer", "minimum": 1}))
        return out + list(sheet.columns)

    def merged(self) -> None:
        self.covered = set()
        for merged in self.ws.merged_cells.ranges:
            rows_ = range(merged.min_row, min(merged.max_row, self.ws.max_row) + 1)  # a merge of a whole column
            cols = range(merged.min_col, min(merged.max_col, self.ws.max_column) + 1)  # covers only rows that exist
            self.covered |= {(r, c) for r in rows_ for c in cols} - {(merged.min_row, merged.min_col)}
        for merged in sorted(self.ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
            column = self.columns.get(merged.min_col)
            field_ = format_path(column.path) if column and column.path and column.path != ("#",) else (
                column.header if column else SHEET)
            self.book.problem(f"{self.sheet.name}!{merged.coord}", field_,
                              "是合并单元格：请取消合并，每个单元格各自填写（合并后只保留左上角单元格的内容，其余内容会丢失）",
                              (self.index, merged.min_row, merged.min_col))

    def _grid(self) -> dict[int, dict[int, Any]]:
        """Row -> column -> cell, for the cells the file has (openpyxl's own iteration would make every
        cell of the used range, millions for one stray value in row 1,048,576)."""
        if not hasattr(self, "grid"):
            self.grid: dict[int, dict[int, Any]] = {}
            for (row, col), cell in self.ws._cells.items():  # openpyxl's cell store; no public view of it
                self.grid.setdefault(row, {})[col] = cell
        return self.grid

    def column_has_data(self, col: int) -> bool:
        return any(r > 1 and col in cells and cells[col].value not in (None, "") for r, cells in self._grid().items())

    def rows(self):
        """Yield (row number, {layout column: value or _Refused}) for every row that is not empty."""
        grid = self._grid()
        numbers = sorted(r for r in grid if r > 1)
        if len(numbers) > MAX_ROWS:
            self.book.problem(self.sheet.name, SHEET, f"行数过多（{len(numbers):,} 行，上限 {MAX_ROWS:,} 行）",
                              (self.index, 0, 0))
            numbers = numbers[:MAX_ROWS]
        columns = sorted(self.columns.items())
        for number in numbers:
            cells = grid[number]
            values = {}
            for col, column in columns:
                if (number, col) in self.covered:
                    values[column] = _Refused(silent=True)  # under a merged cell: reported with the merge
                    continue
                cell = cells.get(col)
                value = cell.value if cell is not None else None
                if value is None or value == "":
                    continue
                if cell.data_type == "f" or isinstance(value, (ArrayFormula, DataTableFormula)):
                    text = value.text if isinstance(value, (ArrayFormula, DataTableFormula)) else value
                    values[column] = _Refused(
                        f"是公式“{_shown(text or '', 40)}”：导入只读取填写的内容，不计算公式；请把公式换成它的结果"
                        "（复制后“选择性粘贴 → 数值”）")
                elif cell.data_type == "e":
                    values[column] = _Refused(f"是错误值 {value}：请改正公式或改为填写内容")
                else:
                    try:
                        values[column] = read_cell(column, value)
                    except _Refused as refused:
                        values[column] = refused
            if any(not (isinstance(v, _Refused) and v.silent) for v in values.values()):
                yield number, values


def read_workbook(path: Path | str, display: str | None = None) -> Workbook:
    """Read the workbook at ``path``. Never raises for bad content: problems are collected."""
    path = Path(path)
    book = Workbook(display if display is not None else str(path))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            book.problem("", WHOLE_FILE, f"文件过大（{size:,} 字节），工作簿不得超过 10 MB（{MAX_BYTES:,} 字节）")
            return book
        raw = path.read_bytes()
    except (OSError, RuntimeError) as exc:
        reason = "没有读取权限" if isinstance(exc, PermissionError) else getattr(exc, "strerror", None) or exc
        book.problem("", WHOLE_FILE, f"无法读取文件：{reason}")
        return book
    return read_bytes(raw, book)


def read_bytes(raw: bytes, book: Workbook) -> Workbook:
    if len(raw) > MAX_BYTES:
        book.problem("", WHOLE_FILE, f"文件过大，工作簿不得超过 10 MB（{MAX_BYTES:,} 字节）")
        return book
    problem = _file_problem(raw)
    if problem:
        book.problem("", WHOLE_FILE, problem)
        return book
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(raw), data_only=False, rich_text=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file  # noqa: BLE001
        book.problem("", WHOLE_FILE, f"无法读取工作簿（文件可能已损坏）：{_shown(str(exc) or type(exc).__name__, 80)}")
        return book
    try:
        _Reader(book, wb).read()
    except Exception as exc:  # a workbook shaped in a way nobody foresaw must still not end in a traceback  # noqa: BLE001
        book.problem("", WHOLE_FILE, f"读取工作簿时出错（{type(exc).__name__}：{_shown(str(exc), 80)}），"
                                     "没有导入任何内容；请把这个文件交给维护人员")
    return book


class _Reader:
    def __init__(self, book: Workbook, wb):
        self.book, self.wb = book, wb

    def read(self) -> None:
        book, wb = self.book, self.wb
        full, public = L.layout(True), L.layout(False)
        only_sheets, only_headers = L.internal_only(full, public)
        names = self.names = [ws.title for ws in wb.worksheets]
        for chart in wb.chartsheets:
            book.problem(chart.title, SHEET, f"“{_shown(chart.title)}”是图表工作表，不是表格：导入只读表格，请删除它",
                         (len(wb.sheetnames), 0, 0))
            book.structure_ok = False
        first_row = set()
        if L.RECORDS_SHEET in names:
            first_row = {str(c.value).strip() for c in wb[L.RECORDS_SHEET][1] if c.value is not None}
        book.internal = bool(only_sheets & set(names) or only_headers & first_row)
        lay = full if book.internal else public
        known = lay.names + [L.GUIDE_SHEET, L.CHOICES_SHEET, baseline.SHEET]
        book.sheet_order = {name: i for i, name in enumerate(known)}
        unknown = [n for n in names if n not in known]
        missing = [n for n in lay.names if n not in names]
        for name in unknown:
            index = names.index(name)
            close = difflib.get_close_matches(name.strip(), missing, n=1, cutoff=0.3)
            if name.strip() in known:
                hint = f"：工作表名前后有多余的空格，请改为“{name.strip()}”"
            elif close:
                hint = f"：是否由“{close[0]}”改名而来？请改回原名"
            else:
                hint = f"：导入只认这些工作表：{'、'.join(lay.names)}；请删除这个工作表或把内容移到对应的工作表"
            book.problem(name, SHEET, f"未知的工作表“{_shown(name)}”{hint}", (len(known) + index, 0, 0))
        book.structure_ok = book.structure_ok and not unknown and not missing
        for name in missing:
            book.problem(name, SHEET, f"缺少工作表“{name}”：不要删除或改名导出的工作表（没有内容时保留表头即可）",
                         (book.sheet_order[name], 0, 0))
        if baseline.SHEET in names:
            book.base, damaged = baseline.read(wb[baseline.SHEET])
            for message in damaged:
                book.problem(baseline.SHEET, SHEET, message, (book.sheet_order[baseline.SHEET], 0, 0))
        for ws in wb.worksheets:
            if ws.sheet_state != "visible" and ws.title != baseline.SHEET:  # kb export hides that one itself
                book.problem(ws.title, SHEET, f"工作表“{_shown(ws.title)}”被{_SHEET_STATE.get(ws.sheet_state, '隐藏')}："
                             "导入前请取消隐藏并确认其中的内容（隐藏的内容同样会被导入）",
                             (book.sheet_order.get(ws.title, len(known)), 0, 0))
        if L.RECORDS_SHEET not in names:
            return
        self.lay = lay
        self.read_sheets()

    def read_sheets(self) -> None:
        book, wb, lay = self.book, self.wb, self.lay
        by_id: dict[str, Record] = {}
        readers = {}
        for sheet in lay.sheets:
            if sheet.name not in self.names:
                continue
            reader = _SheetReader(book, wb[sheet.name], sheet, book.sheet_order[sheet.name])
            ok = reader.headers()
            book.structure_ok = book.structure_ok and ok
            reader.merged()
            readers[sheet.name] = (reader, ok)
        records_reader, ok = readers[L.RECORDS_SHEET]
        self.records_reader = records_reader
        self.conflicted: set = set()  # (编号, sheet) of lists not read because their constant was filled too
        if not ok:
            return
        ids_seen: dict[str, int] = {}
        for number, values in records_reader.rows():
            record = self._record(records_reader, number, values)
            if record is None:
                continue
            rid = record.id
            if rid is None and ("id",) not in record.refused:
                records_reader.report(number, 1, "id", "缺少编号：每条记录都要有编号（小写字母、数字和连字符，如 idcard-home-visit）")
            if not isinstance(rid, str):
                record.usable = False
            else:
                if rid in ids_seen:
                    records_reader.report(number, 1, "id", f"编号“{_shown(rid)}”在第 {ids_seen[rid]} 行已经出现过：每条记录只占一行")
                    continue
                ids_seen[rid] = number
                by_id[rid] = record
            book.records.append(record)
        steps: dict[tuple, int] = {}
        self.unknown: dict[str, list] = {}  # 编号 on no 事项 row -> (reader, row, column) of each use
        for sheet in lay.sheets[1:]:
            if sheet.name not in readers or (sheet.parent and not readers.get(sheet.parent, (None, False))[1]):
                continue  # missing, or its parent list is (its 步骤序号 would point nowhere)
            reader, ok = readers[sheet.name]
            if ok:
                self._list(reader, by_id, steps)
        for rid, uses in self.unknown.items():  # one line per unknown 编号, at its first use
            reader, number, col = uses[0]
            sheets = list(dict.fromkeys(r.sheet.name for r, _, _ in uses))
            more = (f"（共 {len(uses)} 行用了这个编号，在{'、'.join(f'“{n}”' for n in sheets)}工作表）"
                    if len(uses) > 1 else "")
            reader.report(number, col, "id", f"编号“{_shown(rid)}”不在“{L.RECORDS_SHEET}”工作表中{more}："
                          f"先在“{L.RECORDS_SHEET}”工作表添加这条记录，或改正编号")

    def _record(self, reader: _SheetReader, number: int, values: dict) -> Record | None:
        record = Record({}, number)
        sheet = reader.sheet
        record.cells[("id",)] = record.cells[()] = reader.where(number, self._col(reader, sheet.columns[0]))
        self._fill(reader, record, (), number, values, record.data)
        return record

    @staticmethod
    def _col(reader: _SheetReader, column: L.Column) -> int:
        return reader.col_of.get(column, 1)

    def _fill(self, reader: _SheetReader, record: Record, prefix: tuple, number: int, values: dict, item: dict) -> None:
        """Put one row's values into ``item`` (at JSON path ``prefix``), noting each value's cell."""
        times: dict[tuple, dict] = {}
        for column in reader.sheet.columns:
            where = reader.where(number, self._col(reader, column))
            path = prefix + column.path
            for depth in range(len(prefix) + 1, len(path) + 1):
                record.cells.setdefault(path[:depth], where)
            value = values.get(column)
            if column.limit is not None:
                times.setdefault(column.limit, {})[column] = (value, where)
                continue
            if isinstance(value, _Refused):
                self._refuse(reader, record, path, value, number, column)
                continue
            if value is not None:
                if column.path == ():
                    raise AssertionError("a list of texts is read by _list")  # pragma: no cover
                _set(item, column.path, value)
        for local, parts in times.items():
            self._time_limit(reader, record, prefix + local, local, parts, number, item)

    def _refuse(self, reader, record: Record, path: tuple, refused: _Refused, number: int, column: L.Column) -> None:
        record.refused.add(path)
        if not refused.silent:
            reader.report(number, self._col(reader, column), format_path(path), str(refused))

    def _time_limit(self, reader, record: Record, path: tuple, local: tuple, parts: dict, number: int,
                    item: dict) -> None:
        """The cells of one time limit (value, unit, 时限性质, 时限依据, 承诺文件) into 即办 or a mapping."""
        unit_column = next(c for c in parts if c.kind == L.TIME_UNIT)
        record.cells[path] = parts[unit_column][1]
        inner = {column: column.path[len(local):] for column in parts}  # where each part sits in the limit
        bad = False
        for column, (cell_value, where) in parts.items():
            if isinstance(cell_value, _Refused):
                self._refuse(reader, record, path + inner[column], cell_value, number, column)
                bad = True
            elif column.kind == L.JOINED and cell_value is not None:
                for index in range(len(cell_value)):
                    record.cells[path + inner[column] + (index,)] = where
        if bad:
            record.refused.add(path)
            return
        filled = {column: v for column, (v, _) in parts.items() if v is not None}
        if not filled:
            return
        if filled.get(unit_column) == unit_column.const:
            others = [column for column in filled if column is not unit_column]
            if others:
                record.refused.add(path)
                for column in others:
                    reader.report(number, self._col(reader, column), format_path(path + inner[column]),
                                  f"{unit_column.header}选了“{unit_column.const}”，这一列应留空")
                return
            _set(item, local, unit_column.const)
            return
        whole: dict = {}
        for column, value in filled.items():  # in the schema's order, as the columns are
            _set(whole, inner[column], value)
        _set(item, local, whole)

    def _list(self, reader: _SheetReader, by_id: dict, steps: dict) -> None:
        sheet = reader.sheet
        key_col = self._col(reader, sheet.keys[0])
        id_column = sheet.keys[0]
        index_col = next((c for c, col in reader.columns.items() if col.header == sheet.index_header), None)
        parent_col = next((c for c, col in reader.columns.items() if sheet.nested and col.header == sheet.keys[1].header), None)
        groups: dict[tuple, list] = {}
        for number, values in reader.rows():
            values = dict(values)
            rid = values.pop(id_column, None)
            if rid is None:
                reader.report(number, key_col, "id", f"缺少编号：这一行属于哪条记录？请填写“{L.RECORDS_SHEET}”工作表中的编号")
                continue
            if isinstance(rid, _Refused):
                reader.report(number, key_col, "id", str(rid))
                continue
            record = by_id.get(rid)
            if record is None:
                self.unknown.setdefault(rid, []).append((reader, number, key_col))
                continue
            parent_no = None
            if sheet.nested and (rid, sheet.parent) in self.conflicted:
                continue  # its parent rows are reported with the constant they clash with
            if sheet.nested:
                parent_column = sheet.keys[1]
                parent_no = values.pop(parent_column, None)
                if parent_no is None or isinstance(parent_no, _Refused) or not isinstance(parent_no, int):
                    message = str(parent_no) if isinstance(parent_no, _Refused) else (
                        f"缺少{parent_column.header}" if parent_no is None else f"{parent_column.header}应为整数")
                    reader.report(number, parent_col, parent_column.header, message)
                    continue
                if (rid, parent_no) not in steps:
                    reader.report(number, parent_col, parent_column.header,
                                  f"“{sheet.parent}”工作表中没有编号为“{_shown(rid)}”、{parent_column.header}为 {parent_no} 的行")
                    continue
            index = None
            if sheet.index_header:
                index = next((values.pop(c) for c in list(values) if c.header == sheet.index_header), None)
            groups.setdefault((rid, parent_no), []).append((number, values, index))
        for (rid, parent_no), rows_ in groups.items():
            self._items(reader, by_id[rid], parent_no, rows_, steps, index_col)

    def _both(self, reader, record: Record, path: tuple, const: str, rows_: list) -> None:
        """A field that is a constant or a list, filled both ways: one problem at the constant's cell."""
        where = record.cells[path]
        sheet, cell = where.split("!", 1)
        column = next(c for c in self.lay.records.columns if c.path == path)
        first = reader.where(rows_[0][0], self._col(reader, reader.sheet.keys[0]))
        rows_text = "、".join(str(n) for n, _, _ in rows_[:5]) + ("等" if len(rows_) > 5 else "")
        record.refused.add(path)
        self.conflicted.add((record.id, reader.sheet.name))
        self.book.problem(where, format_path(path), (
            f"“{column.header}”填了“{const}”，“{reader.sheet.name}”工作表又为这条记录列了{reader.sheet.item_label}"
            f"（第 {rows_text} 行，{first}）：两处只能填一处——是“{const}”的，删去“{reader.sheet.name}”中这些行；"
            f"不是的，清空 {cell} 这个单元格"),
            (self.book.sheet_order.get(sheet, 0), record.row, self._col(self.records_reader, column)))

    def _items(self, reader, record: Record, parent_no, rows_: list, steps: dict, index_col) -> None:
        sheet = reader.sheet
        if sheet.nested:
            parent_path = sheet.list_path[:-1]
            parent_items = L.get(record.data, parent_path)
            parent_item = parent_items[steps[(record.id, parent_no)]]
            path = parent_path + (steps[(record.id, parent_no)], sheet.list_path[-1])
            container, name = parent_item, sheet.list_path[-1]
        else:
            path = sheet.list_path
            container = record.data
            for part in path[:-1]:
                container = container.setdefault(part, {})
            name = path[-1]
            if isinstance(container.get(name), str):  # the constant of "a constant or a list" (收费: 不收费)
                self._both(reader, record, path, container[name], rows_)
                return
        record.lists[path] = sheet.name
        first_where = reader.where(rows_[0][0], self._col(reader, sheet.keys[0]))
        record.cells.setdefault(path, first_where)
        for depth in range(1, len(path)):
            record.cells.setdefault(path[:depth], first_where)
        markers = [(n, v, i) for n, v, i in rows_ if not v and i is None]
        if markers and len(markers) == len(rows_) == 1:
            container[name] = []
            return
        for number, _, _ in markers:
            reader.report(number, self._col(reader, sheet.keys[0]), format_path(path),
                          "这一行只有编号，没有内容：请删除这一行，或填写内容")
        items = []
        dropped = False
        for number, values, index in [r for r in rows_ if r not in markers]:
            position = len(items)
            item_path = path + (position,)
            record.cells[item_path] = reader.where(number, self._col(reader, sheet.keys[0]))
            if sheet.index_header:
                expected = position + 1
                if isinstance(index, _Refused):
                    reader.report(number, index_col, sheet.index_header, str(index))
                elif index is not None and index != expected:
                    children = "、".join(f"“{s.name}”" for s in self.lay.sheets if s.parent == sheet.name)
                    reader.report(number, index_col, sheet.index_header,
                                  f"应为 {expected}：这是编号“{_shown(record.id)}”的第 {expected} 个{sheet.item_label}"
                                  f"（按本工作表中行的先后）；插入或删除{sheet.item_label}后请重新编排{sheet.index_header}，"
                                  f"并相应修改{children}工作表")
                steps[(record.id, expected)] = position
            if sheet.texts:
                column = sheet.columns[0]
                value = values.get(column)
                where = reader.where(number, self._col(reader, column))
                record.cells[item_path] = where
                if isinstance(value, _Refused):
                    self._refuse(reader, record, item_path, value, number, column)
                    dropped = True
                    continue
                items.append(value)
            else:
                item: dict = {}
                items.append(item)
                self._fill(reader, record, item_path, number, values, item)
        if dropped:
            record.refused.add(path)
        container[name] = items
