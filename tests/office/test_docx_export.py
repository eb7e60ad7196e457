"""office.docx_export: work prompts in the fonts and layout of an official document; the public ones hold nothing internal."""

import stat
from datetime import date

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn

from kb.knowledge import load_knowledge_base
from kb.office.docx_export import ExportError, compilation_name, write_documents
from office_util import knowledge_base

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("docx")
    root = knowledge_base(tmp)
    kb = load_knowledge_base(root).kb
    write_documents(kb, "public", tmp / "public", today=date(2026, 12, 1))
    write_documents(kb, "internal", tmp / "internal", today=date(2026, 12, 1))
    data = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (root / "solutions").glob("*.yml")}
    return tmp, data


def _text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in doc.sections:
        for part in (section.header, section.footer, section.even_page_footer):
            parts += [p.text for p in part.paragraphs]
    return "\n".join(parts)


def _internal_texts(record: dict) -> list[str]:
    internal = record.get("internal", {})
    texts = [internal.get("staff_notes"), internal.get("risk_notes")]
    texts += [c[k] for c in internal.get("contacts", []) for k in ("role", "channel")]
    texts += [c[k] for c in record.get("cases", []) for k in ("ref", "summary", "outcome")]
    return [t for t in texts if t]


def test_one_document_per_record_and_a_compilation(exported):
    tmp, _ = exported
    assert sorted(p.name for p in (tmp / "public").glob("*.docx")) == ["sample-home-visit.docx", compilation_name("public")]
    assert sorted(p.name for p in (tmp / "internal").glob("*.docx")) == [
        "sample-draft.docx", "sample-home-visit.docx", compilation_name("internal")]
    assert stat.S_IMODE((tmp / "public").stat().st_mode) & 0o055  # not left private like a temporary folder


def test_the_work_prompt_says_what_it_must(exported):
    tmp, data = exported
    record = data["sample-home-visit"]
    doc = Document(tmp / "public" / "sample-home-visit.docx")
    text = _text(doc)
    for need in (record["title"], "编号：sample-home-visit", record["applies_when"][0],
                 "《中华人民共和国居民身份证法》第十一条第一款：" + record["legal_basis"][0]["provision"],
                 record["materials"][0]["name"], record["faq"][0]["question"], record["faq"][0]["answer"],
                 "复核责任：户籍管理科；最近复核：2026-11-01；下次复核：2027-05-01。"):
        assert need in text, need
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、适用情形", "二、不适用情形", "三、办理依据", "四、办理流程", "五、所需材料", "六、收费", "七、常见问题",
                        "八、复核信息"]
    steps = doc.tables[0]
    assert [c.text for c in steps.rows[0].cells] == ["序号", "步骤", "具体做法", "责任部门", "时限"]
    assert [c.text for c in steps.rows[2].cells][3:] == ["公安机关户籍窗口", "5 个工作日\n（承诺）"]
    assert [c.text for c in steps.rows[1].cells][4] == "即办"
    assert steps.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # the header repeats on each page


def test_public_documents_hold_nothing_internal(exported):
    tmp, data = exported
    secrets = _internal_texts(data["sample-home-visit"]) + [data["sample-draft"]["title"]]
    assert len(secrets) >= 6
    for path in (tmp / "public").glob("*.docx"):
        text = _text(Document(path))
        assert [s for s in secrets if s in text] == [], path.name
    internal = _text(Document(tmp / "internal" / "sample-home-visit.docx"))
    assert all(s in internal for s in _internal_texts(data["sample-home-visit"]))
    assert "状态：草稿（未发布）" in _text(Document(tmp / "internal" / "sample-draft.docx"))


def test_official_fonts_on_the_east_asian_attribute(exported):
    tmp, _ = exported
    doc = Document(tmp / "public" / "sample-home-visit.docx")

    def fonts(name):
        element = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        return {k.replace(W, ""): v for k, v in element.attrib.items()}

    assert fonts("Title")["eastAsia"] == "方正小标宋简体" and doc.styles["Title"].font.size.pt == 22
    assert fonts("KB 正文") == {"ascii": "Times New Roman", "hAnsi": "Times New Roman", "cs": "Times New Roman",
                              "eastAsia": "仿宋_GB2312", "hint": "eastAsia"}
    assert doc.styles["KB 正文"].font.size.pt == 16 and doc.styles["KB 正文"].paragraph_format.line_spacing.pt == 28
    assert fonts("Heading 1")["eastAsia"] == "黑体" and fonts("Heading 2")["eastAsia"] == "楷体_GB2312"
    font_table = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    xml = font_table.blob.decode("utf-8")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in xml
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in xml
    # named styles only: no run carries its own font or size
    runs = doc.element.body.iter(qn("w:r"))
    assert not [r for r in runs if r.find(qn("w:rPr")) is not None]


