"""The results as text: the side-by-side table, growth between sizes, the summary."""

from __future__ import annotations

import statistics



#: What the table shows: (key, header, format).
COLUMNS = [
    ("records", "记录数", "{:d}"),
    ("public_records", "公开", "{:d}"),
    ("check_s", "check s", "{:.2f}"),
    ("public_s", "公开版 s", "{:.2f}"),
    ("internal_s", "内部版 s", "{:.2f}"),
    ("anchor_s", "基准站 s", "{:.2f}"),
    ("ratio", "公开/基准", "{:.2f}"),
    ("guide_max_kb", "指南最大 KB", "{:.1f}"),
    ("guide_median_kb", "指南中位 KB", "{:.1f}"),
    ("search_mb", "检索 MB", "{:.2f}"),
    ("search_bytes_per_record", "检索 B/条", "{:d}"),
    ("anchor_search_mb", "基准检索 MB", "{:.2f}"),
    ("public_peak_mb", "公开峰值 MB", "{:.0f}"),
    ("internal_peak_mb", "内部峰值 MB", "{:.0f}"),
    ("anchor_peak_mb", "基准峰值 MB", "{:.0f}"),
]


# -- the whole run ------------------------------------------------------------------------------
def format_table(results: list[dict]) -> str:
    rows = [[header for _, header, _ in COLUMNS]]
    for result in results:
        rows.append([fmt.format(result[key]) if result.get(key) is not None else "-" for key, _, fmt in COLUMNS])
    widths = [max(_width(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(" " * (w - _width(cell)) + cell for cell, w in zip(row, widths)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def growth(results: list[dict]) -> list[dict]:
    """How the public build grows from one size to the next (the check's 200 -> 2,000 figure)."""
    out = []
    for a, b in zip(results, results[1:]):
        out.append({"from": a["records"], "to": b["records"], "records_x": b["records"] / a["records"],
                    "public_x": b["public_s"] / a["public_s"], "anchor_x": b["anchor_s"] / a["anchor_s"],
                    "check_x": b["check_s"] / a["check_s"]})
    return out


def format_summary(report: dict) -> str:
    m = report["machine"]
    lines = [f"机器：{m['cpu']}，{m['cores']} 核，内存 {m['ram_gb']} GB；Python {m['python']}，MkDocs {m['mkdocs']}，"
             f"Material {m['material']}；{m['date']}（每项取 {report['repeat']} 次中的最小值）", "",
             format_table(report["results"])]
    names = {"startup": "启动", "config": "读入和检查", "files": "生成页面", "pages": "MkDocs 转换和套主题",
             "search": "检索索引"}
    for result in report["results"]:
        if result.get("public_phases"):
            lines.append(f"{result['records']} 条，公开版最快一次各阶段：" + "，".join(
                f"{names.get(k, k)} {v:.2f} s" for k, v in result["public_phases"].items()))
    for g in report["growth"]:
        lines.append(f"{g['from']} → {g['to']} 条（×{g['records_x']:.1f}）：公开版构建 ×{g['public_x']:.2f}，"
                     f"基准站 ×{g['anchor_x']:.2f}，kb check ×{g['check_x']:.2f}")
    for r in report["results"]:
        if r.get("largest_pages"):
            lines.append(f"{r['records']} 条：最大的页面 " + "，".join(
                f"{url} {kb / 1024:.1f} MB" if kb >= 1024 else f"{url} {kb:.0f} KB" for url, kb in r["largest_pages"][:3]))
        if "serve_reload_s" in r:
            line = (f"{r['records']} 条：mkdocs serve 启动 {r['serve_startup_s']:.1f} s；改一条记录后页面更新 "
                    f"中位 {statistics.median(r['serve_reload_s']):.2f} s（"
                    + "、".join(f"{s:.2f} s" for s in r["serve_reload_s"])
                    + "；其中更新页面 " + "、".join(f"{s:.2f} s" for s in r.get("serve_rebuild_s", [])) + "）")
            if "anchor_serve_reload_s" in r:
                line += (f"；基准站启动 {r['anchor_serve_startup_s']:.1f} s，改一页后更新中位 "
                         f"{statistics.median(r['anchor_serve_reload_s']):.2f} s（"
                         + "、".join(f"{s:.2f} s" for s in r["anchor_serve_reload_s"]) + "；整站重建 "
                         + "、".join(f"{s:.1f} s" for s in r.get("anchor_serve_rebuild_s", [])) + "）")
            lines.append(line)
        if "peer_comparison" in r:
            lines += ["", f"{r['records']} 条：本站检索与 {r['peer_comparison']['peer']['name']} 对照"
                      f"（同一站点、同一查询集 tests/search_queries.yml，无头 Chromium）：",
                      format_peer(r["peer_comparison"])]
        if "search_median_s" in r:
            lines.append(f"{r['records']} 条：浏览器检索 {len(r['queries'])} 个词，中位 {r['search_median_s'] * 1000:.0f} ms，"
                         f"最长 {r['search_max_s'] * 1000:.0f} ms；每次下载中位 {r['search_bytes_median'] / 1024:.0f} KB，"
                         f"最多 {r['search_bytes_max'] / 1024:.0f} KB")
    return "\n".join(lines)


def format_peer(result: dict) -> str:
    """The side-by-side table of one size."""
    ours, peer = result["ours"], result["peer"]
    rows = [["", "本站检索", "Pagefind"]]

    def both(label, f):
        rows.append([label, f(ours), f(peer)])

    both("前三命中（hit@3）", lambda r: f"{r['hits']}/{r['queries']} = {r['hits'] / r['queries']:.1%}")
    both("首次查询下载（中位 / 最多，gzip 后）",
         lambda r: f"{r['first_gzip_median'] / 1024:.0f} / {r['first_gzip_max'] / 1024:.0f} KB")
    both("首次查询下载（中位 / 最多，原始）",
         lambda r: f"{r['first_bytes_median'] / 1024:.0f} / {r['first_bytes_max'] / 1024:.0f} KB")
    both("响应时间（中位 / 最长）", lambda r: f"{r['median_s'] * 1000:.0f} / {r['max_s'] * 1000:.0f} ms")
    both("索引大小", lambda r: f"{r['index_bytes'] / 2**20:.2f} MB")
    sections = list(ours["sections"])
    for section in sections:
        both(f"  {section}", lambda r, s=section: "{}/{}".format(*r["sections"].get(s, [0, 0])))
    widths = [max(_width(row[i]) for row in rows) for i in range(3)]
    return "\n".join("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths)) for row in rows)
