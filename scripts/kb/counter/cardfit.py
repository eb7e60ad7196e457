"""Fitting a work-prompt card on one A4 sheet, decided at build time.

A card prints on exactly one sheet (``card.css`` gives it the sheet's height and
hides nothing it was not told to). What it shows is planned here, from the
length of its text:

1. the largest of four type sizes (``DENSITIES``) at which the whole card fits;
2. failing that, at the smallest size, every long entry is shortened to the same
   number of characters (ending in "…"), as many as still fit;
3. failing that, entries are left out from the end of the longest lists
   (materials last).

Whatever is shortened or left out is said on the card itself, in a cut-off line
that points to the full guide (``CardPlan.cut``), and ``kb check`` warns about
the record (``warnings``). Nothing disappears without a word.

The estimate lays out each entry line by line as a browser would (CJK breaks
anywhere, ASCII words and closing marks do not), with every glyph at least as
wide as in Noto Sans CJK SC and half an em to spare on every line; block margins
are those of ``card.css``. ``tests/counter/test_cardfit.py`` prints the
real cards in Chromium and checks that the estimate is never short of the real
height, and not wastefully long either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..records.report import Problem
from ..render import amount_text, copies_text, time_limit_text

MM_PER_PT = 25.4 / 72
#: The printable area of an A4 sheet with card.css's @page margins (12 mm top/bottom, 14 mm sides).
WIDTH_MM = 210 - 2 * 14
#: The card's box in print (card.css: .kb-card height), a few millimetres under the 273 mm available.
BOX_MM = 269
#: What the estimate may fill: the box less 7 mm for what no estimate sees (a glyph from a fallback font
#: that makes its line taller, another system's fonts when staff print from their own machine).
HEIGHT_MM = 262
#: (font size in pt, line height) of the card's text, from roomy to dense: card.css .kb-card--d0 … --d3.
DENSITIES = ((10.5, 1.5), (9.5, 1.45), (8.5, 1.4), (8.0, 1.35))
#: A version code as wide as any can print (the footer's length does not depend on the record's code).
WIDEST_CODE = "WWWWW-WWWWW-WWW"
#: Entries are never shortened below this many characters.
MIN_CLIP = 24
ELLIPSIS = "…"

# Block metrics in em of the card's type size, as in card.css.
KICKER = (0.85, 1.3)
TITLE = (1.55, 1.25)
TITLE_EXTRA = 0.15 + 0.3 + 0.15  # margins and padding around the title, em of the title
TITLE_RULE_MM = 0.6
META = (0.9, 1.4)
META_EXTRA = 0.25
H2 = (1.05, 1.3)
H2_EXTRA = 0.45 + 0.1
LIST_INDENT = 1.6  # em: ul/ol padding-left
CONTACTS_INDENT = 1.0  # em: the contacts section's rule and padding
NOTE_EXTRA = 0.1
CUT = (0.9, 1.35)
CUT_EXTRA = 0.5 + 0.5  # margin-top and vertical padding, em of the cut-off line
CUT_PAD_X = 1.3
FOOT = (0.8, 1.35)
FOOT_EXTRA = 0.4 + 0.25
RULE_MM = 0.3

#: Widths in em of ASCII glyphs in Noto Sans CJK SC, rounded up to three classes (measured in Chromium:
#: "m" 0.93, "W" 0.88, "O" 0.74, "d" 0.62, lowercase 0.53 and digits 0.56 on average).
_WIDE_ASCII = frozenset("@%mMWw")
_MID_ASCII = frozenset("ABCDEFGHJKLNOPQRSTUVXYZ&#$bdhnopqu`~")
#: Marks a line may not start with (they pull the character before them onto the next line), and
#: marks a line may not end with (they go down with the character after them).
_NO_START = frozenset("，。、；：？！）》」』〉】”’…％,.;:?!)]}%")
_NO_END = frozenset("（《「『〈【“‘([{")
_TOKEN = re.compile(r"[!-~]+|\s+|[^!-~\s]")


def _ascii_width(word: str) -> float:
    return sum(1.0 if c in _WIDE_ASCII else 0.78 if c in _MID_ASCII else 0.6 for c in word)


@lru_cache(maxsize=65536)
def _units(text: str) -> tuple[float, ...]:
    """``text`` as the widths (em) of the pieces a line cannot break inside: an ASCII word, a CJK
    character with the punctuation glued to it, a space."""
    units: list[float] = []
    glue = False
    for token in _TOKEN.findall(text):
        if token.isspace():
            units.append(0.6)
            glue = False
            continue
        width = _ascii_width(token) if token.isascii() else 1.0
        if units and (glue or token[0] in _NO_START):
            units[-1] += width
        else:
            units.append(width)
        glue = token[-1] in _NO_END
    return tuple(units)


_MID_BYTES = "".join(sorted(_MID_ASCII)).encode()
_WIDE_BYTES = "".join(sorted(_WIDE_ASCII)).encode()


def text_width(text: str) -> float:
    """Width of ``text`` in em on one line (the sum of its ``_units``, counted in C)."""
    ascii_bytes = text.encode("ascii", "ignore")
    wide = len(ascii_bytes) - len(ascii_bytes.translate(None, _WIDE_BYTES))
    mid = len(ascii_bytes) - len(ascii_bytes.translate(None, _MID_BYTES))
    return (len(text) - len(ascii_bytes)) + 0.6 * len(ascii_bytes) + 0.4 * wide + 0.18 * mid


@lru_cache(maxsize=262144)
def lines(text: str, width_em: float) -> int:
    """How many lines ``text`` takes in a column ``width_em`` wide: greedy filling, as a browser
    breaks CJK text (anywhere but inside an ASCII word or before a closing mark), with half an em
    to spare on every line. Cached: a build asks about the same entry for each density and edition."""
    usable = max(width_em - 0.5, 1.0)
    if text_width(text) <= usable:
        return 1
    count, current = 1, 0.0
    for unit in _units(text):
        if current + unit > usable and current > 0:
            count += 1
            current = 0.0
        if unit > usable:  # a word longer than the line breaks anywhere (overflow-wrap: anywhere)
            count += int(unit // usable)
            unit = unit % usable
        current += unit
    return count


def clip(text: str, limit: int | None) -> str:
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1] + ELLIPSIS


@dataclass
class Entry:
    """One list entry: a fixed lead (never shortened) and a text that may be.

    The lead prints as ``strong`` (in bold), ``after``, and the mark of a law not yet in
    force (``pending``: the day it takes effect); ``lead`` is all of it as plain text."""

    strong: str = ""
    after: str = ""
    text: str = ""
    pending: str = ""
    shown: str = ""
    #: the situations the entry applies to (ids, space-separated); "" for all
    for_ids: str = ""
    lead: str = field(init=False)

    def __post_init__(self) -> None:
        self.lead = self.strong + self.after + (pending_mark(self.pending) if self.pending else "")

    def plain(self) -> str:
        return self.lead + self.shown


@dataclass
class Section:
    key: str
    heading: str
    entries: list[Entry]
    total: int = 0  # entries the record has
    ordered: bool = False  # numbered (the steps)
    noun: str = "条"
    note: Entry | None = None  # the 不适用 line of 怎样识别
    bare: bool = False  # only the entries' leads are shown (materials: names without where and how)

    @property
    def left_out(self) -> int:
        return self.total - len(self.entries)


@dataclass
class CardPlan:
    """What one card prints: its density, its (possibly shortened) sections and what was cut."""

    density: int
    sections: dict[str, Section]
    clipped: bool = False
    cut: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.cut


def _material_lead(m: dict) -> str:
    return (m["name"] + ("（可容缺）" if m.get("required") is False else "")
            + (f"（“{m['group']}”任选其一）" if m.get("group") else ""))


def _material_text(m: dict) -> str:
    parts = [p for p in ("；".join(x for x in (copies_text(m.get("copies")), m.get("form", "")) if x),) if p]
    if m.get("obtain"):
        parts.append(m["obtain"])
    if m.get("note"):
        parts.append(m["note"])
    return "：" + "；".join(parts) if parts else ""


def for_label(item: dict, titles: dict[str, str]) -> str:
    """``适用：补领，`` for an item of some situations only; "" for one of all."""
    ids = item.get("situations") or []
    return "适用：" + "、".join(titles.get(i, i) for i in ids) + "，" if ids else ""


def pending_mark(effective: str) -> str:
    """What a card prints after a citation of a law not yet in force (as the guide does)."""
    return f"（尚未施行，{effective} 起施行）"


def sections(view: dict, internal: bool, pending: dict[str, str] | None = None) -> dict[str, Section]:
    """The card's sections with every entry in full; ``pending``: law id -> effective date of laws not in force."""
    pending = pending or {}
    titles = {sit["id"]: sit["title"] for sit in view.get("situations") or []}
    applies = Section("applies", "怎样识别", [Entry(text=t) for t in view["applies_when"]], noun="条适用情形")
    not_applicable = view.get("not_applicable") or []
    if not_applicable:
        # one sentence: "甲；乙。", not "甲。；乙。"
        applies.note = Entry(after="不适用：", text="；".join(t.rstrip("。；;. ") for t in not_applicable) + "。")
    out = {
        "applies": applies,
        "steps": Section("steps", "办理步骤", [
            Entry(s["title"], f"（{for_label(s, titles)}{s['department']}，{limit_text(s['time_limit'])}"
                              f"{'，不计入承诺时限' if s.get('counted', True) is False else ''}）：", s["action"],
                  for_ids=" ".join(s.get("situations") or []))
            for s in view["procedure"]], ordered=True, noun="步"),
        "materials": Section("materials", "所需材料", [
            Entry(_material_lead(m) + (f"（{for_label(m, titles).rstrip('，')}）" if m.get("situations") else ""),
                  text=_material_text(m), for_ids=" ".join(m.get("situations") or []))
            for m in view.get("materials") or []], noun="项"),
        "basis": Section("basis", "办理依据", [
            Entry(after=f"{b['law']['title']}{b['article']}", text=f"：{b['provision']}",
                  pending=pending.get(b["law"]["id"], "")) for b in view["legal_basis"]], noun="条"),
    }
    contacts = ((view.get("internal") or {}).get("contacts") or []) if internal else []
    if contacts:
        out["contacts"] = Section("contacts", "卡住时找谁", [
            Entry(after=f"{c['department']} · {c['role']}：{c['channel']}", text=f"（{c['when']}）" if c.get("when") else "")
            for c in contacts], noun="个联络渠道")
    for section in out.values():
        section.total = len(section.entries)
    return out


