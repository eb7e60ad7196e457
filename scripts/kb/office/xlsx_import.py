"""``kb import FILE.xlsx``: records from a workbook into ``solutions/``, checked like ``kb check``.

The records read from the workbook (``xlsx_read``) are checked by the very
checker ``kb check`` runs (``validate.check_sources``), as the knowledge base
would be after the import: the registry and the records on disk, with each
record of the workbook in place of its file. To do that each workbook record
becomes an in-memory ``Document`` whose "line" for a JSON path is a number
standing for the cell that value came from; every problem the checker finds in
it is then named by that cell, ``kb.xlsx:办理流程!F7: procedure[2].time_limit.value:
不能小于 1``. Problems in files on disk (another record with the same title)
keep ``kb check``'s own form.

Nothing is written when there is any problem. A record whose file exists
changes only with ``update``; its changes are listed per field first. A
workbook exported from the public edition (no internal fields, no drafts) may
add records but never change one, since it would drop what it does not hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..records.load import SOLUTIONS_DIR, Document, display_path, load_sources
from ..records.report import WHOLE_FILE, Problem, format_path, sort_problems
from ..records.validate import check_sources
from . import baseline
from . import layout as L
from . import yaml_write
from .cells import CellProblem
from .xlsx_read import Record, Workbook, read_workbook


class _WorkbookDocument(Document):
    """A record from a workbook, checked as if it were ``solutions/<id>.yml``."""

    @property
    def stem(self) -> str:
        value = self.data.get("id") if isinstance(self.data, dict) else None
        return value if isinstance(value, str) else ""


@dataclass
class Change:
    record_id: str
    title: str
    path: Path
    text: str
    new: bool
    fields: list = field(default_factory=list)  # lines describing what changes, per field
    dropped_comments: int = 0
    reverted: list = field(default_factory=list)  # fields changed on disk since the export that --force puts back


@dataclass
class Plan:
    """What an import would do, or the problems that stop it."""

    workbook: Workbook
    problems: list = field(default_factory=list)  # CellProblem and Problem, in print order
    changes: list = field(default_factory=list)  # Change, in workbook order
    unchanged: list = field(default_factory=list)  # ids
    warnings: list = field(default_factory=list)  # lines to show before the changes

    @property
    def ok(self) -> bool:
        return not self.problems


def _strings(data: Any, path: tuple = ()) -> list[tuple[tuple, str]]:
    if isinstance(data, str):
        return [(path, data)]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in _strings(v, path + (k,))]
    if isinstance(data, list):
        return [s for i, v in enumerate(data) for s in _strings(v, path + (i,))]
    return []


def _list_hint(path: tuple, record: Record, lay: L.Layout) -> str:
    """For a problem about a whole list, which sheet its rows are on."""
    if not path or not isinstance(path[-1], str):
        return ""
    bare = tuple(p for p in path if not isinstance(p, int))
    sheet = lay.sheet_of_list(bare)
    if sheet is None:
        return ""
    rid = record.id if isinstance(record.id, str) else ""
    return f"（在“{sheet.name}”工作表中，编号为“{rid}”的行）"


class _Cells:
    """Numbers standing for cells: the "line" of a workbook value is its cell's number."""

    def __init__(self):
        self.refs: list[str] = []
        self.index: dict[str, int] = {}

    def number(self, ref: str) -> int:
        if ref not in self.index:
            self.refs.append(ref)
            self.index[ref] = len(self.refs)
        return self.index[ref]

    def ref(self, number: int) -> str:
        return self.refs[number - 1] if 0 < number <= len(self.refs) else ""


_SHEET_ROW_COL = re.compile(r"^(.*)!([A-Z]+)([0-9]+)$")


def _order_of(where: str, book: Workbook) -> tuple:
    match = _SHEET_ROW_COL.match(where)
    if not match:
        return (book.sheet_order.get(where, 99), 0, 0)
    sheet, letters, row = match.groups()
    col = 0
    for char in letters:
        col = col * 26 + ord(char) - 64
    return (book.sheet_order.get(sheet, 99), int(row), col)


