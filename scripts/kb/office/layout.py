"""Where each record field lives in a workbook: sheets, columns and Chinese headers.

This is the one place that maps record fields to cells, and it is derived from
``schema/record.schema.json`` rather than kept by hand:

- the first sheet, 事项, has one row per record and a column per scalar field;
  fields of a nested mapping (``review.owner``) are columns of the same row;
- every list is a sheet of its own, named by the list's ``x-label`` and keyed
  by the record's 编号; a list inside list items (``procedure[].materials``)
  is keyed by 编号 and the item's number (步骤序号, from ``x-item-label``);
- headers are the fields' ``x-label``;
- a time limit (``即办`` or ``{value, unit, kind, basis, document}``) is one
  value spread over columns of its owner's row: the value under the limit's
  label (承诺时限), the unit (with 即办 as one more choice) under the unit's
  label (时限单位), then 时限性质 (法定/承诺), 时限依据 and 承诺文件. The
  limit's ``basis`` is a list, but it is written in one cell, the references
  joined by "；" (``xingzheng-xuke-fa 第四十二条第一款；minfadian 第二百零一条``):
  a limit may be 即办, when all its other cells stay empty, so its parts must
  sit on one row; a sheet of its own would need a key for "which limit of
  which step" and could not be told empty when the limit is 即办. Every other
  list keeps its own sheet. When a row holds two limits (事项: ``time_limit``
  and ``statutory_time_limit``) the first keeps the plain headers, so older
  workbooks keep their 承诺时限 / 时限单位 columns, and the second's headers
  are named after its own label: 法定办结时限, 法定办结时限单位, 法定办结时限性质 …;
- a field that is "a constant or a list" (``fees``: ``不收费`` or the fee
  items) is a column holding only the constant (收费: 不收费 or empty) plus the
  list's sheet (收费项目) keyed by 编号 like every list; filling both for one
  record is an error that names both cells;
- what a drop-down offers comes from the schema too: ``enum`` (shown through
  ``x-enum-labels`` where present), ``x-vocabulary``, ``x-references``
  (legal-source registry or record ids) and booleans as 是/否.

Everything else (reading cells, writing workbooks) asks this module.
"""

from __future__ import annotations

import collections
import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator

from ..records import schema

#: Sheet names that are not lists of a record.
RECORDS_SHEET = "事项"
GUIDE_SHEET = "说明"
CHOICES_SHEET = "词表"

#: Cell kinds: how a cell is read and written.
TEXT, INTEGER, NUMBER, BOOLEAN, DATE, CHOICE, TIME_VALUE, TIME_UNIT, JOINED, CONST = (
    "text", "integer", "number", "boolean", "date", "choice", "time_value", "time_unit", "joined", "const")

#: How the items of a JOINED cell (a time limit's basis) are written, and what separates them on reading.
JOIN = "；"
SEPARATORS = "；;\n"

#: How a boolean is written in a cell (the drop-down offers these).
BOOLEAN_TEXT = {True: "是", False: "否"}

#: Texts at most this long are one-line fields: a line break in them is a stray one.
ONE_LINE_MAX = 120


