"""What each record was when a workbook was exported, so that an import never undoes a later edit.

A workbook is edited for days while the YAML files go on changing (another author, another
workbook, a direct edit). Imported as it is, an older workbook would put back what it held:
the later edit reverted, shown only as one line among the changes. So the export writes, on a
hidden sheet, the fingerprint of every record it holds (its content on disk as the checker
reads it, so re-indenting the YAML changes nothing) and of each of its fields. ``kb import``
compares them with the files on disk: a record changed since the export is not overwritten
(unless the author says ``--force``), and the fields that changed are named.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

SHEET = "导出基线"
HEADERS = ["编号", "内容指纹", "各字段指纹"]


def fingerprint(value: Any) -> str:
    """A short hash of a record's (or a field's) content, independent of key order and YAML layout."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def field_fingerprints(data: dict) -> dict[str, str]:
    return {key: fingerprint(value) for key, value in data.items()}


def write(wb, records: list[dict]) -> None:
    """The hidden 导出基线 sheet: one row per record of the workbook, as the files were at the export."""
    ws = wb.create_sheet(SHEET)
    ws.append(HEADERS)
    for data in records:
        ws.append([data["id"], fingerprint(data), json.dumps(field_fingerprints(data), ensure_ascii=False,
                                                              separators=(",", ":"))])
    for cell in ws[1]:
        cell.style = "kb 表头"
    ws.column_dimensions["A"].width = 30
    ws.sheet_state = "hidden"


def read(ws) -> tuple[dict[str, tuple[str, dict]], list[str]]:
    """(id -> (fingerprint, field fingerprints), problems) from the 导出基线 sheet."""
    base: dict[str, tuple[str, dict]] = {}
    problems = []
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None or [str(h or "") for h in header[:3]] != HEADERS:
        return {}, [f"“{SHEET}”工作表的表头被改过：它由 kb export 写入，不要修改"]
    for number, row in enumerate(rows, 2):
        if not row or all(v is None for v in row):
            continue
        rid, whole, fields = (list(row) + [None, None, None])[:3]
        try:
            parsed = json.loads(fields) if isinstance(fields, str) else None
        except ValueError:
            parsed = None
        if not isinstance(rid, str) or not isinstance(whole, str) or not isinstance(parsed, dict):
            problems.append(f"“{SHEET}”工作表第 {number} 行被改过：它由 kb export 写入，不要修改")
            continue
        base[rid] = (whole, parsed)
    return base, problems


def changed_fields(base_fields: dict, data: dict) -> list[str]:
    """The top-level fields of ``data`` (a record on disk) that differ from the fingerprints of the export."""
    now = field_fingerprints(data) if isinstance(data, dict) else {}
    return [k for k in dict.fromkeys([*base_fields, *now]) if base_fields.get(k) != now.get(k)]