def plan_import(root: Path, workbook_path: Path, update: bool = False, display: str | None = None,
                force: bool = False) -> Plan:
    """Read, check and plan the import of ``workbook_path`` into ``root/solutions``. Writes nothing.

    A record changed on disk since the workbook was exported (``baseline``) is not overwritten
    unless ``force``; nor is any existing record from a workbook that has no fingerprints.
    """
    root = Path(root)
    book = read_workbook(workbook_path, display)
    plan = Plan(book)
    if not book.readable or not book.structure_ok:
        plan.problems = _sorted(book.problems)
        return plan
    lay = L.layout(book.internal)
    sources = load_sources(root)
    on_disk = {doc.stem: doc for doc in sources.records}
    cells = _Cells()
    documents: dict[int, tuple[_WorkbookDocument, Record]] = {}
    incoming = []
    for record in book.records:
        if not record.usable:
            continue  # its 编号 cell is reported; without an id its rows cannot be checked
        rid = record.id
        doc = _WorkbookDocument(path=root / SOLUTIONS_DIR / f"{rid}.yml", display=book.display)
        doc.data = record.data
        doc.lines = {path: cells.number(ref) for path, ref in record.cells.items()}
        doc.refused = set(record.refused)
        doc.strings = _strings(record.data)
        documents[id(doc)] = (doc, record)
        incoming.append(doc)
    replaced = {d.stem for d in incoming if d.stem}
    sources.records = [d for d in sources.records if d.stem not in replaced] + incoming
    problems = list(book.problems)
    display_re = re.compile(re.escape(book.display) + r":([0-9]+)")

    def cell_text(match: re.Match) -> str:
        return f"{book.display}:{cells.ref(int(match.group(1))) or match.group(1)}"

    workbook_problems = []
    disk_problems = []
    for problem in check_sources(sources):
        if problem.file != book.display:
            disk_problems.append(problem)
            continue
        if problem.field == WHOLE_FILE:
            continue  # the file name is the id: its rule is reported at the 编号 cell
        workbook_problems.append(problem)
    by_line_record = {}
    for doc, record in documents.values():
        for number in doc.lines.values():
            by_line_record.setdefault(number, record)
    for problem in sort_problems(workbook_problems):
        where = cells.ref(problem.line)
        record = by_line_record.get(problem.line)
        if record is not None and _about_refused(problem, record):
            continue
        message = display_re.sub(cell_text, problem.message)
        if record is not None:
            path = _parse_path(problem.field)
            if path is not None and L.get(record.data, path) in (None, []):
                message += _list_hint(path, record, lay)
        problems.append(CellProblem(book.display, where, problem.field, message, _order_of(where, book)))
    for problem in disk_problems:
        problems.append(Problem(problem.file, problem.line, problem.field, display_re.sub(cell_text, problem.message)))
    for doc in incoming:
        record = documents[id(doc)][1]
        rid = doc.stem
        if not rid or rid not in on_disk:
            continue
        existing = on_disk[rid]
        where = record.id_cell
        shown = existing.display
        if not book.internal:
            problems.append(CellProblem(book.display, where, "id", (
                f"已有记录 {shown}：公开版工作簿不含内部信息、个案和草稿，不能用来修改已有记录；"
                "请用 kb export --format xlsx --edition internal 导出内部版工作簿修改"), _order_of(where, book)))
        elif not update and existing.data != record.data:
            problems.append(CellProblem(book.display, where, "id", (
                f"已有记录 {shown}，工作簿中的内容与它不同：修改已有记录要加 --update（可先加 --dry-run 查看改动）"),
                _order_of(where, book)))
        elif not update:
            problems.append(CellProblem(book.display, where, "id", (
                f"已有记录 {shown}：导入不加 --update 时只新增记录，不动已有记录；"
                "要按工作簿更新已有记录请加 --update（没有改动的记录不会重写）"), _order_of(where, book)))
        elif existing.data != record.data and not force:
            message = _stale(book, rid, existing)
            if message:
                problems.append(CellProblem(book.display, where, "id", f"已有记录 {shown}：{message}",
                                            _order_of(where, book)))
    if book.base is None and book.internal and any(d.stem in on_disk for d in incoming):
        plan.warnings.append(
            f"注意：{book.display} 是旧版本 kb export 导出的工作簿，没有记下导出时各记录的内容，"
            "无法判断磁盘上的记录在导出之后有没有被别人改过；它只能新增记录，修改已有记录要加 --force"
            "（会逐条列出将被改掉的内容）。最稳妥的做法是重新导出工作簿，再把修改做一遍。")
    plan.problems = _sorted(problems)
    if plan.problems:
        return plan
    for doc in incoming:
        record = documents[id(doc)][1]
        rid = doc.stem
        existing = on_disk.get(rid)
        if existing is not None and existing.data == record.data:
            plan.unchanged.append(rid)
            continue
        old_text = None
        if existing is not None:
            try:
                old_text = existing.path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                old_text = None
        try:
            text = yaml_write.dump_record(record.data, old_text, existing.data if existing is not None else None)
        except yaml_write.WriteError as exc:
            plan.problems.append(CellProblem(book.display, record.id_cell, "id", str(exc), _order_of(record.id_cell, book)))
            continue
        change = Change(rid, record.data.get("title", ""), root / SOLUTIONS_DIR / f"{rid}.yml", text, existing is None)
        if existing is not None:
            change.fields = (describe_changes(existing.data, record.data) if isinstance(existing.data, dict)
                             else ["（原文件不是一条可读的记录，整个替换）"])
            change.dropped_comments = yaml_write.other_comments(old_text)
            if force and book.base is not None and rid in book.base:
                change.reverted = [k for k in baseline.changed_fields(book.base[rid][1], existing.data)
                                   if k in record.data and record.data[k] != existing.data.get(k)
                                   or k not in record.data and k in existing.data]
        plan.changes.append(change)
    return plan


def _about_refused(problem: Problem, record: Record) -> bool:
    """A rule about an item that names a field of it whose cell was refused (``materials[0]``: "须写明
    required") says again what the cell's own problem said (the value is missing because it was refused)."""
    path = _parse_path(problem.field)
    return path is not None and any(
        refused[:-1] == path and isinstance(refused[-1], str) and refused[-1] in problem.message
        for refused in record.refused)


