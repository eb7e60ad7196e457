"""The record as a real 办事指南: rules the schema cannot say about limits, fees, situations and materials.

Every number says where it comes from (DESIGN.md, "A record that holds a real guide"): a numeric time limit
of a published record says ``kind`` — ``法定`` with the article that states the number (``basis``), or
``承诺``, the centre's own commitment; a published record says what it costs (``fees``) and, for every
material, whether it is required; situations and groups of alternative materials are declared before use;
and nothing published still holds a template's placeholder. The rules that need the calendar (the chain of
steps against the commitment and the law) are the counter's (``kb.counter.limits``).

Each rule is a function ``(doc, published) -> iterable of Problem``; ``CHECKS`` lists them.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator

from .load import Document
from .report import Problem

STATUTORY, COMMITTED = "法定", "承诺"
#: Words a template or a half-done draft leaves behind; a published record may hold none of them.
PLACEHOLDER = re.compile(r"待补充|待填写|待完善|待核实|请填写|此处填写|TODO|TBD|FIXME|XXX|×××|（略）|\.\.\.\.\.\.等|……等", re.I)


#: The fields of a guide's ``service`` a site's ``extra.kb.centre`` may give (DESIGN.md: the record's ``service``).
SERVICE_FIELDS = ("place", "hours", "phone", "complaint_phone")


def merged_service(own: dict | None, centre: dict | None) -> dict:
    """Where and when to apply, whom to call: a record's ``service``, field by field over the centre's
    (``extra.kb.centre``); ``online_url`` and ``visits`` are the record's alone. Pages, cards and the card
    check all print this one merge."""
    own, centre = own or {}, centre or {}
    merged = {key: own.get(key, centre.get(key)) for key in SERVICE_FIELDS}
    merged["online_url"], merged["visits"] = own.get("online_url"), own.get("visits")
    return merged


def _items(value: Any) -> list:
    return value if isinstance(value, list) else []


def limit_paths(data: dict) -> Iterator[tuple[tuple, Any]]:
    """Every time limit of a record with its field path: the committed and statutory ones, each step's and
    each other deadline's."""
    for key in ("time_limit", "statutory_time_limit"):
        if key in data:
            yield (key,), data[key]
    for field in ("procedure", "deadlines"):
        for index, item in enumerate(_items(data.get(field))):
            if isinstance(item, dict) and "time_limit" in item:
                yield (field, index, "time_limit"), item["time_limit"]


def basis_refs(data: dict) -> Iterator[tuple[tuple, list, str]]:
    """(path of the list, the list, what it belongs to) for every ``basis`` inside a time limit or a fee:
    each must name one of the record's legal_basis entries, like the basis of a step or an answer."""
    for path, limit in limit_paths(data):
        if isinstance(limit, dict) and isinstance(limit.get("basis"), list):
            yield path + ("basis",), limit["basis"], "这一时限"
    fees = data.get("fees")
    for index, fee in enumerate(_items(fees)):
        if isinstance(fee, dict) and isinstance(fee.get("basis"), list):
            yield ("fees", index, "basis"), fee["basis"], "这项收费"


def limit_kinds(doc: Document, published: bool) -> Iterator[Problem]:
    for path, limit in limit_paths(doc.data):
        if not isinstance(limit, dict):
            if path == ("statutory_time_limit",) and limit is not None:
                yield doc.problem(path, "法定办结时限应写数值、单位和 kind: 法定（basis 写规定这个数的条款），不能写“即办”")
            continue
        kind = limit.get("kind")
        if path == ("statutory_time_limit",) and kind not in (None, STATUTORY):
            yield doc.problem(path + ("kind",), f"法定办结时限的 kind 应为“{STATUTORY}”")
        elif kind is None and (published or path == ("statutory_time_limit",)):
            yield doc.problem(path, f"没有注明这个时限从哪里来：写 kind: {STATUTORY}（并在 basis 写规定这个数的条款）"
                                    f"或 kind: {COMMITTED}（本中心的承诺，可在 document 写承诺文件）；已发布的记录每个数值时限都要写")
        if kind == STATUTORY and not limit.get("basis"):
            yield doc.problem(path, "法定时限须在 basis 写明规定这个数的条款（“法律编号 条款号”，且在办理依据中）；"
                                    f"找不到写明这个数的条款的，是本中心的承诺，请改为 kind: {COMMITTED}")
        if kind == COMMITTED and limit.get("basis"):
            yield doc.problem(path + ("basis",), f"承诺时限不写 basis：条款规定了这个数的，请改为 kind: {STATUTORY}；"
                                                 "要写明承诺出自哪份文件，请写在 document")


