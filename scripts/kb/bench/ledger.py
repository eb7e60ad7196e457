"""``kb bench --ledger``: the window's ledger at a province's scale, and how well ``kb ledger link`` links.

- ``kb ledger report`` over a generated ledger of ``rows`` cases (a province's year: 100,000), as
  CSV and as an xlsx workbook — reading, checking every cell, the discipline over the official
  calendar, linking the unlinked cases and grouping the candidates, end to end in this process;
- ``kb ledger link`` of ``links`` distinct cases (10,000) with the site's ranking, side by side with
  a plain character-overlap matcher (the baseline: the record whose title, aliases and applies_when
  share the largest part of the summary's characters);
- precision and recall of both on the labelled set ``tests/ledger_link_cases.yml`` (cases in the
  words the window writes, a quarter of them belonging to no record). Precision: of the suggestions
  made, the share that are right; recall: of the cases that belong to a record, the share suggested
  rightly. The baseline's threshold is the one that gives it its best F1 on the same set (generous).

The generated summaries are the labelled set's, each with a varying lead-in and tail (来电反映……，
第二次来问), so they are distinct and read like a ledger; dates run over a year, 70% of the cases
carry a 一类事编号.
"""

from __future__ import annotations

import csv
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

from ..knowledge import load_knowledge_base
from ..ledger.check import Vocabulary, read_and_check
from ..ledger.link import Linker
from ..ledger.project import Window
from ..ledger.report import report
from ..ledger.table import COLUMNS
from ..search.rank import STOP_CHARS

LEADS = ["", "群众反映", "来电反映", "企业反映", "家属代为反映", "窗口转来", "12345转办", "网上留言", "第二次来问",
         "现场反映", "社区转来"]
TAILS = ["", "在普通窗口没办成", "跑了两趟", "希望尽快答复", "已经等了一个月", "窗口让回去等通知", "问下一步怎么办",
         "情绪比较急", "说别的窗口让来这里", "要求书面答复", "之前打过电话"]


def labelled(root: Path) -> list[dict]:
    return yaml.safe_load((root / "tests" / "ledger_link_cases.yml").read_text(encoding="utf-8"))["cases"]


def generate(cases: list[dict], kb, rows: int, path: Path, seed: int = 25) -> None:
    """A ledger of ``rows`` cases at ``path`` (.csv or .xlsx)."""
    rng = random.Random(seed)
    vocab = Vocabulary.of(kb)
    start = date(2026, 1, 5)
    out = []
    for n in range(rows):
        case = rng.choice(cases)
        summary = "，".join(p for p in (rng.choice(LEADS), case["summary"], rng.choice(TAILS)) if p) + "。"
        accepted = start + timedelta(days=rng.randrange(330))
        replied = accepted + timedelta(days=rng.choice((0, 1, 2, 3, 4, 6)))
        closed = accepted + timedelta(days=rng.choice((1, 3, 5, 7, 9))) if rng.random() < 0.95 else None
        linked = case["expect"] if case["expect"] and rng.random() < 0.7 else ""
        out.append([f"{2026}-{n + 1:06d}", accepted.isoformat(), summary, rng.choice(("个人", "个人", "企业")),
                    rng.choice(vocab.domains), rng.choice(("不动产登记机构", "社会保险经办机构", "市场监督管理部门",
                                                           "公安机关户籍窗口", "人力资源社会保障部门")),
                    "、".join(rng.sample(vocab.causes, rng.choice((1, 1, 2)))), rng.choice(("办不了", "很难办", "不给办")),
                    replied.isoformat(), closed.isoformat() if closed else "",
                    rng.choice(("已解决",) * 9 + ("部分解决",)) if closed else "", linked,
                    rng.choice(("甲中心", "乙中心", "丙中心"))])
    if path.suffix == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(out)
        return
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(list(COLUMNS))
    for row in out:
        ws.append([date.fromisoformat(v) if i in (1, 8, 9) and v else v for i, v in enumerate(row)])
    wb.save(path)


class OverlapMatcher:
    """The baseline: the record whose title, aliases and applies_when share most of the summary's characters."""

    def __init__(self, kb, threshold: float = 0.5):
        self.threshold = threshold
        self.records = []
        for record in kb.records:
            if record.status == "retired":
                continue
            data = record.data
            text = "".join([data["title"], *data["aliases"], *data["applies_when"]])
            self.records.append((record.id, set(text) - set(STOP_CHARS)))

    def score(self, summary: str) -> tuple[str | None, float]:
        chars = {c for c in summary if "\u4e00" <= c <= "\u9fff"} - set(STOP_CHARS)
        if not chars:
            return None, 0.0
        best, value = None, 0.0
        for record_id, have in self.records:
            share = len(chars & have) / len(chars)
            if share > value:
                best, value = record_id, share
        return best, value

    def suggest(self, summary: str) -> str | None:
        best, value = self.score(summary)
        return best if value >= self.threshold else None


def precision_recall(pairs: list[tuple[str | None, str | None]]) -> dict:
    """``pairs``: (expected, suggested). Precision over suggestions made, recall over cases with a class."""
    made = [(e, s) for e, s in pairs if s]
    right = sum(1 for e, s in made if e == s)
    positives = sum(1 for e, _ in pairs if e)
    wrong_none = sum(1 for e, s in made if e is None)
    return {"cases": len(pairs), "with_class": positives, "without_class": len(pairs) - positives,
            "suggested": len(made), "right": right, "wrong": len(made) - right, "wrong_on_no_class": wrong_none,
            "precision": right / len(made) if made else 1.0, "recall": right / positives if positives else 0.0}


