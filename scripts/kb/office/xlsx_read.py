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
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from ..records.report import WHOLE_FILE, format_path
from . import baseline
from . import layout as L
from .cells import CellProblem, _Refused, _ref, _shown, read_cell
from .xlsx_file import MAX_BYTES, _file_problem


#: Rows per sheet read at most (a province has a few thousand records, each list a few rows per record).
MAX_ROWS = 200_000


SHEET = "(工作表)"


HEADER = "(表头)"






_SHEET_STATE = {"hidden": "隐藏", "veryHidden": "深度隐藏（只能在 VBA 编辑器里取消）"}


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
