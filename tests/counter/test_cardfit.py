"""cardfit: every card prints on one A4 sheet, whatever the record's length, and says what it left out."""

import io
import random
import re

import pytest

from conftest import FIXTURES, make_project, mkdocs_build, run_kb
from kb.counter import cardfit
from kb.counter.cardversion import version
from kb.site.edition import Edition
from kb.knowledge import load_knowledge_base
from longrecords import long_record, write

KB = load_knowledge_base(FIXTURES / "kb").kb


def plan(view, internal=False, site_name="工作提示知识库"):
    return cardfit.plan(view, internal=internal, site_name=site_name, code=version(view, internal).printed,
                        guide_url=f"guides/{view['id']}/")


def test_line_estimate_breaks_like_a_browser():
    assert cardfit.lines("中" * 40, 40) == 2  # half an em to spare on every line
    assert cardfit.lines("中" * 39, 40) == 1
    assert cardfit.lines("中" * 38 + "，。", 40) == 2  # closing marks go down with the character before them
    assert cardfit.lines("a" * 10 + " " + "W" * 30, 40) == 1
    assert cardfit.lines("a" * 10 + " " + "W" * 35, 40) == 2  # an ASCII word is not split while it fits a line
    assert cardfit.lines("W" * 100, 40) == 3  # ... and is broken anywhere when it does not
    assert cardfit.text_width("mW@%") == 4 and cardfit.text_width("il1") == pytest.approx(1.8)


def test_a_short_record_prints_whole_at_the_roomiest_size():
    card = plan(Edition("public", KB).by_id["sample-home-visit"])
    assert card.density == 0 and card.complete and not card.clipped


def test_the_not_applicable_line_is_one_sentence():
    view = {**Edition("public", KB).by_id["sample-home-visit"], "not_applicable": ["本人能到场的。", "已经办结的"]}
    note = cardfit.sections(view, internal=False)["applies"].note
    assert note.text == "本人能到场的；已经办结的。"


def test_a_longer_record_gets_smaller_type_before_anything_is_cut():
    view = dict(Edition("public", KB).by_id["sample-home-visit"])
    view["procedure"] = [dict(view["procedure"][1], action="户籍窗口民警携带设备上门完成人像和指纹采集，" * 6)] * 9
    card = plan(view)
    assert card.density > 0 and card.complete


def test_an_overlong_record_is_cut_and_says_exactly_what_is_left_out():
    view = long_record(random.Random(7), "huge", scale=3.0)
    view["legal_basis"] = [{**b, "law": KB.laws[b["law"]]} for b in view["legal_basis"]]
    card = plan(view, internal=True)
    assert card.density == len(cardfit.DENSITIES) - 1 and card.cut and card.clipped
    steps = card.sections["steps"]
    if steps.left_out:
        assert f"第 {len(steps.entries) + 1}" in "；".join(card.cut)
    shown = [e.shown for s in card.sections.values() for e in s.entries]
    assert any(text.endswith(cardfit.ELLIPSIS) for text in shown)
    assert card.sections["materials"].left_out == 0 or all(len(s.entries) == 1 for k, s in card.sections.items()
                                                          if k != "materials")  # materials go last


def test_kb_check_warns_about_a_card_that_cannot_print_in_full_and_still_exits_0(tmp_path):
    project = make_project(tmp_path / "project", docs=False)
    write(project / "solutions" / "long-record.yml", long_record(random.Random(3), "long-record", scale=3.0))
    result = run_kb("--root", str(project), "check")
    assert result.returncode == 0, result.stdout + result.stderr
    warning = [line for line in result.stdout.splitlines() if ": 警告：内容过长" in line]
    assert len(warning) == 1 and re.match(r"solutions/long-record\.yml:\d+: \w+: 警告：内容过长，一页 A4 工作提示卡", warning[0])
    assert "未印出" in warning[0] or "截短" in warning[0]
    assert "条警告" in result.stdout
    assert "内容过长" not in run_kb("--root", str(FIXTURES / "kb"), "check").stdout