@dataclass(frozen=True)
class Column:
    """One column: where its value sits inside the sheet's item, and how it is written."""

    header: str
    path: tuple  # inside the item a row stands for: ("review", "owner"); () for a list of texts
    kind: str
    spec: dict = field(repr=False, compare=False)  # the resolved schema of the value
    description: str = ""
    required: bool = False
    internal: bool = False
    #: CHOICE / TIME_UNIT / BOOLEAN: cell text -> record value (labels and the values themselves).
    choices: tuple = ()  # (cell text, value) pairs in drop-down order
    source: str | None = None  # drop-down list kept on the 词表 sheet: a vocabulary, "laws" or "records"
    extra: tuple = ()  # texts accepted besides the main form (a source date's 未注明)
    const: str | None = None  # TIME_UNIT: the whole-value alternative (即办); CONST: the constant (不收费)
    #: Columns of a time limit: the limit's path inside the item (("time_limit",)) and its label.
    limit: tuple | None = None
    limit_label: str = ""

    @property
    def one_line(self) -> bool:
        return self.kind != TEXT or (self.spec.get("maxLength") or 10_000) <= ONE_LINE_MAX

    @property
    def shown_choices(self) -> list[str]:
        return [text for text, _ in self.choices]

    def cell_text(self, value: Any) -> Any:
        """The value as written in the cell (a label for an enum, 是/否 for a boolean)."""
        for text, choice in self.choices:
            if choice == value and type(choice) is type(value):
                return text
        return value

    @property
    def width(self) -> int:
        """A column width (in Excel's character units) that shows a typical value."""
        header = 2 * len(self.header) + 4
        if self.kind == JOINED:
            body = 36
        elif self.kind == TEXT:
            longest = self.spec.get("maxLength") or 60
            body = 14 if longest <= 20 else 24 if longest <= 64 else 36 if longest <= 120 else 60
            if self.spec.get("pattern", "").startswith("^[a-z0-9]"):
                body = 28  # ids
        elif self.kind == DATE:
            body = 13
        elif self.kind in (CHOICE, TIME_UNIT, CONST):
            body = max(2 * max((len(t) for t in self.shown_choices), default=4) + 4, 10)
            if self.source:
                body = 28 if self.source in ("laws", "records") else 18
        else:
            body = 10
        return max(header, body)


@dataclass(frozen=True)
class Sheet:
    """One sheet: the records sheet, or one list keyed by 编号 (and the parent item's number)."""

    name: str
    list_path: tuple  # where the list sits in a record: ("procedure",); ("procedure", "materials") for
    # the list inside each step; () for the records sheet
    keys: tuple  # key columns: 编号, and for a list inside list items the parent's number
    columns: tuple  # value columns
    description: str = ""
    internal: bool = False
    index_header: str | None = None  # a list whose items have lists of their own numbers them (步骤序号)
    parent: str | None = None  # the sheet whose items this list belongs to
    item_label: str = ""  # what one row is called (步骤), for messages

    @property
    def is_records(self) -> bool:
        return not self.list_path

    @property
    def nested(self) -> bool:
        return self.parent is not None

    @property
    def headers(self) -> list[str]:
        out = [c.header for c in self.keys]
        if self.index_header:
            out.append(self.index_header)
        return out + [c.header for c in self.columns]

    @property
    def texts(self) -> bool:
        """A list of texts (常用叫法), not of mappings."""
        return len(self.columns) == 1 and self.columns[0].path == ()


@dataclass(frozen=True)
class Layout:
    sheets: tuple  # records sheet first, then the lists in schema order
    edition_internal: bool

    def sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if s.name == name)

    @property
    def records(self) -> Sheet:
        return self.sheets[0]

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def sheet_of_list(self, list_path: tuple) -> Sheet | None:
        return next((s for s in self.sheets if s.list_path == tuple(list_path)), None)


# -- deriving the layout from the schema -----------------------------------------------------------

def _resolve(spec: dict) -> dict:
    return schema._resolve(spec, schema.load_schema("record"))


def time_limit_parts(spec: dict) -> tuple[str, dict, dict, list] | None:
    """(const, value spec, unit spec, [(name, spec) of the other properties]) when ``spec`` is a time limit:
    "a constant or a mapping" whose required properties are one integer (the value) and one enum (the unit)."""
    branches = [_resolve(b) for b in _resolve(spec).get("oneOf", ())]
    consts = [b["const"] for b in branches if "const" in b]
    objects = [b for b in branches if b.get("type") == "object"]
    if len(branches) != 2 or len(consts) != 1 or len(objects) != 1:
        return None
    props = {name: _resolve(p) for name, p in objects[0].get("properties", {}).items()}
    needed = set(objects[0].get("required", ()))
    ints = [n for n, p in props.items() if p.get("type") == "integer" and n in needed]
    enums = [n for n, p in props.items() if "enum" in p and n in needed]
    if len(ints) != 1 or len(enums) != 1:
        return None
    others = [(n, p) for n, p in props.items() if n not in (ints[0], enums[0])]
    return consts[0], props[ints[0]] | {"name": ints[0]}, props[enums[0]] | {"name": enums[0]}, others


