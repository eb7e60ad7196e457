"""``kb export --format docx``: each record of an edition as a work prompt in Word, and a compilation.

A work prompt is issued, filed and printed as an official document, so it is
laid out as one (GB/T 9704-2012《党政机关公文格式》): A4, the type area
156 × 225 mm (margins 37/35/28/26 mm), the title in 2号方正小标宋简体, body
text in 3号仿宋_GB2312 on a fixed 28 pt line, first-level headings in 黑体,
second-level in 楷体_GB2312, page numbers "— 1 —" in 4号宋体 in the footer
(odd pages right, even pages left), all as a PAGE field so Word and WPS count
them. Fonts are set on the East Asian attribute (``w:eastAsia``), which is the
one Chinese text uses, with Times New Roman for Latin text and digits; the
document's font table names the font each falls back to where the official
one is not installed (仿宋_GB2312 → 仿宋, 方正小标宋简体 → 宋体, 楷体_GB2312 → 楷体).
All of it is in named styles, never formatting on single runs.

The content comes from ``edition.Edition``'s views only, never the raw
records: a public document holds nothing the public edition does not show.

What a real 办事指南 holds is there too: the situations (办理情形) each step and
material applies to, both time limits with their kind (法定 with the articles
that state the number, 承诺 with its document), steps not counted in the
committed limit (不计入承诺时限, with their note), each material's copies, form
and alternatives (任选其一), the result and how it is delivered, the fees, the
standard matters (事项编码) and where, when and whom to ask (办理地点和咨询:
the record's ``service`` over the site's ``extra.kb.centre`` in mkdocs.yml).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from .. import clock
from ..law import revisions
from ..site.edition import EDITION_NAMES, Edition
from ..records.model import STATUS_NAMES, KnowledgeBase
from ..render import copies_text, time_limit_text

#: East Asian font of each role, and the font Word/WPS should use where it is not installed.
FONTS = {
    "title": ("方正小标宋简体", "宋体"),
    "body": ("仿宋_GB2312", "仿宋"),
    "heading": ("黑体", "SimHei"),
    "subheading": ("楷体_GB2312", "楷体"),
    "page": ("宋体", "SimSun"),
}
LATIN = "Times New Roman"
#: 字号 in points: 二号 22, 三号 16, 四号 14, 小四 12.
SIZE_TITLE, SIZE_BODY, SIZE_PAGE, SIZE_TABLE = Pt(22), Pt(16), Pt(14), Pt(12)
LINE = Pt(28)  # 22 lines on the 225 mm type area
TYPE_WIDTH = Mm(156)  # the type area's width (210 mm less 28 and 26 mm margins)
MARKER = ".kb-docx-export"
NUMERALS = "一二三四五六七八九十"

# Style names (the built-in ones are what a table of contents and the navigation pane use).
TITLE, H1, H2, BODY, META, TABLE_TEXT, TABLE_HEAD, PAGE_NO, TOC1 = (
    "Title", "Heading 1", "Heading 2", "KB 正文", "KB 文号", "KB 表格文字", "KB 表格标题", "KB 页码", "toc 1")
GRID = "Table Grid"


#: The fields of ``service`` (and of ``extra.kb.centre``) in the order a guide lists them.
SERVICE_LABELS = (("place", "办理地点"), ("hours", "办理时间"), ("phone", "咨询电话"), ("complaint_phone", "监督投诉电话"),
                  ("online_url", "网上办理"), ("visits", "到现场次数"))


def _amount(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml may hold ``!!python/name:`` and ``!ENV`` tags: read them as nothing."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@lru_cache(maxsize=8)
def centre_defaults(root: Path) -> dict:
    """The site's default place, hours and phones (mkdocs.yml ``extra.kb.centre``), or {} (optional)."""
    try:
        config = yaml.load((Path(root) / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    kb = ((config or {}).get("extra") or {}).get("kb") if isinstance(config, dict) else None
    centre = kb.get("centre") if isinstance(kb, dict) else None
    if not isinstance(centre, dict):
        return {}
    keys = {key for key, _ in SERVICE_LABELS}
    return {k: v for k, v in centre.items() if k in keys and isinstance(v, (str, int)) and not isinstance(v, bool)}


class ExportError(Exception):
    """The documents could not be written (the message says why, in Chinese)."""


@dataclass
class Written:
    records: int
    compilation: Path


def compilation_name(edition_name: str) -> str:
    return f"工作提示汇编-{EDITION_NAMES[edition_name]}.docx"


# -- styles ------------------------------------------------------------------------------------------

def _fonts(rpr_owner, role: str) -> None:
    """Set the East Asian font of a style (or the document defaults), Latin text in Times New Roman."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the names below
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:cs"), LATIN)
    fonts.set(qn("w:eastAsia"), FONTS[role][0])
    fonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _paragraph_style(doc, name: str, role: str, size, *, base: str | None = None, bold: bool = False,
                     align=None, indent: bool = False, exact: bool = True, before: int = 0, after: int = 0,
                     page_break: bool = False, outline: int | None = None):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = styles[base]
    style.hidden = False
    style.quick_style = True
    font = style.font
    font.size = size
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style.element, role)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Pt(size.pt * 2) if indent else Pt(0)
    fmt.left_indent = Pt(0)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE if size.pt <= 16 else Pt(size.pt * 1.6)
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.page_break_before = page_break
    fmt.keep_with_next = name in (TITLE, H1, H2, TABLE_HEAD)
    fmt.widow_control = True
    if outline is not None:
        ppr = style.element.get_or_add_pPr()
        level = ppr.find(qn("w:outlineLvl"))
        if level is None:
            level = OxmlElement("w:outlineLvl")
            ppr.append(level)
        level.set(qn("w:val"), str(outline))
    return style


def _styles(doc, compilation: bool) -> None:
    """The named styles of a work prompt; in the compilation each record title is a level-1 heading."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is not None:
        class _Owner:  # the defaults' rPr, with the same helper as a style
            @staticmethod
            def get_or_add_rPr():
                rpr = rpr_default.find(qn("w:rPr"))
                if rpr is None:
                    rpr = OxmlElement("w:rPr")
                    rpr_default.append(rpr)
                return rpr

        _fonts(_Owner, "body")
    _paragraph_style(doc, "Normal", "body", SIZE_BODY)
    _paragraph_style(doc, BODY, "body", SIZE_BODY, base="Normal", indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    title = _paragraph_style(doc, TITLE, "title", SIZE_TITLE, base="Normal", align=WD_ALIGN_PARAGRAPH.CENTER,
                             before=0, after=12)
    border = title.element.get_or_add_pPr().find(qn("w:pBdr"))
    if border is not None:  # the template's Title has a rule under it; an official title has none
        border.getparent().remove(border)
    if compilation:
        _paragraph_style(doc, H1, "title", SIZE_TITLE, base="Normal", align=WD_ALIGN_PARAGRAPH.CENTER,
                         after=12, page_break=True, outline=0)
        _paragraph_style(doc, H2, "heading", SIZE_BODY, base="Normal", indent=True, outline=1)
    else:
        _paragraph_style(doc, H1, "heading", SIZE_BODY, base="Normal", indent=True, outline=0)
        _paragraph_style(doc, H2, "subheading", SIZE_BODY, base="Normal", indent=True, outline=1)
    _paragraph_style(doc, META, "body", SIZE_BODY, base="Normal", align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    _paragraph_style(doc, TABLE_TEXT, "body", SIZE_TABLE, base="Normal", exact=False)
    _paragraph_style(doc, TABLE_HEAD, "heading", SIZE_TABLE, base="Normal", exact=False,
                     align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(doc, PAGE_NO, "page", SIZE_PAGE, base="Normal", exact=False)
    toc = _paragraph_style(doc, TOC1, "body", SIZE_BODY, base="Normal")
    # The page number at the right margin after a dotted leader.
    toc.paragraph_format.tab_stops.add_tab_stop(TYPE_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def _font_table(doc) -> None:
    """Name the fallback of each official font in the font table (``w:altName``), with the GB2312 charset."""
    part = next((r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable")), None)
    if part is None:  # pragma: no cover - python-docx's template has one
        return
    root = etree.fromstring(part.blob)
    for font in root.findall(qn("w:font")):
        if font.get(qn("w:name")) in {name for name, _ in FONTS.values()}:
            root.remove(font)
    for name, fallback in dict(FONTS.values()).items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), fallback)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "modern" if "仿宋" in name or "黑体" in name else "roman")
        pitch = etree.SubElement(font, qn("w:pitch"))
        pitch.set(qn("w:val"), "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _field_char(paragraph, kind: str) -> None:
    """A run marking where a Word field begins, where its shown result starts ("separate"), or ends."""
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def _field_start(paragraph, instruction: str) -> None:
    """A field's begin mark and instruction (" PAGE ", " TOC … "), up to where its result starts."""
    _field_char(paragraph, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    paragraph.add_run()._r.append(instr)
    _field_char(paragraph, "separate")


def _page_number(paragraph) -> None:
    """ "— N —" with N a PAGE field."""
    paragraph.add_run("— ")
    _field_start(paragraph, " PAGE ")
    paragraph.add_run("1")
    _field_char(paragraph, "end")
    paragraph.add_run(" —")


def _page_setup(doc) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(22)  # the number's top 7 mm below the type area (35 mm margin)
        for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.style = doc.styles[PAGE_NO]
            paragraph.alignment = align
            paragraph.paragraph_format.left_indent = Pt(SIZE_PAGE.pt) if align == WD_ALIGN_PARAGRAPH.LEFT else None
            paragraph.paragraph_format.right_indent = Pt(SIZE_PAGE.pt) if align == WD_ALIGN_PARAGRAPH.RIGHT else None
            _page_number(paragraph)


@lru_cache(maxsize=2)
def _template(compilation: bool) -> tuple[bytes, dict[str, str]]:
    """A styled, laid-out empty document (saved once, opened per record), and its style ids by name."""
    doc = Document()
    _styles(doc, compilation)
    _font_table(doc)
    _page_setup(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    ids = {name: doc.styles[name].style_id for name in (TITLE, H1, H2, BODY, META, TABLE_TEXT, TABLE_HEAD, TOC1, GRID)}
    return buffer.getvalue(), ids


def _new_document(title: str, compilation: bool):
    blob, ids = _template(compilation)
    doc = Document(io.BytesIO(blob))
    doc.kb_style_ids = ids  # looking a style up by name scans every style: once per export is enough
    props = doc.core_properties
    props.title = title
    props.author = "kb export"
    props.language = "zh-CN"
    return doc


# -- content ---------------------------------------------------------------------------------------

def _numbered(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


def _add(container, text: str, style: str, doc):
    """A paragraph in a named style (set by id: see _new_document).

    In the document body it goes right before the final section properties,
    found once: python-docx looks for them among all the body's children on
    every paragraph, which makes a compilation of thousands of records quadratic.
    """
    if container is doc:
        element = OxmlElement("w:p")
        _body_end(doc).addprevious(element)
        paragraph = Paragraph(element, doc._body)
        if text:
            paragraph.add_run(text)
    else:
        paragraph = container.add_paragraph(text)
    paragraph._p.style = doc.kb_style_ids[style]
    return paragraph


def _body_end(doc):
    if not hasattr(doc, "kb_body_end"):
        doc.kb_body_end = doc.element.body.sectPr
    return doc.kb_body_end


def _table(doc, headers: list[str], rows: list[list[str]], widths: list[float]) -> None:
    element = CT_Tbl.new_tbl(1, len(headers), Mm(sum(widths)))
    _body_end(doc).addprevious(element)  # as _add: not python-docx's search of the whole body
    table = Table(element, doc._body)
    element.tblStyle_val = doc.kb_style_ids[GRID]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # The grid is what LibreOffice (and WPS) lay a table out by: python-docx writes equal
    # columns there, so give each column its own width, and fix the layout to it.
    for column, width in zip(element.tblGrid.gridCol_lst, widths):
        column.w = Mm(width)
    table.autofit = False
    header = table.rows[0]
    header_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # repeat the header row on every page
    header_pr.append(repeat)
    for cell, text, width in zip(header.cells, headers, widths):
        cell.width = Mm(width)
        cell.paragraphs[0].text = text
        cell.paragraphs[0]._p.style = doc.kb_style_ids[TABLE_HEAD]
    for values in rows:
        cells = table.add_row().cells
        for cell, text, width in zip(cells, values, widths):
            cell.width = Mm(width)
            lines = text.split("\n")
            cell.paragraphs[0].text = lines[0]
            cell.paragraphs[0]._p.style = doc.kb_style_ids[TABLE_TEXT]
            for line in lines[1:]:
                _add(cell, line, TABLE_TEXT, doc)


class _Prompt:
    """Writes one record's work prompt into a document, sections numbered as they appear."""

    def __init__(self, doc, view: dict, edition: Edition, title_style: str, heading_style: str, today: date,
                 bookmark: tuple[int, str] | None = None):
        self.doc, self.view, self.edition, self.today = doc, view, edition, today
        self.centre = centre_defaults(edition.kb.root)
        self.title_style, self.heading_style = title_style, heading_style
        self.bookmark = bookmark  # (id, name) around the title: what the compilation's contents point at
        self.count = 0

    def situations(self, ids: list[str]) -> str:
        titles = {s["id"]: s["title"] for s in self.view.get("situations") or []}
        return "、".join(titles.get(i, i) for i in ids)

    def citation(self, ref: str) -> str:
        """``xingzheng-xuke-fa 第四十二条第一款`` as 《中华人民共和国行政许可法》第四十二条第一款."""
        law_id, _, article = ref.partition(" ")
        law = self.edition.kb.laws.get(law_id) or {}
        return f"{law.get('title', law_id)}{article}"

    def limit(self, value, short: bool = False) -> str:
        """A time limit with its kind: 20 个工作日（法定，《……》第四十二条第一款）; ``short`` in the step table."""
        text = time_limit_text(value)
        if not isinstance(value, dict) or not value.get("kind"):
            return text
        if short:
            return f"{text}\n（{value['kind']}）"
        source = "；".join(self.citation(ref) for ref in value.get("basis", ()))
        source = "；".join(filter(None, [source, value.get("document")]))
        return f"{text}（{value['kind']}{'，' + source if source else ''}）"

    def heading(self, text: str) -> None:
        self.count += 1
        _add(self.doc, f"{_numbered(self.count)}、{text}", self.heading_style, self.doc)

    def para(self, text: str) -> None:
        _add(self.doc, text, BODY, self.doc)

    def items(self, texts: list[str]) -> None:
        for n, text in enumerate(texts, 1):
            self.para(f"{n}．{text}")

    def write(self) -> None:
        v, doc = self.view, self.doc
        title = _add(doc, v["title"], self.title_style, doc)
        if self.bookmark:
            _bookmark(title, *self.bookmark)
        meta = f"编号：{v['id']}　领域：{v['domain']}　难办类型：{v['category']}"
        if v["status"] != "published":
            meta += f"　状态：{STATUS_NAMES.get(v['status'], v['status'])}（未发布）"
        _add(doc, meta, META, doc)
        self.para(v["summary"])
        self.heading("适用情形")
        self.items(v["applies_when"])
        if v.get("not_applicable"):
            self.heading("不适用情形")
            self.items(v["not_applicable"])
        if v.get("situations"):
            self.heading("办理情形")
            self.items([s["title"] + (f"：{s['applies_when']}" if s.get("applies_when") else "") for s in v["situations"]])
        self.heading("办理依据")
        for n, entry in enumerate(v["legal_basis"], 1):
            law = entry["law"]
            note = f"（{law['status']}）" if law.get("status") and law["status"] != "现行有效" else ""
            state = revisions.law_state(law, self.today)
            note += "" if state.in_force else f"（尚未施行，{state.effective} 起施行）"  # as on the card
            number = f"（{law['doc_number']}）" if law.get("doc_number") else ""
            self.para(f"{n}．{law['title']}{number}{note}{entry['article']}：{entry['provision']}")
        # as on the guide page, every reader is told when a cited article changed after the last review
        for flag, cited in revisions.merged(revisions.flags_for(v, self.edition.kb.laws)):
            self.para(f"注意：{flag.sentence(self.today, cited)}；有疑问请向复核责任科室（{v['review']['owner']}）确认。")
        self.heading("办理流程")
        rows = []
        for n, step in enumerate(v["procedure"], 1):
            detail = [step["action"]]
            if step.get("materials"):
                detail.append("材料：" + "、".join(step["materials"]))
            if step.get("output"):
                detail.append("结果：" + step["output"])
            if step.get("situations"):
                detail.append("适用情形：" + self.situations(step["situations"]))
            if step.get("note"):
                detail.append("说明：" + step["note"])
            limit = self.limit(step["time_limit"], short=True)
            if step.get("counted") is False:
                limit += "\n不计入承诺时限"
            rows.append([str(n), step["title"], "\n".join(detail), step["department"], limit])
        _table(doc, ["序号", "步骤", "具体做法", "责任部门", "时限"], rows, [12, 26, 70, 28, 20])
        departments = v["departments"]
        line = f"承诺办结时限：{self.limit(v['time_limit'])}。"
        if v.get("statutory_time_limit"):
            line += f"法定办结时限：{self.limit(v['statutory_time_limit'])}。"
        line += f"牵头部门：{departments['lead']}。"
        if departments.get("cooperating"):
            line += f"配合部门：{'、'.join(departments['cooperating'])}。"
        self.para(line)
        if v.get("materials"):
            self.heading("所需材料")
            groups: dict[str, list[str]] = {}
            for item in v["materials"]:
                if item.get("group"):
                    groups.setdefault(item["group"], []).append(item["name"])
            rows = []
            for n, item in enumerate(v["materials"], 1):
                need = "" if "required" not in item else ("必需" if item["required"] else "非必需，可容缺")
                ask = [need] if need else []
                if copies := copies_text(item.get("copies")):
                    ask.append(copies)
                if item.get("form"):
                    ask.append(item["form"])
                detail = [item["note"]] if item.get("note") else []
                if item.get("group"):
                    others = [name for name in groups[item["group"]] if name != item["name"]]
                    detail.append(f"任选其一（{item['group']}）：可用" + "、".join(others) + "替代" if others
                                  else f"任选其一（{item['group']}）")
                if item.get("obtain"):
                    detail.append("取得途径：" + item["obtain"])
                if item.get("situations"):
                    detail.append("适用情形：" + self.situations(item["situations"]))
                if item.get("blank_form"):
                    detail.append("空白表格：" + item["blank_form"])
                rows.append([str(n), item["name"], "\n".join(ask), "\n".join(detail)])
            _table(doc, ["序号", "材料", "要求", "说明"], rows, [12, 40, 34, 70])
        if v.get("result"):
            self.heading("办理结果")
            result = v["result"]
            line = f"办理结果：{result['name']}。"
            if result.get("delivery"):
                line += f"送达方式：{'、'.join(result['delivery'])}。"
            self.para(line)
        if v.get("fees"):
            self.heading("收费")
            if v["fees"] == "不收费":
                self.para("不收费。")
            else:
                for n, fee in enumerate(v["fees"], 1):
                    source = "；".join(self.citation(ref) for ref in fee.get("basis", ()))
                    if fee.get("document"):
                        source = "；".join(filter(None, [source, fee["document"]]))
                    text = f"{n}．{fee['name']}：{_amount(fee['amount'])} {fee['unit']}"
                    text += f"（依据：{source}）" if source else ""
                    text += f"。{fee['note']}" if fee.get("note") else "。"
                    self.para(text)
        service = {**self.centre, **(v.get("service") or {})}
        lines = [f"{label}：{service[key]}" for key, label in SERVICE_LABELS if service.get(key) not in (None, "")]
        if lines:
            self.heading("办理地点和咨询")
            self.para("；".join(lines) + "。")
        if v.get("items"):
            self.heading("对应政务服务事项")
            self.items([item["name"] + (f"（事项编码 {item['code']}）" if item.get("code") else "") for item in v["items"]])
        if v.get("faq"):
            self.heading("常见问题")
            for n, item in enumerate(v["faq"], 1):
                self.para(f"问{n}：{item['question']}")
                self.para(f"答：{item['answer']}")
        if self.edition.internal:
            self._internal()
        self.heading("复核信息")
        review = v["review"]
        self.para(f"复核责任：{review['owner']}；最近复核：{review['reviewed_on']}；下次复核：{review['next_review']}。")
        sources = [f"{s['title']}（{s['publisher']}，{s['date']}）" for s in v["sources"]]
        self.para("来源：" + "；".join(sources) + "。")
        if v.get("changelog"):
            self.para("修订记录：" + "；".join(f"{c['date']} {c['change']}" for c in v["changelog"]))

    def _internal(self) -> None:
        v = self.view
        internal = v.get("internal") or {}
        if internal:
            self.heading("内部信息（仅限内部使用）")
            if internal.get("contacts"):
                rows = [[c["role"], c["department"], c["channel"], c.get("when", "")] for c in internal["contacts"]]
                _table(self.doc, ["岗位或科室", "所在部门", "联系渠道", "何时联系"], rows, [36, 36, 40, 44])
            if internal.get("staff_notes"):
                self.para(f"工作人员备注：{internal['staff_notes']}")
            if internal.get("risk_notes"):
                self.para(f"容错免责与风险提示：{internal['risk_notes']}")
        if v.get("cases"):
            self.heading("典型个案（已脱敏，仅限内部使用）")
            for case in v["cases"]:
                self.para(f"{case['ref']}（{case['date']}，{case['region']}）：{case['summary']}结果：{case['outcome']}")


def _bookmark(paragraph, number: int, name: str) -> None:
    """Mark the paragraph's text as the bookmark ``name`` (what a PAGEREF field and a link point at)."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def _run(parent, text: str = "", *, tab: bool = False):
    run = OxmlElement("w:r")
    if tab:
        run.append(OxmlElement("w:tab"))
    if text:
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        run.append(t)
    parent.append(run)
    return run


def _field_runs(parent, kind: str, instruction: str | None = None) -> None:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    parent.append(run)
    if instruction is not None:
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = instruction
        _run(parent).append(instr)


def _toc(doc, entries: list[tuple[str, str]]) -> None:
    """The table of contents: per record a line linking to its title, and its page as a PAGEREF field.

    ``entries`` are (title, bookmark of its heading). Word's own TOC field is not used:
    LibreOffice, like WPS, shows a TOC field's stored result and never fills it in, so the
    contents had no page numbers. A PAGEREF field outside it is worked out whenever the
    document is laid out (LibreOffice shows the right pages, and so does the PDF it makes);
    Word is asked to update the fields when the document is opened (``updateFields``). The
    number stored in the file is left empty rather than guessed.
    """
    for index, (title, name) in enumerate(entries):
        paragraph = _add(doc, "", TOC1, doc)
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), name)
        link.set(qn("w:history"), "1")
        paragraph._p.append(link)
        _run(link, f"{index + 1}．{title}")
        _run(link, tab=True)
        _field_runs(link, "begin", f" PAGEREF {name} \\h ")
        _field_runs(link, "separate")
        _field_runs(link, "end")
    settings = doc.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.append(update)
    update.set(qn("w:val"), "true")


def prompt_document(view: dict, edition: Edition, today: date | None = None):
    doc = _new_document(view["title"], compilation=False)
    _Prompt(doc, view, edition, TITLE, H1, clock.today(today)).write()
    return doc


def compilation_document(edition: Edition, today: date | None = None):
    name = EDITION_NAMES[edition.name]
    doc = _new_document(f"工作提示汇编（{name}）", compilation=True)
    _add(doc, f"工作提示汇编（{name}）", TITLE, doc)
    _add(doc, f"共 {len(edition.views)} 项　{clock.today(today).isoformat()} 导出", META, doc)
    _add(doc, "目　录", TITLE, doc)
    marks = [(n, f"_Toc{n:06d}") for n in range(1, len(edition.views) + 1)]
    _toc(doc, [(v["title"], name) for v, (_, name) in zip(edition.views, marks)])
    for view, mark in zip(edition.views, marks):
        _Prompt(doc, view, edition, H1, H2, clock.today(today), bookmark=mark).write()
    return doc


# -- writing ---------------------------------------------------------------------------------------

def _is_previous_export(folder: Path) -> bool:
    return (folder / MARKER).is_file() and all(
        p.name == MARKER or (p.is_file() and p.suffix == ".docx") for p in folder.iterdir())


def write_documents(kb: KnowledgeBase, edition_name: str, out: Path, force: bool = False,
                    today: date | None = None) -> Written:
    """Write ``out/<id>.docx`` for every record of the edition and the compilation beside them.

    ``out`` must not exist, be empty, or (with ``force``) hold a previous export of
    this command, which is then replaced as a whole: the new folder is built beside
    it and renamed into place, so no stale document of a record no longer in the
    edition (or of the other edition) stays behind. Raises ExportError otherwise.
    """
    out = Path(out)
    if out.exists():
        if not out.is_dir():
            raise ExportError(f"{out} 已存在且不是目录")
        if any(out.iterdir()):
            if not force:
                raise ExportError(f"{out} 已存在且不是空目录，不会覆盖；请换一个目录，或加 --force 替换上次导出的文档")
            if not _is_previous_export(out):
                raise ExportError(f"{out} 里有不是 kb export 导出的文件，即使加 --force 也不会替换；请换一个空目录")
    edition = Edition(edition_name, kb)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    mask = os.umask(0)
    os.umask(mask)
    staging.chmod(0o777 & ~mask)  # mkdtemp makes it private; the folder is for colleagues to open
    try:
        for view in edition.views:
            prompt_document(view, edition, today).save(staging / f"{view['id']}.docx")
        compilation = staging / compilation_name(edition_name)
        compilation_document(edition, today).save(compilation)
        (staging / MARKER).write_text(f"kb export --format docx --edition {edition_name}\n", encoding="utf-8")
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            os.replace(out, old / "previous")
            os.replace(staging, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, out)
    except OSError as exc:
        raise ExportError(f"无法写入 {out}：{exc.strerror or exc}") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return Written(len(edition.views), out / compilation_name(edition_name))

