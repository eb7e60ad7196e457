"""What a build shows of the ledgers, as plain data for ``kb.site.cases`` (which knows nothing of ledgers).

- The internal edition reads the ledgers ``extra.kb.ledgers`` names (paths or globs, relative to the
  config file), checks them (any problem stops the build, with the same lines as ``kb ledger check``)
  and hands over the report: the ``cases/`` pages and each guide's count of cases served come from it.
  Only 编号, dates and summaries reach the pages; the files are named by their base name.
- The public edition never reads a ledger, whatever its config says. It may show the whole-site totals
  from ``extra.kb.ledger_totals`` (the file ``kb ledger report --totals-out`` writes, numbers only).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .check import Vocabulary, read_and_check
from .link import Linker
from .project import LedgerError, kb_options, ledger_paths, window_of
from .report import TotalsError, read_totals, report

#: Cases listed on the overdue page and per candidate group at most (the rest are counted).
SHOWN = 500


def cases_for_build(extra: dict | None, config_dir: Path, internal: bool, today: date, kb,
                    config_name: str = "mkdocs.yml") -> dict | None:
    """The data of the ledger pages for a build, or None when the site shows nothing of a ledger.

    Raises ``LedgerError`` (Chinese message) for a ledger or totals file that cannot be used.
    """
    options = kb_options({"extra": extra or {}})
    totals = None
    if options.get("ledger_totals"):
        path = Path(str(options["ledger_totals"]))
        try:
            totals = read_totals(path if path.is_absolute() else config_dir / path)
        except TotalsError as exc:
            raise LedgerError(f"{config_name}: extra.kb.ledger_totals：{exc}", 1) from None
    if not internal:
        return {"totals": totals} if totals else None  # the ledgers are never opened here
    window = window_of(options, config_name)
    paths = ledger_paths(options.get("ledgers"), config_dir, config_name)
    if not paths:
        return {"totals": totals, "configured": False, "window": window}
    _, cases, problems = read_and_check(paths, Vocabulary.of(kb), window.name)
    if problems:
        lines = "\n".join(map(str, problems[:50]))
        more = f"\n……另有 {len(problems) - 50} 个问题" if len(problems) > 50 else ""
        raise LedgerError(f"台账有 {len(problems)} 个问题，内部版未构建（先运行 kb ledger check 修正）：\n{lines}{more}", 1)
    data = report(cases, window, today, Linker(kb), kb_ids={r.id for r in kb.records})
    data["overdue_cases"] = [{k: v for k, v in row.items() if k not in ("文件", "行")}
                             for row in data["overdue_cases"]]
    return {"totals": totals, "configured": True, "window": window, "report": data,
            "files": [p.name for p in paths], "shown": SHOWN}