def test_a4_with_page_numbers(exported):
    tmp, _ = exported
    for path in (tmp / "public").glob("*.docx"):
        doc = Document(path)
        for section in doc.sections:
            assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
            assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
            for footer in (section.footer, section.even_page_footer):
                paragraph = footer.paragraphs[0]
                assert paragraph.style.name == "KB 页码"
                assert "".join(t.text for t in paragraph._p.iter(qn("w:instrText"))).strip() == "PAGE"
                assert paragraph.text == "— 1 —"
        assert doc.settings.odd_and_even_pages_header_footer


def test_the_compilation_has_a_table_of_contents(exported):
    tmp, data = exported
    doc = Document(tmp / "internal" / compilation_name("internal"))
    titles = [data["sample-draft"]["title"], data["sample-home-visit"]["title"]]
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == titles
    # each entry links to its record's title and shows its page as a PAGEREF field to the title's bookmark
    marks = [b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))]
    assert len(marks) == 2 and len(set(marks)) == 2
    for title, mark in zip(titles, marks):
        heading = next(p for p in doc.paragraphs if p.text == title)
        assert heading._p.find(qn("w:bookmarkStart")).get(qn("w:name")) == mark
    toc = [p for p in doc.paragraphs if p.style.name == "toc 1"]
    assert ["".join(t.text for t in p._p.iter(qn("w:t"))) for p in toc] == [f"1．{titles[0]}", f"2．{titles[1]}"]
    assert [p._p.find(qn("w:hyperlink")).get(qn("w:anchor")) for p in toc] == marks
    assert [" ".join(t.text.split()) for t in doc.element.body.iter(qn("w:instrText"))] == \
        [f"PAGEREF {m} \\h" for m in marks]
    stop = doc.styles["toc 1"].paragraph_format.tab_stops[0]
    assert round(stop.position.mm) == 156 and stop.leader is not None
    assert doc.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    assert doc.styles["Heading 1"].paragraph_format.page_break_before
    assert "共 2 项　2026-12-01 导出" in _text(doc)


def test_never_replaces_other_files(exported, tmp_path):
    tmp, _ = exported
    kb = load_knowledge_base(knowledge_base(tmp_path)).kb
    out = tmp_path / "docs"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="不会覆盖"):
        write_documents(kb, "public", out)
    with pytest.raises(ExportError, match="即使加 --force 也不会替换"):
        write_documents(kb, "public", out, force=True)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_force_replaces_a_previous_export_whole(tmp_path):
    kb = load_knowledge_base(knowledge_base(tmp_path)).kb
    out = tmp_path / "docs"
    write_documents(kb, "internal", out)
    assert (out / "sample-draft.docx").exists()
    with pytest.raises(ExportError, match="已存在且不是空目录"):
        write_documents(kb, "public", out)
    write_documents(kb, "public", out, force=True)
    assert sorted(p.name for p in out.glob("*.docx")) == ["sample-home-visit.docx", compilation_name("public")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "kb"]  # nothing left beside it


def test_a_revised_or_pending_law_is_said_where_it_is_cited(tmp_path):
    root = knowledge_base(tmp_path)
    laws = root / "solutions" / "_registry" / "laws.yml"
    laws.write_text(laws.read_text(encoding="utf-8").replace(
        "    effective: 2019-04-23\n", "    effective: 2030-01-01\n").replace(
        "    effective: 2012-01-01\n    articles: 23\n    status: 现行有效\n",
        "    effective: 2012-01-01\n    articles: 23\n    status: 现行有效\n    revisions:\n"
        "      - {adopted: 2026-11-15, effective: 2027-03-01, articles: [第十一条]}\n"), encoding="utf-8")
    record = root / "solutions" / "sample-home-visit.yml"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "legal_basis:\n", "legal_basis:\n  - law: xingzheng-xuke-fa\n    article: 第三十条\n"
                          "    provision: 行政机关应当公示许可事项、依据、条件和材料目录\n    upcoming: true\n"), encoding="utf-8")
    draft = root / "solutions" / "sample-draft.yml"  # it cites the same law: a citation of a law not yet in force says so
    draft.write_text(draft.read_text(encoding="utf-8").replace(
        "    article: 第二十六条第二款\n", "    article: 第二十六条第二款\n    upcoming: true\n"), encoding="utf-8")
    loaded = load_knowledge_base(root, today="2026-12-01")
    assert loaded.ok, loaded.problems
    write_documents(loaded.kb, "public", tmp_path / "out", today=date(2026, 12, 1))
    text = _text(Document(tmp_path / "out" / "sample-home-visit.docx"))
    assert "1．《中华人民共和国行政许可法》（尚未施行，2030-01-01 起施行）第三十条：" in text
    assert ("注意：《中华人民共和国居民身份证法》第十一条（本提示引用第十一条第一款）于 2026-11-15 修订（2027-03-01 起施行），"
            "本工作提示最近一次复核在 2026-11-01，尚未按修订后的条文复核；有疑问请向复核责任科室（户籍管理科）确认。") in text