def run(root: Path, rows: int = 100_000, links: int = 10_000, progress=print) -> dict:
    root = Path(root).resolve()
    loaded = load_knowledge_base(root)
    if loaded.problems:
        raise RuntimeError("知识库有问题，先运行 kb check")
    kb = loaded.kb
    cases = labelled(root)
    result: dict = {"rows": rows, "links": links}

    linker = Linker(kb)
    ours = precision_recall([(c["expect"], linker.suggest(c["summary"]).record) for c in cases])
    baseline = OverlapMatcher(kb)
    scored = [(c["expect"], *baseline.score(c["summary"])) for c in cases]
    best = max((precision_recall([(e, r if v >= t else None) for e, r, v in scored]) | {"threshold": t}
                for t in [x / 20 for x in range(4, 20)]),
               key=lambda m: (2 * m["precision"] * m["recall"] / ((m["precision"] + m["recall"]) or 1), m["precision"]))
    baseline.threshold = best["threshold"]
    result["labelled"] = {"ours": ours, "baseline": best}
    progress(f"标注集 {len(cases)} 条：本站检索 精确率 {ours['precision']:.1%} 召回率 {ours['recall']:.1%}；"
             f"字符重合 精确率 {best['precision']:.1%} 召回率 {best['recall']:.1%}")

    with tempfile.TemporaryDirectory(prefix="kb-bench-ledger-") as tmp:
        work = Path(tmp)
        vocab = Vocabulary.of(kb)
        window = Window()
        for suffix in (".csv", ".xlsx"):
            path = work / f"ledger{suffix}"
            progress(f"生成 {rows:,} 行台账（{suffix}）…")
            generate(cases, kb, rows, path)
            began = time.perf_counter()
            _, found, problems = read_and_check([path], vocab)
            read_s = time.perf_counter() - began
            if problems:
                raise RuntimeError(f"生成的台账有问题：{problems[0]}")
            data = report(found, window, date(2026, 12, 31), Linker(kb), kb_ids={r.id for r in kb.records})
            total_s = time.perf_counter() - began
            result[f"report{suffix}"] = {"seconds": total_s, "read_check_seconds": read_s, "bytes": path.stat().st_size,
                                        "cases": data["total"], "unlinked": data["unlinked"],
                                        "candidates": len(data["candidates"]), "overdue": len(data["overdue"])}
            progress(f"kb ledger report {rows:,} 行（{suffix}）：{total_s:.1f} 秒（读取和检查 {read_s:.1f} 秒）")

        rng = random.Random(7)
        summaries = list(dict.fromkeys(
            "，".join(p for p in (rng.choice(LEADS), rng.choice(cases)["summary"], rng.choice(TAILS), str(rng.randrange(10**6)))
                     if p) for _ in range(links)))
        fresh = Linker(kb)
        began = time.perf_counter()
        fresh.ranker  # the index of the records: part of every run of the command
        index_s = time.perf_counter() - began
        for summary in summaries:
            fresh.suggest(summary)
        ours_s = time.perf_counter() - began
        began = time.perf_counter()
        plain = OverlapMatcher(kb, baseline.threshold)
        for summary in summaries:
            plain.suggest(summary)
        plain_s = time.perf_counter() - began
        result["link"] = {"cases": len(summaries), "seconds": ours_s, "index_seconds": index_s,
                          "baseline_seconds": plain_s}
        progress(f"kb ledger link {len(summaries):,} 件：{ours_s:.1f} 秒（建索引 {index_s:.1f} 秒）；字符重合 {plain_s:.1f} 秒")
    return result


def format_table(result: dict) -> str:
    ours, base = result["labelled"]["ours"], result["labelled"]["baseline"]
    csv_, xlsx = result["report.csv"], result["report.xlsx"]
    link = result["link"]
    lines = [
        "台账基准（kb bench --ledger）",
        f"{'项目':<28}{'本站检索':>14}{'字符重合（对照）':>16}",
        f"{'标注集条数（无所属一类事）':<22}{ours['cases']:>8} ({ours['without_class']})",
        f"{'精确率':<28}{ours['precision']:>14.1%}{base['precision']:>16.1%}",
        f"{'召回率':<28}{ours['recall']:>14.1%}{base['recall']:>16.1%}",
        f"{'建议 / 对 / 错（其中错挂无类的）':<20}{ours['suggested']:>6}/{ours['right']}/{ours['wrong']}({ours['wrong_on_no_class']})"
        f"{base['suggested']:>10}/{base['right']}/{base['wrong']}({base['wrong_on_no_class']})",
        f"{'对照的阈值（按 F1 取最优）':<24}{'':>14}{base['threshold']:>16}",
        f"{'link ' + format(link['cases'], ',') + ' 件（秒）':<28}{link['seconds']:>14.1f}{link['baseline_seconds']:>16.1f}",
        f"{'report ' + format(result['rows'], ',') + ' 行 CSV（秒）':<28}{csv_['seconds']:>14.1f}",
        f"{'report ' + format(result['rows'], ',') + ' 行 xlsx（秒）':<28}{xlsx['seconds']:>14.1f}",
        f"其中读取和检查：CSV {csv_['read_check_seconds']:.1f} 秒，xlsx {xlsx['read_check_seconds']:.1f} 秒；"
        f"未归类 {csv_['unlinked']:,} 件，候选 {csv_['candidates']} 组，逾期 {csv_['overdue']:,} 件",
    ]
    return "\n".join(lines)