def const_or_list(spec: dict) -> tuple[str, dict] | None:
    """(const, list spec) when ``spec`` is "a constant or a list" (``fees``: 不收费 or the fee items)."""
    branches = [_resolve(b) for b in _resolve(spec).get("oneOf", ())]
    consts = [b["const"] for b in branches if "const" in b]
    lists = [b for b in branches if b.get("type") == "array"]
    if len(branches) != 2 or len(consts) != 1 or len(lists) != 1:
        return None
    return consts[0], lists[0]


def _date_or(spec: dict) -> tuple[str, ...] | None:
    """The extra texts of "a date or one of these constants" (a source date or 未注明)."""
    branches = [_resolve(b) for b in spec.get("anyOf", ())]
    if branches and any(b.get("format") == "date" for b in branches):
        consts = tuple(b["const"] for b in branches if "const" in b)
        if len(consts) + 1 == len(branches):
            return consts
    return None


def _columns(spec: dict, path: tuple, label: str, required: bool, internal: bool) -> Iterator[Column]:
    """Columns for the value at ``path`` (a scalar, a time limit, or a mapping flattened)."""
    spec = _resolve(spec)
    internal = internal or bool(spec.get("x-internal"))
    label = spec.get("x-label", label)
    description = spec.get("description", "")
    common = {"description": description, "required": required, "internal": internal}
    parts = time_limit_parts(spec)
    if parts:
        const, value_spec, unit_spec, others = parts
        limit = {"limit": path, "limit_label": label}
        yield Column(label, path + (value_spec["name"],), TIME_VALUE, value_spec, **common, **limit)
        unit_choices = tuple((u, u) for u in unit_spec["enum"]) + ((const, const),)
        yield Column(unit_spec.get("x-label", label + "单位"), path + (unit_spec["name"],), TIME_UNIT, unit_spec,
                     choices=unit_choices, const=const, **common, **limit)
        for name, child in others:
            if child.get("type") == "array":  # the limit's basis: one cell, see the module's docstring
                yield Column(child.get("x-label", name), path + (name,), JOINED, child,
                             description=child.get("description", ""), internal=internal, **limit)
            else:
                for column in _columns(child, path + (name,), name, False, internal):
                    yield dataclasses.replace(column, **limit)
        return
    alternative = const_or_list(spec)
    if alternative:  # the constant here, the list on a sheet of its own (_lists)
        const = alternative[0]
        yield Column(label, path, CONST, spec, choices=((const, const),), const=const, **common)
        return
    extra = _date_or(spec)
    if extra is not None:
        yield Column(label, path, DATE, spec, extra=extra, **common)
        return
    if "enum" in spec:
        labels = spec.get("x-enum-labels", {})
        choices = tuple((labels.get(v, v), v) for v in spec["enum"])
        yield Column(label, path, CHOICE, spec, choices=choices, **common)
        return
    kind = spec.get("type")
    if kind == "object":
        needed = set(spec.get("required", ()))
        for name, child in spec.get("properties", {}).items():
            if _resolve(child).get("type") == "array":
                continue  # a list: a sheet of its own
            yield from _columns(child, path + (name,), name, required and name in needed, internal)
        return
    if kind == "integer":
        yield Column(label, path, INTEGER, spec, **common)
    elif kind == "number":
        yield Column(label, path, NUMBER, spec, **common)
    elif kind == "boolean":
        yield Column(label, path, BOOLEAN, spec, choices=tuple((t, v) for v, t in BOOLEAN_TEXT.items()), **common)
    elif spec.get("format") == "date":
        yield Column(label, path, DATE, spec, **common)
    elif kind == "string":
        source = spec.get("x-vocabulary") or spec.get("x-references")
        yield Column(label, path, TEXT, spec, source=source, **common)
    else:  # pragma: no cover - the schema has no other kind of value
        raise ValueError(f"no cell kind for {path}: {spec}")