def test_kb_check_plans_cards_with_the_centres_office_data_as_the_build_prints_them(tmp_path):
    """The centre's place, hours and phones (mkdocs.yml: extra.kb.centre) fill every card's service line, so
    a centre whose line is long makes ``kb check`` warn about cards that fit without it."""
    project = make_project(tmp_path / "project", docs=False)
    assert "内容过长" not in run_kb("--root", str(project), "check").stdout
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    long_place = "政务服务中心一楼综合受理区东侧通道尽头左转第三个窗口旁边的" * 300
    assert "\n    centre:\n" in config
    config = config.replace("\n    centre:\n", f"\n    centre:\n      place: {long_place}\n", 1)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = run_kb("--root", str(project), "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "警告：内容过长" in result.stdout


# -- in a browser: the real sheets ------------------------------------------------

MM = 96 / 25.4
SEEDS = {"public": 11, "internal": 12}


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The fixture records plus 36 records of every length the schema allows, in both editions."""
    from browser import browser

    project = make_project(tmp_path_factory.mktemp("cardfit") / "project", docs=False)
    rng = random.Random(2026)
    for i in range(36):
        write(project / "solutions" / f"long-{i}.yml", long_record(rng, f"long-{i}", scale=(0.3, 1.0, 2.5)[i % 3]))
    assert mkdocs_build(project).returncode == 0
    assert mkdocs_build(project, "-f", "mkdocs.internal.yml").returncode == 0
    with browser() as chromium:
        yield project, chromium


def measure(page) -> list[dict]:
    """For every card on the page, in print: its box, how far its content reaches, and its cut-off line."""
    return page.evaluate("""() => [...document.querySelectorAll('article.kb-card')].map(card => {
        const box = card.getBoundingClientRect();
        const bottom = Math.max(...[...card.querySelectorAll('*')].map(e => e.getBoundingClientRect().bottom));
        const cut = card.querySelector('.kb-card__cut');
        return {id: card.id, density: card.dataset.kbDensity, box: box.height, content: bottom - box.top,
                scroll: card.scrollHeight, client: card.clientHeight, cut: cut ? cut.textContent : ''};
    })""")


def pdf_pages(page) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True))).pages)


@pytest.mark.browser
@pytest.mark.parametrize("edition, site_dir", [("public", "site"), ("internal", "site-internal")])
def test_every_card_is_one_sheet_with_nothing_hidden(sites, edition, site_dir):
    from browser import visit

    project, chromium = sites
    kb = load_knowledge_base(project).kb
    views = Edition(edition, kb).views
    with visit(chromium, project / site_dir, "cards/print/all/") as page:
        p = page.page
        p.set_viewport_size({"width": round(cardfit.WIDTH_MM * MM), "height": 1000})
        p.emulate_media(media="print")
        cards = measure(p)
        assert len(cards) == len(views) >= 37
        assert pdf_pages(p) == len(cards)  # "print all": one sheet per card
        cut = 0
        for card, view in zip(cards, views):
            assert card["box"] <= cardfit.BOX_MM * MM + 1
            assert card["content"] <= card["box"] + 0.5 and card["scroll"] <= card["client"], card  # nothing clipped
            ours = plan(view, edition == "internal", kb_site_name(edition))
            guide = f"在“{kb_site_name(edition)}”搜索本卡标题"  # what a card prints for its guide without site_url
            estimate = cardfit.height_mm(view, ours.sections, ours.density, site_name=kb_site_name(edition),
                                         internal=edition == "internal", code=version(view, edition == "internal").printed,
                                         guide_url=guide, cut=cardfit.cut_text(ours.cut, guide) if ours.cut else "")
            assert estimate * MM >= card["content"] - 1, (card["id"], estimate, card["content"] / MM)  # never short
            if ours.cut:
                cut += 1
                assert "篇幅所限" in card["cut"] and f"完整内容见指南：{guide}" in card["cut"]
            else:
                assert card["cut"] == ""
        assert cut >= 10  # the generator does make records too long for a sheet
        materials = [m["name"] for v in views for m in v.get("materials") or []]
        text = p.inner_text("body")
        assert sum(name in text for name in materials) >= 0.9 * len(materials)


def kb_site_name(edition: str) -> str:
    return "工作提示知识库（内部版）" if edition == "internal" else "工作提示知识库"


@pytest.mark.browser
def test_one_card_alone_prints_one_sheet_and_a_phone_reads_it_as_a_page(sites):
    from browser import serve

    project, chromium = sites
    with serve(project / "site") as base:
        page = chromium.new_page(locale="zh-CN")
        for record in ("sample-home-visit", "long-2", "long-5"):
            page.goto(base + f"cards/{record}/")
            page.emulate_media(media="print")
            assert pdf_pages(page) == 1, record
            page.emulate_media(media="screen")
        page.close()
        phone = chromium.new_page(viewport={"width": 360, "height": 740}, locale="zh-CN")
        for record in ("sample-home-visit", "long-2"):
            phone.goto(base + f"cards/{record}/")
            assert phone.evaluate("document.documentElement.scrollWidth") <= 360, record
            assert phone.evaluate("getComputedStyle(document.querySelector('.kb-card')).fontSize") == "14px"
        phone.close()
