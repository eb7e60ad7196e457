"""One cell of a workbook read as one value of a record: what spreadsheets do to values (numbers where text
belongs, dates as serial numbers, full-width digits, stray spaces, choices not on the drop-down) is refused
with a Chinese sentence; the reader names the cell (``CellProblem``).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from ..records.privacy import normalise
from ..records.report import WHOLE_FILE, printable
from . import layout as L


_SIGNED_INT = re.compile(r"[+-]?[0-9]+")


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


def _ref(sheet: str, row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter  # (openpyxl is imported where a workbook is read)
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
    from openpyxl.utils.datetime import from_excel
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


def _not_a_number(value: Any, what: str, pattern: re.Pattern) -> None:
    """What spreadsheets do to a number, refused alike for whole numbers and amounts (``what``: 整数 or 数字):
    a logical value, a date where the number was, stray spaces, full-width digits."""
    if isinstance(value, bool):
        raise _Refused(f"应为{what}，单元格里是逻辑值 {'TRUE' if value else 'FALSE'}")
    if isinstance(value, (datetime, date)):
        shown = _as_date(value) or value.isoformat(sep=" ")
        raise _Refused(f"应为{what}，Excel 把这里的内容当成了日期 {shown}：请把单元格设为“常规”格式后重新输入数字")
    if isinstance(value, str):
        problem = _stray_space(value, True)
        if problem:
            raise _Refused(problem)
        if _full_width(value) and pattern.fullmatch(normalise(value)):
            raise _Refused(f"“{value}”是全角数字，请改为半角数字 {normalise(value)}")
    elif not isinstance(value, (int, float)):
        raise _Refused(f"无法识别的单元格内容（{type(value).__name__}）")


def _read_integer(column: L.Column, value: Any) -> Any:
    _not_a_number(value, "整数", _SIGNED_INT)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _Refused(f"应为整数，单元格里是 {value}")
    if _SIGNED_INT.fullmatch(value) and len(value) < 12:
        return int(value)  # a number stored as text: unambiguous
    if column.kind == L.TIME_VALUE and column.const and value == column.const:
        raise _Refused(f"“{value}”请在“时限单位”一列选择，这一列留空")
    return value  # the schema says "应为整数，实际为文本“五”"


_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def _read_number(column: L.Column, value: Any) -> Any:
    """A number (an amount: 80, 0.5); a number typed as text is read as the number it shows."""
    _not_a_number(value, "数字", _DECIMAL)
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            raise _Refused(f"应为数字，单元格里是 {value}")
        return value
    if _DECIMAL.fullmatch(value) and len(value) < 16:
        return int(value) if _SIGNED_INT.fullmatch(value) else float(value)
    if value.endswith("元") and _DECIMAL.fullmatch(value[:-1]):
        raise _Refused(f"“{value}”：这一列只写数字 {value[:-1]}，单位写在“计费单位”一列")
    return value  # the schema says "应为数字，实际为文本"


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