def _shorten(secs: dict[str, Section], limit: int | None) -> None:
    for section in secs.values():
        for entry in section.entries + ([section.note] if section.note else []):
            entry.shown = clip(entry.text, limit)


def _block(text: str, metrics: tuple[float, float], width_em: float, extra_em: float = 0.0) -> float:
    """Height in em of the card's type size of a paragraph in a font ``metrics`` = (size, line height)."""
    size, leading = metrics
    return lines(text, width_em / size) * size * leading + extra_em


def head_lines(view: dict, site_name: str, internal: bool) -> tuple[str, str, str]:
    kicker = f"{site_name} · 工作提示卡" + (" · 内部" if internal else "") + (" · 草稿" if view["status"] == "draft" else "")
    extra = "".join(f" · {d['title']} {limit_text(d['time_limit'])}" for d in view.get("deadlines") or [])
    law = f" · 法定时限 {limit_text(view['statutory_time_limit'])}" if "statutory_time_limit" in view else ""
    meta = (f"{view['domain']} · {view['category']} · 编号 {view['id']} · 承诺时限 {limit_text(view['time_limit'])}"
            f"{law}{extra} · 牵头 {view['departments']['lead']}")
    return kicker, view["title"], meta


def limit_text(value) -> str:
    """A limit with its kind, as the card prints it: ``20 个工作日（法定）``."""
    kind = value.get("kind") if isinstance(value, dict) else None
    return time_limit_text(value) + (f"（{kind}）" if kind else "")