def special_steps(doc: Document, published: bool) -> Iterator[Problem]:
    for index, step in enumerate(_items(doc.data.get("procedure"))):
        if isinstance(step, dict) and step.get("counted") is False and not step.get("note"):
            yield doc.problem(("procedure", index, "counted"), "不计入承诺时限的特殊环节（counted: false）须在 note 说明是什么环节、为什么不计入")


def fees(doc: Document, published: bool) -> Iterator[Problem]:
    value = doc.data.get("fees")
    if value is None:
        if published:
            yield doc.problem(("fees",), "已发布的记录须写明收费：不收费的写 fees: 不收费；收费的逐项写 name、amount、unit 和依据")
        return
    for index, fee in enumerate(_items(value)):
        if isinstance(fee, dict) and not fee.get("basis") and not fee.get("document"):
            yield doc.problem(("fees", index), "收费项目须写明依据：basis 写规定收费的条款（在办理依据中），"
                                               "或 document 写收费文件的名称和文号")


def situations(doc: Document, published: bool) -> Iterator[Problem]:
    declared: dict[str, int] = {}
    for index, item in enumerate(_items(doc.data.get("situations"))):
        sid = item.get("id") if isinstance(item, dict) else None
        if not isinstance(sid, str):
            continue
        if sid in declared:
            yield doc.problem(("situations", index, "id"), f"情形编号“{sid}”重复（第 {declared[sid]} 行已有）")
        else:
            declared[sid] = doc.line_of(("situations", index, "id"))
    choices = "、".join(declared) if declared else "（本记录没有声明 situations）"
    for field in ("materials", "procedure"):
        for index, item in enumerate(_items(doc.data.get(field))):
            refs = item.get("situations") if isinstance(item, dict) else None
            for k, ref in enumerate(_items(refs)):
                if isinstance(ref, str) and ref not in declared:
                    yield doc.problem((field, index, "situations", k),
                                      f"情形“{ref}”没有在 situations 中声明，可选：{choices}")


def materials(doc: Document, published: bool) -> Iterator[Problem]:
    """Explicit ``required`` on a published record; a name once per situation; groups of two or more."""
    items = [(i, m) for i, m in enumerate(_items(doc.data.get("materials"))) if isinstance(m, dict)]
    seen: dict[str, list[tuple[int, frozenset | None]]] = {}
    groups: dict[str, list[int]] = {}
    for index, material in items:
        if published and "required" not in material:
            yield doc.problem(("materials", index), "已发布的记录须为每份材料写明 required: true（必须提供）"
                                                    "或 false（可容缺或视情况提供），不能省略")
        name = material.get("name")
        refs = material.get("situations")
        scope = frozenset(r for r in refs if isinstance(r, str)) if isinstance(refs, list) else None
        if isinstance(name, str):
            for other, other_scope in seen.get(name, []):
                if scope is None or other_scope is None or scope & other_scope:
                    yield doc.problem(("materials", index, "name"),
                                      f"材料“{name}”重复（第 {doc.line_of(('materials', other, 'name'))} 行已有）："
                                      "同名材料只能分属不同的情形（situations）")
                    break
            seen.setdefault(name, []).append((index, scope))
        if isinstance(material.get("group"), str):
            groups.setdefault(material["group"], []).append(index)
    for group, members in groups.items():
        if len(members) == 1:
            yield doc.problem(("materials", members[0], "group"),
                              f"可替代组“{group}”只有这一份材料：同组的材料带来任意一份即可，一组至少两份；只有一份的不写 group")


def placeholders(doc: Document, published: bool) -> Iterator[Problem]:
    if not published:
        return
    for path, text in doc.strings:
        match = PLACEHOLDER.search(text)
        if match:
            yield doc.problem(path, f"已发布的记录不能含占位文字“{match.group(0)}”，请换成真实内容（或把 status 改回 draft）")


#: Every rule of this module, in the order its problems are listed.
CHECKS: list[Callable[[Document, bool], Iterable[Problem]]] = [
    limit_kinds, special_steps, fees, situations, materials, placeholders]


def problems(doc: Document) -> list[Problem]:
    """Every problem of ``doc`` (a record that is a mapping) under the rules above."""
    published = doc.data.get("status") == "published"
    return [p for check in CHECKS for p in check(doc, published)]
