"""Whether a cited law is in force, decided on the build's day from its ``effective`` date.

A law adopted but not yet in force may be cited ahead of time only when the citation says so
(``upcoming: true``), and it never stands alone as a published record's basis: until that day the matter is
handled under the rules in force. Nothing turns red on the day a law takes effect: a leftover ``upcoming``
mark, or a registry entry still saying 尚未施行, is only a warning asking for the record or registry to be
updated. (DESIGN.md, "A record that holds a real guide".)
"""

from __future__ import annotations

from datetime import date
from typing import Iterator

from ..records.report import Problem

NOT_YET = "尚未施行"


def _effective(law: dict) -> date | None:
    value = law.get("effective")
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def in_force(law: dict, today: date) -> bool:
    effective = _effective(law)
    return effective is None or effective <= today


def errors(kb, today: date) -> list[Problem]:
    """Citations of laws not yet in force without ``upcoming: true``; published records resting on them alone."""
    out = []
    for record in kb.records:
        basis = record.data["legal_basis"]
        pending = []
        for index, entry in enumerate(basis):
            law = kb.laws[entry["law"]]
            if in_force(law, today):
                continue
            pending.append(index)
            if not entry.get("upcoming"):
                out.append(record.doc.problem(
                    ("legal_basis", index, "law"),
                    f"{law['title']}自 {law['effective']} 起施行，今天（{today.isoformat()}）还没有施行：引用它须标 "
                    "upcoming: true（页面注明尚未施行和施行日期），并以现行有效的规定为依据办理"))
        if basis and len(pending) == len(basis) and record.status == "published":
            out.append(record.doc.problem(
                ("legal_basis",), "已发布的记录不能只以尚未施行的法律为依据：请加上现行有效的依据，或在施行前保持草稿"))
    return out


def warnings(kb, today: date) -> Iterator[Problem]:
    """A leftover ``upcoming`` mark once the law is in force; a registry status that the dates contradict."""
    for record in kb.records:
        for index, entry in enumerate(record.data["legal_basis"]):
            law = kb.laws[entry["law"]]
            if entry.get("upcoming") and in_force(law, today):
                yield record.doc.problem(
                    ("legal_basis", index, "upcoming"),
                    f"{law['title']}已于 {law['effective']} 施行：请去掉 upcoming 标记，并按施行后的条文复核这条依据").as_warning()
    doc = kb.registry_docs.get("laws")
    if doc is None:
        return
    for index, law in enumerate(doc.data["laws"]):
        effective = _effective(law)
        if effective is None:
            continue
        if law.get("status") == NOT_YET and effective <= today:
            yield doc.problem(("laws", index, "status"),
                              f"{law['title']}已于 {law['effective']} 施行，登记表仍写“{NOT_YET}”：请改为“现行有效”").as_warning()
        elif law.get("status") == "现行有效" and effective > today:
            yield doc.problem(("laws", index, "status"),
                              f"{law['title']}自 {law['effective']} 起施行，现在还没有施行：时效性应为“{NOT_YET}”").as_warning()
