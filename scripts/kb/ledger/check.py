"""The rules of a ledger, cell by cell: what ``kb ledger check`` reports and every other command relies on.

Every problem names its cell (``FILE:台账!C12: 诉求摘要: ...``; CSV ``FILE:12: 诉求摘要: ...``) and
all of them are reported at once. The rules:

- 编号: present, unique within the file; across files a case is (窗口, 编号), unique too;
- 受理日期, 答复日期, 办结日期: real dates — a workbook's date cell or the text YYYY-MM-DD; an
  Excel serial number (46083), a date in other words (3月2日, 2026/3/2) or an impossible day
  (2026-02-30) is refused with what it would be; no reply or resolution before acceptance;
- 诉求摘要: not empty, and no personal data (``kb.records.privacy``: ID numbers with a valid GB 11643
  check character, mobile and other phone numbers, names with a form of address, street addresses,
  bank cards, e-mail addresses);
- 诉求人类型, 处置类型, 结果, 领域, 成因: values of their lists (领域 and 成因 from the knowledge base's
  vocabularies; several causes joined by 、);
- 结果 已解决 needs a 办结日期 (未解决 may be still open), and a 办结日期 needs a 结果;
- 一类事编号: empty, or the id of a record of the knowledge base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from ..office.cells import CellProblem
from ..records.privacy import personal_data
from ..records.schema import date_problem
from .table import Table

APPLICANTS = ("个人", "企业")
DISPOSITIONS = ("办不了", "很难办", "不给办")
RESULTS = ("已解决", "部分解决", "未解决")
RESOLVED = "已解决"
JOIN = "、"
_SERIAL = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")
_SPLIT_LOOSE = re.compile(r"\s*[,，;；/|]\s*")


@dataclass
class Case:
    """One checked row: a request to the window and what became of it."""

    file: str
    row: int
    number: str
    accepted: date
    summary: str
    applicant: str = ""
    domain: str = ""
    departments: list[str] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)
    disposition: str = ""
    replied: date | None = None
    closed: date | None = None
    result: str = ""
    record: str = ""
    window: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.window, self.number)

    @property
    def resolved(self) -> bool:
        return self.result == RESOLVED


@dataclass
class Vocabulary:
    """What the cells may hold: the knowledge base's domains, causes and record ids."""

    domains: tuple[str, ...]
    causes: tuple[str, ...]
    records: frozenset[str]

    @classmethod
    def of(cls, kb) -> "Vocabulary":
        return cls(tuple(t.name for t in kb.vocabularies["domains"]), tuple(t.name for t in kb.vocabularies["causes"]),
                   frozenset(r.id for r in kb.records))


def _shown(value, limit: int = 30) -> str:
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _serial_hint(number: float) -> str:
    from openpyxl.utils.datetime import from_excel  # here: a build reads no workbook and need not import openpyxl

    try:
        day = from_excel(number)
    except (ValueError, OverflowError, TypeError):
        return ""
    return f"，相当于 {day.date().isoformat()}" if isinstance(day, datetime) and 1900 < day.year < 2200 else ""


def parse_date(value) -> tuple[date | None, str | None]:
    """(the date, None), (None, why it is not one) or (None, None) for an empty cell."""
    if value is None:
        return None, None
    if isinstance(value, datetime):
        if value.time() != time(0):
            return None, f"日期里带有时间（{value.isoformat(sep=' ')}），只写日期 YYYY-MM-DD"
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, bool):
        return None, f"应为日期 YYYY-MM-DD，单元格里是逻辑值 {text_of(value)}"
    if isinstance(value, (int, float)):
        return None, (f"日期被存成了数字 {text_of(value)}（Excel 的日期序号{_serial_hint(value)}）："
                      "请把单元格设为日期格式，或写成 YYYY-MM-DD，如 2026-03-02")
    text = str(value).strip()
    if not text:
        return None, None
    if _SERIAL.fullmatch(text):
        return None, (f"“{text}”是 Excel 的日期序号，不是日期{_serial_hint(float(text))}："
                      "另存 CSV 前请把这一列设为日期格式，或写成 YYYY-MM-DD，如 2026-03-02")
    problem = date_problem(text)
    if problem:
        return None, problem.replace("2025-04-16", "2026-03-02")
    return date.fromisoformat(text), None


def _choice(table: Table, row, column: str, value: str, allowed, problems_field: str | None = None) -> str:
    if value and value not in allowed:
        table.problem(row.number, column, problems_field or column,
                      f"“{_shown(value)}”不在可选值之中，可选：{'、'.join(allowed)}")
        return ""
    return value


def check_tables(tables: list[Table], vocab: Vocabulary, default_window: str = "") -> list[Case]:
    """Check every row of ``tables`` (problems go to each table's ``problems``); the cases of the good rows.

    A row with a problem is still returned when its 编号 and 受理日期 could be read, so that one bad
    cell does not hide the rest; commands that count refuse a ledger with problems anyway.
    """
    cases: list[Case] = []
    seen_keys: dict[tuple[str, str], str] = {}
    for table in tables:
        if table.problems and not table.rows:
            continue
        numbers: dict[str, int] = {}
        for row in table.rows:
            case = _check_row(table, row, vocab, default_window, numbers)
            if case is None:
                continue
            where = f"{table.display}:{table.where(row.number, '编号')}"
            other = seen_keys.get(case.key)
            if other is not None and not other.startswith(table.display + ":"):
                table.problem(row.number, "编号", "编号",
                              f"窗口“{case.window or '（空）'}”的编号“{_shown(case.number)}”在 {other} 已经有了："
                              "合并的台账里，同一窗口的编号不能重复")
            else:
                seen_keys.setdefault(case.key, where)
            cases.append(case)
    return cases