def _lists(spec: dict, path: tuple, internal: bool) -> Iterator[tuple[tuple, dict, bool]]:
    """(path, spec, internal) of every list under a mapping, depth first, in schema order."""
    for name, child in _resolve(spec).get("properties", {}).items():
        child = _resolve(child)
        hidden = internal or bool(child.get("x-internal"))
        alternative = const_or_list(child)
        if alternative:
            child = alternative[1]
        if child.get("type") == "array":
            yield path + (name,), child, hidden
        elif child.get("type") == "object":
            yield from _lists(child, path + (name,), hidden)


def _distinct_headers(columns) -> tuple:
    """A second time limit on a row (法定办结时限 beside 承诺时限) names its columns after its own label."""
    seen: set[str] = set()
    out = []
    for column in columns:
        if column.header in seen and column.limit_label and column.header != column.limit_label:
            column = dataclasses.replace(column, header=column.limit_label + column.header.removeprefix("时限"))
        seen.add(column.header)
        out.append(column)
    return tuple(out)


def _id_column() -> Column:
    spec = schema.load_schema("record")["properties"]["id"]
    return Column(spec["x-label"], ("id",), TEXT, spec, description=spec.get("description", ""), required=True)


def _sheets_for_list(path: tuple, spec: dict, internal: bool, parent: Sheet | None) -> Iterator[Sheet]:
    item = _resolve(spec.get("items", {}))
    label = spec["x-label"]
    keys = (_id_column(),) if parent is None else (_id_column(), _index_column(parent))
    if item.get("type") == "object":
        needed = set(item.get("required", ()))
        columns = _distinct_headers(c for name, child in item.get("properties", {}).items()
                                    if _resolve(child).get("type") != "array"
                                    for c in _columns(child, (name,), name, name in needed, internal))
        nested = [(name, _resolve(child)) for name, child in item.get("properties", {}).items()
                  if _resolve(child).get("type") == "array"]
        index = f"{spec['x-item-label']}序号" if nested and spec.get("x-item-label") else (
            f"{label}序号" if nested else None)
        sheet = Sheet(label, path, keys, columns, spec.get("description", ""), internal, index,
                      parent.name if parent else None, spec.get("x-item-label", "项"))
        yield sheet
        for name, child in nested:
            yield from _sheets_for_list(path + (name,), child, internal, sheet)
    else:
        column = next(_columns(item | {"x-label": label}, (), label, True, internal))
        yield Sheet(label, path, keys, (column,), spec.get("description", ""), internal, None,
                    parent.name if parent else None)


def _index_column(parent: Sheet) -> Column:
    return Column(parent.index_header, ("#",), INTEGER, {"type": "integer", "minimum": 1},
                  description=f"这一行属于{parent.name}中的第几项（与{parent.name}工作表的“{parent.index_header}”对应）。",
                  required=True)


@lru_cache(maxsize=None)
def layout(internal: bool) -> Layout:
    """The workbook of one edition: the public one has no internal-only column or sheet."""
    root = schema.load_schema("record")
    needed = set(root.get("required", ()))
    columns = []
    for name, spec in root["properties"].items():
        if _resolve(spec).get("type") == "array":
            continue
        columns.extend(_columns(spec, (name,), name, name in needed, False))
    columns = list(_distinct_headers(columns))
    records = Sheet(RECORDS_SHEET, (), (), tuple(columns), root.get("description", ""))
    sheets = [records]
    for path, spec, hidden in _lists(root, (), False):
        sheets.extend(_sheets_for_list(path, spec, hidden, None))
    sheets = _distinct_names(sheets)
    if not internal:
        sheets = [s for s in sheets if not s.internal]
        sheets[0] = Sheet(RECORDS_SHEET, (), (), tuple(c for c in columns if not c.internal), records.description)
    _check_unique(sheets)
    return Layout(tuple(sheets), internal)