def _stale(book: Workbook, rid: str, existing: Document) -> str:
    """Why the workbook must not overwrite the record on disk, or "" when it may."""
    again = "请重新导出工作簿（kb export --format xlsx），把你的修改在新工作簿里再做一遍；确认要用这个工作簿覆盖时加 --force（会先列出被改回的每一处）"
    if book.base is None:
        return ("这个工作簿是旧版本 kb export 导出的，没有记下导出时记录的内容，无法确认磁盘上的记录在导出后没有被别人改过，"
                "导入可能把别人的修改改回去：" + again)
    if rid not in book.base:
        return "工作簿导出时还没有这条记录（是之后别人新建的），导入会把它整个换掉：换一个编号新增，或" + again
    whole, fields = book.base[rid]
    if isinstance(existing.data, dict) and baseline.fingerprint(existing.data) == whole:
        return ""
    names = baseline.changed_fields(fields, existing.data)
    shown = "、".join(names[:8]) + ("等" if len(names) > 8 else "")
    return f"在工作簿导出之后被改过（{shown or '内容'}），导入会把这些修改改回去：" + again


def _sorted(problems: list) -> list:
    cell = sorted({p for p in problems if isinstance(p, CellProblem)}, key=lambda p: (p.order, p.field, p.message))
    disk = sort_problems([p for p in problems if isinstance(p, Problem)])
    return cell + disk


_PATH_PART = re.compile(r"([^.\[\]]+)|\[([0-9]+)\]")


def _parse_path(text: str) -> tuple | None:
    if text == WHOLE_FILE:
        return None
    return tuple(int(i) if i else name for name, i in _PATH_PART.findall(text))


# -- what changes --------------------------------------------------------------------------------

def _leaves(value: Any, path: tuple = ()) -> dict[tuple, Any]:
    if isinstance(value, dict) and value:
        return {p: v for k, child in value.items() for p, v in _leaves(child, path + (k,)).items()}
    if isinstance(value, list) and value:
        return {p: v for i, child in enumerate(value) for p, v in _leaves(child, path + (i,)).items()}
    return {path: value}


def _shown(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:40] + "…"
        return f"“{text}”"
    if isinstance(value, bool):
        return "是" if value else "否"
    if value == []:
        return "（空列表）"
    if value == {}:
        return "（空）"
    return str(value)


_CONTEXT = 12  # characters shown on each side of where two long texts differ
_SPAN = 40  # characters of the differing part shown at most


def _shown_pair(old: Any, new: Any) -> str:
    """``“旧” → “新”``; two long texts are shown around where they differ, not by their common start."""
    if not (isinstance(old, str) and isinstance(new, str)) or max(len(old), len(new)) <= 40:
        return f"{_shown(old)} → {_shown(new)}"
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    begin = max(0, head - _CONTEXT)

    def part(text: str) -> str:
        end = len(text) - tail
        shown = text[begin:min(end, head + _SPAN)] + ("…" if end > head + _SPAN else "")
        after = text[end:end + _CONTEXT] if end < head + _SPAN else ""
        return ("…" if begin else "") + shown + after + ("…" if end + _CONTEXT < len(text) and after else "")

    return f"“{part(old)}” → “{part(new)}”（第 {head + 1} 个字起不同）"


def describe_changes(old: dict, new: dict) -> list[str]:
    """One line per changed value: ``summary：“旧” → “新”``, ``+ tags[3]：“新”``, ``- faq[1].answer：“旧”``."""
    before, after = _leaves(old), _leaves(new)
    lines = []
    for path in list(dict.fromkeys([*before, *after])):
        name = format_path(path)
        if path in before and path in after:
            if before[path] != after[path] or type(before[path]) is not type(after[path]):
                lines.append(f"{name}：{_shown_pair(before[path], after[path])}")
        elif path in after:
            lines.append(f"+ {name}：{_shown(after[path])}")
        else:
            lines.append(f"- {name}：{_shown(before[path])}")
    return lines


def apply(plan: Plan) -> None:
    """Write every planned file (each appears whole; new files never overwrite)."""
    yaml_write.write_files([(c.path, c.text, not c.new) for c in plan.changes])


def report_lines(plan: Plan, root: Path) -> list[str]:
    """What the import does, for the terminal."""
    lines = list(plan.warnings)
    for change in plan.changes:
        shown = display_path(change.path, root)
        if change.new:
            lines.append(f"新增 {shown}：{change.title}")
            continue
        lines.append(f"修改 {shown}：{change.title}（{len(change.fields)} 处）")
        if change.reverted:
            lines.append(f"  注意（--force）：{'、'.join(change.reverted)} 在工作簿导出之后被改过，下面的改动会把它们改回工作簿里的内容")
        lines += [f"  {line}" for line in change.fields]
        if change.dropped_comments:
            lines.append(f"  注意：文件开头以外的 {change.dropped_comments} 行注释不会保留")
    if plan.unchanged:
        lines.append(f"未改动 {len(plan.unchanged)} 条记录")
    return lines