def _check_row(table: Table, row, vocab: Vocabulary, default_window: str, numbers: dict[str, int]) -> Case | None:
    cells = row.cells
    problem = table.problem
    n = row.number

    number = text_of(cells["编号"])
    if not number:
        problem(n, "编号", "编号", "编号不能为空：每一行都要有本台账内唯一的编号")
    elif number in numbers:
        problem(n, "编号", "编号", f"编号“{_shown(number)}”重复：与第 {numbers[number]} 行相同，本台账内编号不能重复")
    else:
        numbers[number] = n

    dates: dict[str, date | None] = {}
    for column in ("受理日期", "答复日期", "办结日期"):
        day, why = parse_date(cells[column])
        if why:
            problem(n, column, column, why)
        dates[column] = day
    accepted = dates["受理日期"]
    if accepted is None and not text_of(cells["受理日期"]):
        problem(n, "受理日期", "受理日期", "受理日期不能为空，应写成 YYYY-MM-DD，如 2026-03-02")
    replied, closed = dates["答复日期"], dates["办结日期"]
    if accepted and replied and replied < accepted:
        problem(n, "答复日期", "答复日期", f"答复日期 {replied} 早于受理日期 {accepted}")
    if accepted and closed and closed < accepted:
        problem(n, "办结日期", "办结日期", f"办结日期 {closed} 早于受理日期 {accepted}：不能先办结、后受理")

    summary = text_of(cells["诉求摘要"])
    if not summary:
        problem(n, "诉求摘要", "诉求摘要", "诉求摘要不能为空：用一两句话写清诉求（不写姓名、身份证号、电话和住址）")
    else:
        for found in personal_data(summary):
            problem(n, "诉求摘要", "诉求摘要", f"含有个人信息：{found}；台账不得写入姓名、身份证号、电话和住址，请删去或改写")

    applicant = _choice(table, row, "诉求人类型", text_of(cells["诉求人类型"]), APPLICANTS)
    if not text_of(cells["诉求人类型"]):
        problem(n, "诉求人类型", "诉求人类型", f"诉求人类型不能为空，可选：{'、'.join(APPLICANTS)}")
    domain = _choice(table, row, "领域", text_of(cells["领域"]), vocab.domains)
    disposition = _choice(table, row, "处置类型", text_of(cells["处置类型"]), DISPOSITIONS)
    result = _choice(table, row, "结果", text_of(cells["结果"]), RESULTS)

    causes: list[str] = []
    raw_causes = text_of(cells["成因"])
    if raw_causes:
        parts = [p.strip() for p in raw_causes.split(JOIN)]
        for part in parts:
            if part in vocab.causes:
                if part not in causes:
                    causes.append(part)
            elif not part:
                problem(n, "成因", "成因", f"“{_shown(raw_causes)}”中有空的一项：几个成因之间用一个“、”隔开")
            elif any(p in vocab.causes for p in _SPLIT_LOOSE.split(part)):
                problem(n, "成因", "成因", f"“{_shown(part)}”：几个成因之间请用顿号“、”隔开")
            else:
                problem(n, "成因", "成因", f"“{_shown(part)}”不是六类共性成因之一，可选：{'、'.join(vocab.causes)}"
                                         "（几个成因用“、”隔开）")

    if result == RESOLVED and closed is None and not text_of(cells["办结日期"]):
        problem(n, "办结日期", "办结日期", f"结果为“{RESOLVED}”，但没有办结日期：解决了请填办结日期，还没解决请改结果")
    if closed is not None and not text_of(cells["结果"]):
        problem(n, "结果", "结果", f"有办结日期 {closed}，但没有填结果（{'、'.join(RESULTS)}）")

    record = text_of(cells["一类事编号"])
    if record and record not in vocab.records:
        close = _closest(record, vocab.records)
        hint = f"，是否应为“{close}”？" if close else ""
        problem(n, "一类事编号", "一类事编号", f"“{_shown(record)}”不是知识库里任何一类事的编号{hint}"
                                          "（不确定时留空，用 kb ledger link 找建议）")
        record = ""

    departments = [d.strip() for d in text_of(cells["涉及部门"]).split(JOIN) if d.strip()]
    window = text_of(cells["窗口"]) or default_window
    if not number or accepted is None:
        return None
    return Case(table.display, n, number, accepted, summary, applicant, domain, departments, causes, disposition,
                replied, closed, result, record, window)


def _closest(value: str, ids) -> str | None:
    import difflib

    found = difflib.get_close_matches(value.lower(), sorted(ids), n=1, cutoff=0.75)
    return found[0] if found else None


def all_problems(tables: list[Table]) -> list[CellProblem]:
    """Every table's problems, file by file in the order given, then by row and column."""
    out: list[CellProblem] = []
    for table in tables:
        out += sorted(table.problems, key=lambda p: p.order)
    return out


def read_and_check(paths, vocab: Vocabulary, default_window: str = "", displays=None):
    """Read and check the ledgers at ``paths``: (tables, cases, every problem in order)."""
    from .table import read_table

    displays = list(displays) if displays is not None else [str(p) for p in paths]
    tables = [read_table(path, display) for path, display in zip(paths, displays)]
    cases = check_tables(tables, vocab, default_window)
    return tables, cases, all_problems(tables)