def test_table_columns_have_their_own_widths_in_the_grid(exported):
    """LibreOffice and WPS lay a table out by w:tblGrid: equal grid columns there made 具体做法 six characters wide."""
    tmp, _ = exported
    doc = Document(tmp / "public" / "sample-home-visit.docx")
    table = doc.tables[0]
    grid = [round(int(c.get(qn("w:w"))) / 56.7) for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert grid == [12, 26, 70, 28, 20]  # mm, as the cells say
    for row in table.rows:
        assert [round(c.width.mm) for c in row.cells] == grid
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_what_a_real_guide_holds(tmp_path):
    """Fees, both limits with their kind and source, place and phones, situations, copies and form,
    alternatives, steps not counted, the result and the standard matters (issue 24)."""
    from office_util import VALID

    root = knowledge_base(tmp_path, extra=[VALID / "full.yml"])
    (root / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - search\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra:\n  kb:\n    centre:\n      name: 某县政务服务中心\n      place: 某县政务服务中心一楼\n"
        "      hours: 工作日 8:30—17:30\n      phone: 0571-88888888\n      complaint_phone: \"12345\"\n", encoding="utf-8")
    loaded = load_knowledge_base(root)
    assert loaded.ok, [str(p) for p in loaded.problems]
    write_documents(loaded.kb, "internal", tmp_path / "out", today=date(2026, 12, 1))
    doc = Document(tmp_path / "out" / "full.docx")
    text = _text(doc)
    for need in ("承诺办结时限：10 个工作日（承诺，本中心服务承诺）。",
                 "法定办结时限：20 个工作日（法定，《中华人民共和国行政许可法》第四十二条第一款）。",
                 "1．居民身份证工本费：20 元/证（依据：国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知（发改价格〔2003〕2322号））。"
                 "有效期满换领按此标准；上门服务不另收费。",
                 # the record's service wins field by field; the centre fills the rest (none left here)
                 "办理地点：政务服务中心一楼户籍窗口；办理时间：工作日 9:00—17:00；咨询电话：0571-12345678；监督投诉电话：12345；"
                 "网上办理：https://zwfw.example.gov.cn/；到现场次数：0。",
                 "有效期满换领：原证件在手、有效期将满或已满。", "遗失补领",
                 "办理结果：居民身份证。送达方式：窗口领取、邮寄。",
                 "居民身份证换领（事项编码 330100-GA-0001）",
                 "原件 1 份\n纸质", "任选其一（户籍证明）：可用居住证替代", "任选其一（户籍证明）：可用居民户口簿替代",
                 "适用情形：遗失补领", "空白表格：https://zwfw.example.gov.cn/forms/juzhuzheng.pdf"):
        assert need in text, need
    steps = doc.tables[0]
    made = [c.text for c in steps.rows[3].cells]  # 制证: counted: false
    assert made[4] == "30 日（自然日）\n（承诺）\n不计入承诺时限"
    assert "说明：制证在上级公安机关完成，不计入本中心的承诺时限。" in made[2]
    assert [c.text for c in steps.rows[2].cells][4] == "5 个工作日\n（承诺）"
    headings = [p.text.split("、", 1)[1] for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["适用情形", "不适用情形", "办理情形"]
    assert {"收费", "办理结果", "办理地点和咨询", "对应政务服务事项"} <= set(headings)


def test_the_centre_fills_what_the_record_leaves_out(tmp_path):
    root = knowledge_base(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: t\nextra:\n  kb:\n    centre:\n      place: 某县政务服务中心一楼\n"
                                     "      phone: 0571-88888888\n", encoding="utf-8")
    kb = load_knowledge_base(root).kb
    write_documents(kb, "public", tmp_path / "out", today=date(2026, 12, 1))
    text = _text(Document(tmp_path / "out" / "sample-home-visit.docx"))
    assert "办理地点：某县政务服务中心一楼；咨询电话：0571-88888888。" in text
