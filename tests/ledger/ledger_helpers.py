"""Small ledgers for the ledger tests, written here so each test shows the cells it is about."""

from __future__ import annotations

import csv
from pathlib import Path

from kb.ledger.table import COLUMNS

GOOD = {"编号": "C-001", "受理日期": "2026-03-02", "诉求摘要": "老人卧床，身份证过期了没法去派出所换。", "诉求人类型": "个人",
        "领域": "户籍证件", "涉及部门": "公安机关户籍窗口", "成因": "服务流程不规范", "处置类型": "很难办",
        "答复日期": "2026-03-03", "办结日期": "2026-03-05", "结果": "已解决", "一类事编号": "", "窗口": "甲中心"}


def row(**changes) -> dict:
    return {**GOOD, **changes}


def write_csv(path: Path, rows: list[dict], columns=COLUMNS, encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for item in rows:
            writer.writerow([item.get(c, "") for c in columns])
    return path