def _distinct_names(sheets: list[Sheet]) -> list[Sheet]:
    """Lists that share a label (each step's, answer's and question's 所依据的条款) are named by their parent too."""
    counts = collections.Counter(s.name for s in sheets)
    renamed = {s.name: s.name for s in sheets}
    out = []
    for sheet in sheets:
        if counts[sheet.name] > 1 and sheet.parent:
            sheet = dataclasses.replace(sheet, name=f"{renamed.get(sheet.parent, sheet.parent)}·{sheet.name}")
        out.append(sheet)
    return out


def _check_unique(sheets: list[Sheet]) -> None:
    names = [s.name for s in sheets] + [GUIDE_SHEET, CHOICES_SHEET]
    if len(set(names)) != len(names):  # pragma: no cover - a schema edit gave two lists one label
        raise ValueError(f"two sheets share a name: {names}")
    for sheet in sheets:
        if len(set(sheet.headers)) != len(sheet.headers):  # pragma: no cover
            raise ValueError(f"two columns of {sheet.name} share a header: {sheet.headers}")


def internal_only(full: Layout, public: Layout) -> tuple[set, set]:
    """(sheet names, records-sheet headers) that only the internal workbook has."""
    sheets = set(full.names) - set(public.names)
    headers = set(full.records.headers) - set(public.records.headers)
    return sheets, headers


# -- records to rows ---------------------------------------------------------------------------------

def get(data: Any, path: tuple) -> Any:
    """The value at ``path`` (keys and list indexes), or None when any step is missing."""
    for part in path:
        if isinstance(part, int) and isinstance(data, list) and 0 <= part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return None
    return data


def _row_values(sheet: Sheet, item: Any) -> list:
    out = []
    for column in sheet.columns:
        if column.limit is not None:
            whole = get(item, column.limit)
            if isinstance(whole, str):  # 即办: in the unit column, every other column of the limit empty
                out.append(whole if column.kind == TIME_UNIT else None)
                continue
        value = item if column.path == () else get(item, column.path)
        if column.kind == CONST:
            out.append(value if value == column.const else None)
        elif column.kind == JOINED:
            out.append(None if value is None else JOIN.join(value))
        elif column.kind == NUMBER and isinstance(value, float) and value.is_integer():
            out.append(repr(value))  # 80.0 as the text "80.0": a number cell would read back as 80

        else:
            out.append(None if value is None else column.cell_text(value))
    return out


def rows(layout_: Layout, record: dict) -> dict[str, list[list]]:
    """Sheet name -> rows (cell values, keys first) that hold ``record``.

    A list that is present but empty is one row holding only the keys, so that
    "no tags" and "an empty list of tags" both survive the round trip.
    """
    record_id = record.get("id")
    out: dict[str, list[list]] = {layout_.records.name: [_row_values(layout_.records, record)]}
    for sheet in layout_.sheets[1:]:
        out[sheet.name] = []
        if sheet.nested:
            parent_path, name = sheet.list_path[:-1], sheet.list_path[-1]
            parents = get(record, parent_path)
            parents = parents if isinstance(parents, list) else []
            owners = [((record_id, n), item.get(name)) for n, item in enumerate(parents, 1)
                      if isinstance(item, dict) and name in item]
        else:
            value = get(record, sheet.list_path)
            owners = [((record_id,), value)] if isinstance(value, list) else []  # not the constant (不收费)
        for keys, items in owners:
            if not items:
                out[sheet.name].append(list(keys) + [None] * (len(sheet.headers) - len(keys)))
            for number, item in enumerate(items, 1):
                index = [number] if sheet.index_header else []
                out[sheet.name].append(list(keys) + index + _row_values(sheet, item))
    return out