def fees_text(view: dict) -> str:
    fees = view.get("fees")
    if fees is None:
        return ""
    if isinstance(fees, str):
        return fees
    return "；".join(f"{f['name']} {amount_text(f['amount'])} {f['unit']}" for f in fees)


def service_line(view: dict) -> str:
    """The card's second line: what it costs, where and when, whom to call (the record's ``service`` merged
    with the centre's by the site; empty parts left out)."""
    service = view.get("service") or {}
    parts = [("收费", fees_text(view)), ("地点", service.get("place")), ("时间", service.get("hours")),
             ("咨询", service.get("phone")), ("投诉", service.get("complaint_phone"))]
    return " · ".join(f"{label}：{value}" for label, value in parts if value)


def foot_text(view: dict, code: str, guide_url: str, check_url: str = "cards/check/") -> str:
    return (f"版本码 {code} · 复核 {view['review']['reviewed_on']}，下次复核 {view['review']['next_review']}"
            f" · 完整指南：{guide_url} · 是否现行：知识库“核对卡片版本”页（{check_url}）输入编号和版本码")


def height_mm(view: dict, secs: dict[str, Section], density: int, *, site_name: str, internal: bool,
              code: str, guide_url: str, cut: str = "", check_url: str = "cards/check/") -> float:
    """The estimated height of the card at ``density``, in millimetres."""
    size_pt, leading = DENSITIES[density]
    em_mm = size_pt * MM_PER_PT
    width = WIDTH_MM / em_mm
    kicker, title, meta = head_lines(view, site_name, internal)
    em = _block(kicker, KICKER, width)
    em += _block(title, TITLE, width, TITLE_EXTRA * TITLE[0])
    em += _block(meta, META, width, META_EXTRA)
    service = service_line(view)
    if service:
        em += _block(service, META, width, META_EXTRA)
    mm = TITLE_RULE_MM
    for section in secs.values():
        if not section.entries and not section.note:
            continue
        inner = width - (CONTACTS_INDENT if section.key == "contacts" else 0.0)
        em += _block(section.heading, H2, inner, H2_EXTRA * H2[0])
        for entry in section.entries:
            em += lines(entry.plain(), inner - LIST_INDENT) * leading
        if section.left_out:
            em += leading  # "另有 N 步未印出" closes a shortened list
        if section.note:
            em += lines(section.note.plain(), inner) * leading + NOTE_EXTRA
    if cut:
        em += _block(cut, CUT, width - CUT_PAD_X, CUT_EXTRA * CUT[0])
        mm += 2 * RULE_MM
    em += _block(foot_text(view, code, guide_url, check_url), FOOT, width, FOOT_EXTRA * FOOT[0])
    mm += RULE_MM
    return em * em_mm + mm


