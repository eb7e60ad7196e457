"""``kb ledger link --write OUT``: a copy of the ledger with a column 建议一类事; the ledger itself is never changed.

The staff's own 一类事编号 is never written: a suggestion is only a suggestion until someone
who knows the case copies it over. An ``.xlsx`` keeps its sheets, formats and drop-downs (the column
is added after the last used one, or refilled when it is already there); a CSV is written as UTF-8
with the byte-order mark Excel needs to read it as UTF-8.
"""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

from .table import SHEET, Table

COLUMN = "建议一类事"


def write_copy(source: Path, table: Table, suggestions: dict[int, str], out: Path) -> None:
    """Write ``source`` with the column 建议一类事 (``suggestions``: row number -> text) to ``out``."""
    tmp = out.with_name(out.name + ".tmp")
    if table.kind == "xlsx":
        from openpyxl import load_workbook

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(source)
        ws = wb[SHEET]
        header_row = next(r for r in range(1, ws.max_row + 1)
                          if any(ws.cell(row=r, column=c).value not in (None, "") for c in range(1, ws.max_column + 1)))
        col = next((c for c in range(1, ws.max_column + 1) if ws.cell(row=header_row, column=c).value == COLUMN),
                   ws.max_column + 1)
        ws.cell(row=header_row, column=col, value=COLUMN)
        for row in range(header_row + 1, ws.max_row + 1):
            ws.cell(row=row, column=col, value=suggestions.get(row) or None)
        wb.save(tmp)
    else:
        header = list(table.header)
        at = header.index(COLUMN) if COLUMN in header else len(header)
        if at == len(header):
            header.append(COLUMN)
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(header)
        for row in table.rows:
            cells = list(row.raw) + [""] * max(0, len(header) - len(row.raw))
            cells[at] = suggestions.get(row.number, "")
            writer.writerow(cells)
        tmp.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))
    tmp.replace(out)
