"""The 一次性告知单 on paper: which type size keeps a record's notice on one A4 sheet.

The notice prints every missing material with where to get it, whether 容缺 applies
and its basis. Its type size (``notice.css``: .kb-notice--d0 … --d3) is the largest
at which the materials still missing fit, estimated line by line like the cards
(``kb.cardfit.lines``): at build time for the whole list, then on the page each
time a material is ticked (the page gets the estimated height of every entry).
Nothing on a notice is ever shortened: when even the smallest size cannot hold
what is missing, the page says on screen that the notice will take two sheets.
"""

from __future__ import annotations

from ..render import copies_text
from .cardfit import MM_PER_PT, lines

#: (font size in pt, line height): notice.css .kb-notice--d0 … --d3.
DENSITIES = ((11.0, 1.5), (10.0, 1.45), (9.0, 1.4), (8.0, 1.35))
#: The sheet's printable area (card.css @page: 12 mm top and bottom, 14 mm sides), less a margin of safety.
WIDTH_MM, HEIGHT_MM = 182, 262
LIST_INDENT = 1.6  # em: ol padding-left
ITEM_GAP = 0.5  # em: space after each material
HEAD_EM = 1.6 * 1.3 + 2 * 1.0 + 1.0 + 1.0  # heading, centre and matter lines with their margins
FOOT_LINES = 3  # signature, receipt, fine print (one line each at the sheet's width)
SMALL = 0.9  # the basis line and fine print


def _kind(material: dict) -> str:
    return "（可容缺：可以先受理，限期补交）" if material.get("required") is False else "（必需：补齐后受理）"


def record_basis(view: dict) -> str:
    """The line under the list: every citation of the record, by full title and article."""
    return "本事项办理依据：" + "；".join(b["law"]["title"] + b["article"] for b in view["legal_basis"]) + "。"


def rows(view: dict, heights: tuple[list[float], list[list[float]]]) -> list[dict]:
    """What the notice prints for each material (its text as plain strings; the template escapes them)."""
    names = basis_names(view)
    situations = {s["id"]: s["title"] for s in view.get("situations") or []}
    return [{
        "name": m["name"], "optional": m.get("required") is False, "kind": _kind(m),
        "obtain": m.get("obtain", ""), "note": m.get("note", ""),
        "basis": "；".join(names[ref] for ref in m.get("basis") or []),
        "fit": ",".join(str(mm) for mm in item),
        "group": m.get("group", ""), "for": " ".join(m.get("situations") or []),
        "for_text": "、".join(situations[i] for i in m.get("situations") or []),
        "copies": _copies(m),
    } for m, item in zip(view.get("materials") or [], heights[1])]


def _copies(material: dict) -> str:
    """份数和形式 as one phrase: 原件 1 份、复印件 2 份；纸质."""
    return "；".join(part for part in (copies_text(material.get("copies")), material.get("form", "")) if part)


def basis_names(view: dict) -> dict[str, str]:
    """``"law-id 第X条"`` (how a material names its basis) -> 《法律全称》第X条, for the record's citations."""
    return {f"{b['law']['id']} {b['article']}": b["law"]["title"] + b["article"] for b in view["legal_basis"]}


def _material_parts(m: dict, laws: dict[str, str]) -> list[str]:
    parts = [m["name"] + _kind(m) + (f"（“{m['group']}”任选其一）" if m.get("group") else "")]
    if _copies(m):
        parts.append("份数：" + _copies(m))
    if m.get("obtain"):
        parts.append("取得途径：" + m["obtain"])
    if m.get("note"):
        parts.append("说明：" + m["note"])
    if m.get("basis"):
        parts.append("依据：" + "；".join(laws[ref] for ref in m["basis"]))
    return parts


def heights_mm(view: dict, centre_name: str) -> tuple[list[float], list[list[float]]]:
    """Estimated heights in mm, for each density: of the notice without its list (``fixed``), and of
    each material's entry (``items[i]``). The page sums those still missing to choose its type size."""
    fixed, items = [], [[] for _ in view.get("materials") or []]
    laws = basis_names(view)
    basis = record_basis(view)
    for size, leading in DENSITIES:
        em_mm = size * MM_PER_PT
        width = WIDTH_MM / em_mm
        em = HEAD_EM * leading
        em += lines("经核对，您申请办理的事项还需要补齐下列材料。本单一次性告知需要补正的全部材料；标为“必需”的补齐后受理，"
                    "标为“可容缺”的可以先受理、按约定的期限补交。", width) * leading + 1.0
        em += lines(basis, width / SMALL) * leading * SMALL + 1.0
        em += (lines(f"告知单位：{centre_name}　　告知日期：2026年12月31日（星期四）", width) + FOOT_LINES) * leading + 2.5
        fixed.append(round(em * em_mm, 1))
        for i, m in enumerate(view.get("materials") or []):
            item = sum(lines(part, width - LIST_INDENT) for part in _material_parts(m, laws)) * leading + ITEM_GAP
            items[i].append(round(item * em_mm, 1))
    return fixed, items


def height_mm(view: dict, density: int, centre_name: str) -> float:
    """The estimated height of the notice listing every material, at ``density``."""
    fixed, items = heights_mm(view, centre_name)
    return fixed[density] + sum(item[density] for item in items)


def density(view: dict, centre_name: str = "政务服务中心", heights=None) -> int:
    """0 (roomiest) … 3: the first type size at which the notice listing every material fits one sheet.

    The page refines this as materials are ticked (assets/kb/notice.js, from ``heights_mm``)."""
    fixed, items = heights or heights_mm(view, centre_name)
    for level in range(len(DENSITIES)):
        if fixed[level] + sum(item[level] for item in items) <= HEIGHT_MM:
            return level
    return len(DENSITIES) - 1
