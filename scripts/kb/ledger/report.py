"""What the ledger teaches: ``kb ledger report`` and the data of the internal site's ``cases/`` pages.

The JSON keys are fixed by DESIGN.md ("From 一件事 to 一类事"): ``total``, ``resolved``, ``linked``,
``classes``, ``reply_on_time``, ``resolve_on_time``, ``overdue`` (编号 list), ``by_class``,
``by_cause``, ``by_department``, ``by_month``, ``by_window`` and ``candidates``. Further keys say
what the numbers were counted with (``as_of``, ``from``, ``to``, ``discipline``) and give the
detail the pages show (``by_class_month``, ``overdue_cases``, ``unlinked``, ``suggestible``).

The totals for the public edition (``totals``) are numbers only: nothing of a case's text.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

from . import candidates as seeds
from .check import Case
from .discipline import Discipline
from .link import Linker
from .project import Window

#: Keys of the totals file, and nothing else (numbers only): the public edition reads it.
TOTALS_KEYS = ("total", "resolved", "classes", "linked")


def _sorted_counts(counter: Counter) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def report(cases: list[Case], window: Window, as_of: date, linker: Linker | None = None,
           start: date | None = None, end: date | None = None, kb_ids=frozenset()) -> dict:
    chosen = [c for c in cases if (start is None or c.accepted >= start) and (end is None or c.accepted <= end)]
    discipline = Discipline(window)
    by_class: Counter = Counter()
    by_class_month: dict[str, Counter] = {}
    by_cause: Counter = Counter()
    by_department: Counter = Counter()
    by_month: Counter = Counter()
    by_window: Counter = Counter()
    overdue: list[dict] = []
    reply_on_time = resolve_on_time = resolved = 0
    uncovered: set[int] = set()
    unlinked: list[Case] = []
    for case in chosen:
        month = case.accepted.strftime("%Y-%m")
        by_month[month] += 1
        by_window[case.window or "（未填窗口）"] += 1
        by_cause.update(case.causes)
        by_department.update(case.departments)
        if case.record:
            by_class[case.record] += 1
            by_class_month.setdefault(case.record, Counter())[month] += 1
        else:
            unlinked.append(case)
        if case.resolved:
            resolved += 1
        standing = discipline.standing(case, as_of)
        uncovered.update(standing.uncovered)
        answered = case.replied or case.closed
        if answered is not None and answered <= standing.reply_by:
            reply_on_time += 1
        if case.closed is not None and case.closed <= standing.resolve_by:
            resolve_on_time += 1
        if standing.overdue:
            overdue.append({"编号": case.number, "窗口": case.window, "受理日期": case.accepted.isoformat(),
                            "答复期限": standing.reply_by.isoformat(), "办结期限": standing.resolve_by.isoformat(),
                            "答复日期": case.replied.isoformat() if case.replied else "",
                            "办结日期": case.closed.isoformat() if case.closed else "",
                            "诉求摘要": case.summary, "情况": standing.reason(), "文件": case.file, "行": case.row})
    pool = unlinked
    suggestible = 0
    groups: list[seeds.Group] = []
    if linker is not None and unlinked:
        pool = []
        for case in unlinked:
            if linker.suggest(case.summary).record:
                suggestible += 1
            else:
                pool.append(case)
        groups = seeds.group(pool, linker.ranker, set(kb_ids))
    out = {
        "total": len(chosen),
        "resolved": resolved,
        "linked": len(chosen) - len(unlinked),
        "classes": len(by_class),
        "reply_on_time": reply_on_time,
        "resolve_on_time": resolve_on_time,
        "overdue": [row["编号"] for row in overdue],
        "by_class": _sorted_counts(by_class),
        "by_cause": _sorted_counts(by_cause),
        "by_department": _sorted_counts(by_department),
        "by_month": dict(sorted(by_month.items())),
        "by_window": _sorted_counts(by_window),
        "candidates": [{"编号": [c.number for c in g.cases], "title": g.title, "aliases": g.aliases,
                        "id": g.record_id, "domain": g.domain,
                        "kb_new": new_command(g),
                        "cases": [{"编号": c.number, "窗口": c.window, "受理日期": c.accepted.isoformat(),
                                   "诉求摘要": c.summary} for c in g.cases]} for g in groups],
        "as_of": as_of.isoformat(),
        "from": start.isoformat() if start else None,
        "to": end.isoformat() if end else None,
        "discipline": {"reply": window.reply, "resolve": window.resolve},
        "calendar_uncovered": sorted(uncovered),
        "unlinked": len(unlinked),
        "suggestible": suggestible,
        "by_class_month": {k: dict(sorted(v.items())) for k, v in sorted(by_class_month.items())},
        "overdue_cases": overdue,
    }
    return out


def new_command(found) -> str:
    title = found.title.replace('"', "")
    domain = f' --domain "{found.domain}"' if found.domain else ""
    return f'kb new {found.record_id} --title "{title}"{domain}'


def totals(data: dict) -> dict:
    """The whole-site totals for the public edition: numbers only."""
    return {key: int(data[key]) for key in TOTALS_KEYS}


def write_totals(data: dict, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(totals(data), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


class TotalsError(ValueError):
    pass


def read_totals(path: Path) -> dict:
    """A totals file as the public edition may show it; anything but the known keys with whole numbers is refused."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TotalsError(f"找不到台账汇总文件 {path}（用 kb ledger report --totals-out {path} 生成）") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TotalsError(f"台账汇总文件 {path} 无法读取：{exc}") from None
    if not isinstance(data, dict) or set(data) != set(TOTALS_KEYS) or not all(
            isinstance(data[k], int) and not isinstance(data[k], bool) and data[k] >= 0 for k in TOTALS_KEYS):
        raise TotalsError(f"台账汇总文件 {path} 只能有 {'、'.join(TOTALS_KEYS)} 几项，每项是非负整数"
                          "（由 kb ledger report --totals-out 生成，不要手工加入其他内容）")
    return {k: data[k] for k in TOTALS_KEYS}
