"""Warnings: what needs a person's attention although nothing is wrong yet.

Errors (``kb.validate``) stop ``kb check`` and the build; warnings do not.
They are ``Problem`` objects with ``severity=WARNING`` (see ``kb.report``), one
line each with file, line and field, printed by ``kb check`` (exit code
unchanged) and logged by the MkDocs build as warnings.

Each kind of warning is one function ``(kb, today) -> iterable of Problem``;
``kb.knowledge.WARNINGS`` lists them all (the law's here, the counter's card
length in ``kb.counter.cardfit``). They run only on a knowledge base without
errors, so they can rely on the record contract.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

from . import revisions
from ..records.report import Problem


def awaiting_review(kb, today: date) -> Iterable[Problem]:
    """A record citing an article revised after its last review (``kb.revisions``)."""
    for record in kb.records:
        for flag in revisions.flags_for(record.data, kb.laws):
            message = f"依据修订后待复核：{flag.sentence(today)}。复核后更新 review.reviewed_on"
            yield record.doc.problem(("legal_basis", flag.index, "article"), message).as_warning()


def source_checks(kb, today: date) -> Iterable[Problem]:
    """A registry entry that does not say where its text was checked, or was checked over a year ago."""
    doc = kb.registry_docs.get("laws")
    if doc is None:
        return
    for index, law in enumerate(doc.data["laws"]):
        verified = law.get("verified")
        if not verified:
            message = (f"{law['title']}没有写明在哪里核对过文本（verified：核对所用文本、发布者、核对日期），"
                       "请对照官方文本核对后补上")
            yield doc.problem(("laws", index, "id"), message).as_warning()
        elif revisions.check_is_stale(law, today):
            message = (f"{law['title']}的文本最近一次核对在 {verified['checked_on']}，已超过 "
                       f"{revisions.STALE_AFTER_YEARS} 年，请重新对照官方文本核对（有修订的登记到 revisions）并更新核对日期")
            yield doc.problem(("laws", index, "verified", "checked_on"), message).as_warning()
