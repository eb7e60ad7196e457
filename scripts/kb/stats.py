"""Counts and due reviews, shared by ``kb stats``, the stats page and the review page.

Charts are computed here as plain geometry (bar lengths and labels) and drawn
by a template as inline SVG, so the page needs no script and no outside asset;
each comes with a table of the same numbers.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from .law import revisions
from .records.model import STATUS_NAMES, KnowledgeBase


def compute(kb: KnowledgeBase, today: date, within: int = 30, edition=None) -> dict:
    """Counts over the records ``edition`` shows (all records when None)."""
    records = edition.records if edition is not None else kb.records
    data = [r.data for r in records]
    limit = (today + timedelta(days=within)).isoformat()
    due = sorted(
        (r for r in records if r.status != "retired" and r.next_review <= limit),
        key=lambda r: (r.next_review, r.id),
    )
    order = {kind: [t.name for t in terms] for kind, terms in kb.vocabularies.items()}

    def ordered(counter: Counter, kind: str) -> dict:
        return {name: counter[name] for name in order[kind] if counter[name]}

    flags = revisions.all_flags(records, kb.laws)
    revised = [
        {
            "id": r.id,
            "title": r.title,
            "owner": r.data["review"]["owner"],
            "reviewed_on": r.data["review"]["reviewed_on"],
            "status": STATUS_NAMES[r.status],
            "url": f"guides/{r.id}/",
            "flags": [{"law_id": f.law_id, "law_title": f.law_title, "article": f.article, "adopted": f.adopted,
                       "effective": f.effective, "sentence": f.sentence(today)} for f in flags[r.id]],
        }
        for r in sorted(records, key=lambda r: r.id)
        if r.id in flags
    ]
    solved = [
        {"id": d["id"], "title": d["title"], **d["statistics"]}
        for d in data
        if "statistics" in d
    ]
    return {
        "today": today.isoformat(),
        "within": within,
        "total": len(data),
        "by_status": {STATUS_NAMES[s]: n for s, n in Counter(d["status"] for d in data).most_common()},
        "by_domain": ordered(Counter(d["domain"] for d in data), "domains"),
        "by_category": ordered(Counter(d["category"] for d in data), "categories"),
        "by_cause": ordered(Counter(c for d in data for c in d["causes"]), "causes"),
        "solved": sorted(solved, key=lambda s: (-s["solved"], s["id"])),
        "received_total": sum(s["received"] for s in solved),
        "solved_total": sum(s["solved"] for s in solved),
        "revised": revised,
        "due": [
            {
                "id": r.id,
                "title": r.title,
                "owner": r.data["review"]["owner"],
                "next_review": r.next_review,
                "overdue": r.next_review < today.isoformat(),
                "status": STATUS_NAMES[r.status],
            }
            for r in due
        ],
    }


def render_text(data: dict) -> str:
    """The plain-text report printed by ``kb stats``."""
    lines = [f"记录总数：{data['total']}（统计日期 {data['today']}）", ""]
    for title, key in (("按状态", "by_status"), ("按领域", "by_domain"), ("按难办类型", "by_category"), ("按共性成因", "by_cause")):
        lines.append(f"{title}：")
        width = max((len(k) for k in data[key]), default=0)
        for name, count in data[key].items():
            lines.append(f"  {name}{'　' * (width - len(name))}  {count}")
        lines.append("")
    if data["solved"]:
        lines.append(f"兜底窗口办理统计：受理 {data['received_total']} 件，已解决 {data['solved_total']} 件")
        lines.append("")
    due = data["due"]
    lines.append(f"到期或 {data['within']} 天内到期的复核：{len(due)} 条")
    for item in due:
        flag = "已过期" if item["overdue"] else "将到期"
        lines.append(f"  {item['id']}\t{item['title']}\t{item['owner']}\t{item['next_review']}\t{flag}")
    revised = data["revised"]
    lines.append("")
    lines.append(f"依据修订后待复核：{len(revised)} 条")
    for item in revised:
        for flag in item["flags"]:
            lines.append(f"  {item['id']}\t{item['title']}\t{flag['law_title']}{flag['article']} 于 {flag['adopted']} 修订"
                         f"（{flag['effective']} 施行）\t最近复核 {item['reviewed_on']}\t{item['owner']}")
    return "\n".join(lines).rstrip() + "\n"


#: Bar chart rows, in em of the chart's text: label line, then the bar, then space before the next row.
ROW, LABEL_Y, BAR_Y, BAR = 3.0, 1.1, 1.45, 1.0
#: The longest bar, in percent of the chart's width: the number after it still fits on a phone.
BAR_SPAN = 85.0


def bar_chart(title: str, counts: dict, *, heading: tuple[str, str] = ("名称", "数量"), label_chars: int = 14) -> dict:
    """A horizontal bar chart of ``counts`` (name -> number, in the order given), for _bar_chart.html.j2.

    Each row is a label line and a bar below it whose length is the number's share of the largest, in
    percent of the chart's width (at most ``BAR_SPAN``); the number is written after the bar. Vertical
    positions are in em, so the SVG is drawn at the text size of the page instead of being scaled to fit
    (labels of about 6 px on a phone before). Labels longer than ``label_chars`` are shortened with …;
    ``rows`` keep the full names for the table under the chart and ``text`` says every number in one
    sentence for screen readers. ``heading``: the table's two column headings.
    """
    peak = max(counts.values(), default=0) or 1
    bars = []
    for index, (name, count) in enumerate(counts.items()):
        top = index * ROW
        label = name if len(name) <= label_chars else name[: label_chars - 1] + "…"
        bars.append({"label": label, "name": name, "value": count,
                     "label_y": round(top + LABEL_Y, 2), "bar_y": round(top + BAR_Y, 2),
                     "value_y": round(top + BAR_Y + BAR * 0.85, 2),
                     "percent": round(BAR_SPAN * count / peak, 1)})
    text = f"{title}：" + ("；".join(f"{b['name']} {b['value']}" for b in bars) or "没有数据") + "。"
    return {"title": title, "bars": bars, "height": round(max(len(bars), 1) * ROW, 2), "bar": BAR,
            "heading": heading, "text": text}


def charts(data: dict) -> list[dict]:
    out = [
        bar_chart("按领域", data["by_domain"], heading=("领域", "事项数")),
        bar_chart("按难办类型", data["by_category"], heading=("难办类型", "事项数")),
        bar_chart("按共性成因", data["by_cause"], heading=("共性成因", "事项数")),
    ]
    if data["solved"]:
        out.append(bar_chart("各类事已解决件数", {s["title"]: s["solved"] for s in data["solved"][:15]},
                             heading=("事项", "已解决件数")))
    return out
