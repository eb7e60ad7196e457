"""Reading a ledger file as it is: the header, and each row's raw cells with where they are.

An ``.xlsx`` workbook must have a sheet named 台账; a ``.csv`` must be UTF-8 (with or without
the byte-order mark Excel's "CSV UTF-8" writes). The kind is told by the content, not the name:
a GBK CSV (what Excel's plain "CSV" and Notepad's "ANSI" write) is named as such with how to save
it as UTF-8; a Word document, PDF, old .xls or anything else is refused as "not a spreadsheet"
(the workbook checks of ``kb.office.xlsx_read``). Nothing is interpreted here: ``check`` does that.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..office.cells import CellProblem
from ..office.xlsx_file import _file_problem
from ..records.report import WHOLE_FILE

SHEET = "台账"
HEADER = "(表头)"
COLUMNS = ("编号", "受理日期", "诉求摘要", "诉求人类型", "领域", "涉及部门", "成因", "处置类型", "答复日期", "办结日期",
           "结果", "一类事编号", "窗口")
#: A ledger file at most (a province's year in CSV is about 20 MB).
MAX_LEDGER_BYTES = 100 * 1024 * 1024
#: Rows read at most from one file.
MAX_ROWS = 500_000

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


@dataclass
class Row:
    """One row of the ledger: its cells by column name, and its row number (CSV: line number)."""

    number: int
    cells: dict
    raw: list = field(default_factory=list)  # every cell of the row as read, extra columns included


@dataclass
class Table:
    display: str
    kind: str = ""  # "xlsx" or "csv"
    header: list = field(default_factory=list)  # the header row as read (extra columns kept)
    columns: dict = field(default_factory=dict)  # column name -> 0-based position
    rows: list[Row] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)

    def where(self, row: int, column: str | None = None) -> str:
        """``台账!C12`` / ``12`` (CSV line); the whole row when ``column`` is None (``台账!12:12``)."""
        from openpyxl.utils import get_column_letter  # (a build reads no workbook: no openpyxl)
        if self.kind == "xlsx":
            if column is None or column not in self.columns:
                return f"{SHEET}!{row}:{row}"
            return f"{SHEET}!{get_column_letter(self.columns[column] + 1)}{row}"
        return str(row)

    def problem(self, row: int | None, column: str | None, field_: str, message: str) -> None:
        where = "" if row is None else self.where(row, column)
        order = (row or 0, self.columns.get(column, -1) if column else -1)
        self.problems.append(CellProblem(self.display, where, field_, message, order))

    def whole(self, message: str) -> None:
        self.problems.append(CellProblem(self.display, "", WHOLE_FILE, message, (0, -2)))


_GBK_HINT = ("请在 Excel 里“文件 → 另存为”，保存类型选“CSV UTF-8（逗号分隔）(*.csv)”；WPS 选“CSV（逗号分隔）”后在编码里选 UTF-8；"
             "记事本“另存为”时把编码选为 UTF-8")


def read_table(path: Path | str, display: str | None = None) -> Table:
    """Read the ledger at ``path``. Never raises for bad content: problems are collected."""
    path = Path(path)
    table = Table(display if display is not None else str(path))
    try:
        size = path.stat().st_size
        if size > MAX_LEDGER_BYTES:
            table.whole(f"文件过大（{size:,} 字节），台账文件不得超过 {MAX_LEDGER_BYTES:,} 字节；请按年份或中心拆成几个文件")
            return table
        raw = path.read_bytes()
    except IsADirectoryError:
        table.whole("是一个目录，不是台账文件")
        return table
    except OSError as exc:
        reason = "没有读取权限" if isinstance(exc, PermissionError) else exc.strerror or exc
        table.whole(f"无法读取文件：{reason}")
        return table
    if raw.startswith(_ZIP) or raw.startswith(_OLE):
        _read_xlsx(raw, table)
    else:
        _read_csv(raw, table)
    return table


def _read_xlsx(raw: bytes, table: Table) -> None:
    table.kind = "xlsx"
    problem = _file_problem(raw)
    if problem:
        table.whole(problem.replace("再导入", "再检查").replace("后再导入", "后再检查"))
        return
    try:
        rows = list(_fast_rows(raw))
    except _NoSheet as exc:
        table.whole(f"工作簿里没有名为“{SHEET}”的工作表（现有：{exc}）：请把登记诉求的工作表改名为“{SHEET}”，"
                    "或用 kb ledger template 生成的模板")
        return
    except Exception:  # noqa: BLE001 - a workbook this reader does not follow: openpyxl reads it (slower)
        rows = None
    if rows is not None:
        _take(table, rows, first_number=1)
        return
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file  # noqa: BLE001
        table.whole(f"无法读取工作簿（文件可能已损坏）：{str(exc)[:80] or type(exc).__name__}")
        return
    try:
        if SHEET not in wb.sheetnames:
            names = "、".join(f"“{n}”" for n in wb.sheetnames)
            table.whole(f"工作簿里没有名为“{SHEET}”的工作表（现有：{names}）：请把登记诉求的工作表改名为“{SHEET}”，"
                        "或用 kb ledger template 生成的模板")
            return
        rows = ((number, cells) for number, cells in enumerate(wb[SHEET].iter_rows(values_only=True), 1))
        _take(table, rows, first_number=1)
    except Exception as exc:  # a workbook shaped in a way nobody foresaw must still not end in a traceback  # noqa: BLE001
        table.whole(f"读取工作簿时出错（{type(exc).__name__}：{str(exc)[:80]}）；请在 Excel 里另存一份再试")
    finally:
        wb.close()


class _NoSheet(Exception):
    """The workbook has no sheet 台账; the message lists the sheets it has."""


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")


def _fast_rows(raw: bytes):
    """(row number, cell values) of the sheet 台账, read straight from the workbook's XML.

    openpyxl needs about 20 s for a province's year (100,000 rows); this reads the same values
    (shared and inline strings, numbers, booleans, dates by their cell format) in a few seconds.
    Anything it does not expect raises, and the caller reads the workbook with openpyxl instead.
    """
    from lxml import etree
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
    from openpyxl.utils.cell import column_index_from_string
    from openpyxl.utils.datetime import from_excel

    archive = zipfile.ZipFile(io.BytesIO(raw))
    names = set(archive.namelist())
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    book = etree.fromstring(archive.read("xl/workbook.xml"), parser)
    sheets = {s.get("name"): s.get(f"{_REL}id") for s in book.iter(f"{_MAIN}sheet")}
    if SHEET not in sheets:
        raise _NoSheet("、".join(f"“{n}”" for n in sheets))
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), parser)
    target = next(r.get("Target") for r in rels.iter(f"{_PKG_REL}Relationship") if r.get("Id") == sheets[SHEET])
    path = target.lstrip("/") if target.startswith("/") else "xl/" + target
    strings: list[str] = []
    if "xl/sharedStrings.xml" in names:
        for item in etree.fromstring(archive.read("xl/sharedStrings.xml"), parser).iter(f"{_MAIN}si"):
            strings.append("".join(t.text or "" for t in item.iter(f"{_MAIN}t")
                                   if t.getparent().tag != f"{_MAIN}rPh"))
    dates: list[bool] = []
    if "xl/styles.xml" in names:
        styles = etree.fromstring(archive.read("xl/styles.xml"), parser)
        custom = {int(f.get("numFmtId")): f.get("formatCode") or "" for f in styles.iter(f"{_MAIN}numFmt")}
        xfs = styles.find(f"{_MAIN}cellXfs")
        for xf in (xfs if xfs is not None else []):
            number = int(xf.get("numFmtId") or 0)
            code = custom.get(number, BUILTIN_FORMATS.get(number, "General"))
            dates.append(is_date_format(code))
    with archive.open(path) as handle:
        for _, row in etree.iterparse(handle, events=("end",), tag=f"{_MAIN}row", resolve_entities=False,
                                      huge_tree=False):
            number = int(row.get("r"))
            cells: list = []
            for cell in row.iterfind(f"{_MAIN}c"):
                column = column_index_from_string(_CELL_REF.fullmatch(cell.get("r")).group(1)) - 1
                kind = cell.get("t", "n")
                value_node = cell.find(f"{_MAIN}v")
                text = value_node.text if value_node is not None else None
                if kind == "s":
                    value = strings[int(text)] if text is not None else None
                elif kind == "inlineStr":
                    value = "".join(t.text or "" for t in cell.iter(f"{_MAIN}t"))
                elif kind in ("str", "e"):
                    value = text
                elif kind == "b":
                    value = text == "1" if text is not None else None
                elif text is None:
                    value = None
                else:
                    value = float(text) if any(c in text for c in ".eE") else int(text)
                    style = int(cell.get("s") or 0)
                    if style < len(dates) and dates[style]:
                        value = from_excel(value)
                cells += [None] * (column - len(cells))
                cells.append(None if value == "" else value)
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]
            yield number, cells


def _read_csv(raw: bytes, table: Table) -> None:
    table.kind = "csv"
    if not raw.strip():
        table.whole("文件是空的，没有表头和任何一行")
        return
    if raw.startswith(b"%PDF"):
        table.whole("是 PDF 文件，不是台账（.xlsx 工作簿或 UTF-8 编码的 .csv）")
        return
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        table.whole("是 UTF-16 编码的文本（Excel 的“Unicode 文本”），不是 UTF-8 的 CSV：" + _GBK_HINT)
        return
    if b"\x00" in raw[:65536]:
        table.whole("不是表格文件（含有二进制内容）：台账应为 .xlsx 工作簿或 UTF-8 编码的 .csv")
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            line = raw[:exc.start].count(b"\n") + 1
            table.whole(f"不是 UTF-8 编码的文本（第 {line} 行有无法识别的字节），"
                        "不是可读的 CSV：台账应为 .xlsx 工作簿或 UTF-8 编码的 .csv")
            return
        table.whole("CSV 是 GBK（GB2312/GB18030）编码，不是 UTF-8，没有读取，以免把汉字读错：" + _GBK_HINT)
        return
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype", "<html", "<?xml", "{", "[")):
        table.whole("是网页、XML 或 JSON 文本，不是台账（.xlsx 工作簿或 UTF-8 编码的 .csv）")
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        _take(table, _lines(reader), first_number=1)
    except csv.Error as exc:
        table.whole(f"CSV 格式有误（第 {reader.line_num} 行：{exc}）：请在 Excel 里打开后另存为“CSV UTF-8（逗号分隔）”")


def _lines(reader):
    """(line number where the record starts, cells) for each CSV record."""
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def _take(table: Table, rows, first_number: int) -> None:
    header_seen = False
    for number, cells in rows:
        cells = list(cells)
        if not header_seen:
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue  # blank lines above the header
            header_seen = True
            if not _header(table, cells, number):
                return
            continue
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue  # an empty row (the template's rows with only drop-downs)
        if len(table.rows) >= MAX_ROWS:
            table.whole(f"超过 {MAX_ROWS:,} 行，其余的行没有读取；请按年份或中心拆成几个文件")
            return
        values = {name: (cells[i] if i < len(cells) else None) for name, i in table.columns.items()}
        table.rows.append(Row(number, values, cells))
    if not header_seen:
        table.whole("没有表头：第一行应为列名（" + "、".join(COLUMNS) + "）")


def _header(table: Table, cells: list, number: int) -> bool:
    table.header = cells
    positions: dict[str, int] = {}
    for i, cell in enumerate(cells):
        name = cell.strip().lstrip("\ufeff") if isinstance(cell, str) else cell
        if name in COLUMNS:
            if name in positions:
                table.problems.append(CellProblem(table.display, _head_ref(table, number, i), HEADER,
                                                  f"列“{name}”出现了两次（另一处是第 {positions[name] + 1} 列）",
                                                  (number, i)))
            else:
                positions[name] = i
    table.columns = positions
    missing = [c for c in COLUMNS if c not in positions]
    if missing:
        where = f"{SHEET}!{number}:{number}" if table.kind == "xlsx" else str(number)
        table.problems.append(CellProblem(
            table.display, where, HEADER,
            f"缺少列：{'、'.join(missing)}（表头应有：{'、'.join(COLUMNS)}，顺序不限，可以有其他列）", (number, -1)))
        return False
    return not table.problems


def _head_ref(table: Table, row: int, index: int) -> str:
    from openpyxl.utils import get_column_letter
    return f"{SHEET}!{get_column_letter(index + 1)}{row}" if table.kind == "xlsx" else str(row)