def cut_text(plan_cut: list[str], guide_url: str) -> str:
    return "篇幅所限，" + "；".join(plan_cut) + f"。完整内容见指南：{guide_url}"


def _describe(secs: dict[str, Section], clipped: bool) -> list[str]:
    out = []
    if clipped:
        out.append("较长的条目已截短（以“…”结尾）")
    for section in secs.values():
        if section.left_out:
            if section.key == "steps":
                first = len(section.entries) + 1
                span = f"第 {first} 步" if first == section.total else f"第 {first}–{section.total} 步"
                out.append(f"{section.heading}{span}未印出")
            else:
                out.append(f"{section.heading}另有 {section.left_out} {section.noun}未印出")
        if section.note and section.note.text and not section.note.shown:
            out.append("不适用情形未印出")
        if section.bare:
            out.append("材料的取得途径和说明未印出")
    return out


def _lengthen(secs: dict[str, Section], density: int, spare_mm: float) -> None:
    """Give the room one common limit left over back to the shortened entries, first come first served.

    Entries of similar length reach a new line at the same limit, so the common limit can leave
    several lines empty; each shortened entry in turn may take as many of them as it needs."""
    size_pt, leading = DENSITIES[density]
    line_mm = size_pt * MM_PER_PT * leading
    width = WIDTH_MM / (size_pt * MM_PER_PT)
    spare = int(spare_mm // line_mm)
    for section in secs.values():
        inner = width - (CONTACTS_INDENT if section.key == "contacts" else 0.0)
        for entry, column in [(e, inner - LIST_INDENT) for e in section.entries] + \
                ([(section.note, inner)] if section.note and section.note.shown else []):
            if spare <= 0:
                return
            if entry.shown == entry.text:
                continue
            base = lines(entry.plain(), column)
            low, high = len(entry.shown), len(entry.text)
            while low < high:  # the longest limit that takes no more than ``spare`` extra lines
                middle = (low + high + 1) // 2
                if lines(entry.lead + clip(entry.text, middle), column) - base <= spare:
                    low = middle
                else:
                    high = middle - 1
            entry.shown = clip(entry.text, low)
            spare -= lines(entry.plain(), column) - base


#: The order lists give up entries when even shortened text does not fit (materials last).
DROP_ORDER = ("applies", "basis", "steps", "contacts", "materials")


def plan(view: dict, *, internal: bool, site_name: str, code: str, guide_url: str,
         pending: dict[str, str] | None = None, check_url: str = "cards/check/") -> CardPlan:
    """What the card of ``view`` prints so that it fits one A4 sheet (``guide_url`` and ``check_url``: the
    addresses it prints for the guide and the check page)."""
    secs = sections(view, internal, pending)

    def fits(density: int, cut: list[str]) -> bool:
        text = cut_text(cut, guide_url) if cut else ""
        return height_mm(view, secs, density, site_name=site_name, internal=internal, code=code,
                         guide_url=guide_url, cut=text, check_url=check_url) <= HEIGHT_MM

    _shorten(secs, None)
    for density in range(len(DENSITIES)):
        if fits(density, []):
            return CardPlan(density, secs)
    dense = len(DENSITIES) - 1
    longest = max([len(e.text) for s in secs.values() for e in s.entries + ([s.note] if s.note else [])] + [MIN_CLIP])
    low, high = MIN_CLIP, longest  # the largest limit that fits, by bisection
    _shorten(secs, low)
    if fits(dense, _describe(secs, True)):
        while low < high:
            middle = (low + high + 1) // 2
            _shorten(secs, middle)
            if fits(dense, _describe(secs, True)):
                low = middle
            else:
                high = middle - 1
        _shorten(secs, low)
        cut = _describe(secs, True)
        spare = HEIGHT_MM - height_mm(view, secs, dense, site_name=site_name, internal=internal, code=code,
                                      guide_url=guide_url, cut=cut_text(cut, guide_url), check_url=check_url)
        _lengthen(secs, dense, spare)
        return CardPlan(dense, secs, clipped=True, cut=cut)
    # Still too long: the 不适用 line goes first, then what materials need beyond their names,
    # then entries from the end of the longest lists.
    for section in secs.values():
        if section.note:
            section.note.shown = ""
    materials = secs["materials"]
    if not fits(dense, _describe(secs, True)) and any(e.text for e in materials.entries):
        materials.bare = True
        for entry in materials.entries:
            entry.shown = ""
    while not fits(dense, _describe(secs, True)):
        candidates = [secs[k] for k in DROP_ORDER if k in secs and len(secs[k].entries) > 1]
        if not candidates:
            break  # one entry per list at the shortest: the fixed leads alone cannot overflow a sheet
        pool = [s for s in candidates if s.key != "materials"] or candidates
        victim = max(pool, key=lambda s: sum(text_width(e.plain()) for e in s.entries))
        victim.entries.pop()
    return CardPlan(dense, secs, clipped=True, cut=_describe(secs, True))


def warnings(kb, today, centre: dict | None = None, site_name: str = "工作提示知识库（内部版）",
             store=None) -> list[Problem]:
    """One warning per record whose card (internal edition: the longest) cannot print in full
    (one of ``kb.knowledge.WARNINGS``: printed by ``kb check`` without changing its exit code).

    ``centre``: the site's ``extra.kb.centre``, whose place, hours and phones every card prints under the
    record's own (its service line), so the card is planned as the site prints it. ``store`` (``kb.records.store``):
    the verdict for a record file, registry, laws not in force, centre and site name the last run saw is kept."""
    from ..law.revisions import law_state
    from ..records.guide import merged_service

    pending = {law_id: state.effective for law_id, law in kb.laws.items()
               if not (state := law_state(law, today)).in_force}
    registry = getattr(store, "registry_key", "")
    context = "\0".join(("cardfit", registry, repr(sorted(pending.items())), repr(sorted((centre or {}).items())),
                          site_name))
    out = []
    for record in kb.records:
        if record.status == "retired":
            continue
        key = f"{record.doc.store_key}\0{context}" if store is not None and registry and record.doc.store_key else ""
        cut = store.memo(key) if key else None
        if cut is None:
            view = {**record.data, "legal_basis": [{**b, "law": kb.laws[b["law"]]} for b in record.data["legal_basis"]],
                    "service": merged_service(record.data.get("service"), centre)}
            cut = plan(view, internal=True, site_name=site_name, code=WIDEST_CODE,
                       guide_url=f"guides/{record.id}/", pending=pending).cut
            if key:
                store.remember(key, list(cut))
        if not cut:
            continue
        blamed = max(("procedure", "applies_when", "legal_basis", "materials"),
                     key=lambda k: len(str(record.data.get(k, ""))))
        out.append(record.doc.problem(
            (blamed,),
            f"内容过长，一页 A4 工作提示卡按最小字号也印不下全文，卡片上{'；'.join(cut)}"
            "（卡片会注明并指向完整指南）。请精简文字，或把细节移到常见问题",
        ).as_warning())
    return out
