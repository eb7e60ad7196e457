"""The 一次性告知单 (notice/<id>/): exactly the missing materials, one A4 sheet, nothing kept or sent."""

import io
from datetime import date

import pytest

from conftest import FIXTURES, make_project, mkdocs_build
from kb.site.edition import Edition
from kb.knowledge import load_knowledge_base
from kb.counter.notice import density
from kb.site.pages import SiteBuilder, SiteSettings

KB = load_knowledge_base(FIXTURES / "kb").kb


def notice_html(edition="public", **settings) -> str:
    builder = SiteBuilder(Edition(edition, KB), SiteSettings(today=date(2026, 11, 30), **settings))
    return builder.notice(builder.edition.by_id["sample-home-visit"]).content


def test_one_labelled_checkbox_per_material_and_every_field_of_the_notice():
    html = notice_html(centre={"name": "某某区政务服务中心"})
    assert html.count('type="checkbox"') == 2
    assert '<input type="checkbox" id="kb-material-1" data-kb-material="居民户口簿" autocomplete="off"><label for="kb-material-1">' in html
    assert 'data-kb-missing="原居民身份证"' in html and "可容缺：可以先受理，限期补交" in html
    assert "取得途径：户主或本人保管" in html and "说明：换领时交回" in html
    assert "依据：《中华人民共和国居民身份证法》第十一条第一款" in html
    assert html.count("某某区政务服务中心") == 2 and "<span class=\"kb-date\">2026年11月30日</span>（星期一）" in html
    assert "<form" not in html and "<script>" not in html  # nothing to submit, no inline code
    assert 'href="../../guides/sample-home-visit/"' in html and 'src="../../assets/kb/notice.js"' in html


def test_a_draft_notice_says_it_is_not_for_applicants():
    builder = SiteBuilder(Edition("internal", KB), SiteSettings(today=date(2026, 11, 30)))
    html = builder.notice(builder.edition.by_id["sample-draft"]).content
    assert "不得交给申请人" in html and "（草稿，未经复核）" in html and "kb-print--internal" in html
    assert "草稿" not in notice_html()


def test_the_centre_name_defaults_to_the_setting_in_mkdocs_yml():
    import yaml

    assert "政务服务中心" in notice_html()
    config = yaml.safe_load((FIXTURES.parent.parent / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["extra"]["kb"]["centre"]["name"] == "政务服务中心"


def test_the_older_centre_name_is_still_read_with_a_warning():
    from kb.site.settings import centre_setting

    centre, warning = centre_setting({"centre_name": "某县中心"}, {"name": "政务服务中心"})
    assert centre["name"] == "某县中心" and "extra.kb.centre.name" in warning
    centre, warning = centre_setting({"centre": {"name": "甲中心", "phone": "0571-1234567"}}, {"name": "政务服务中心"})
    assert centre == {"name": "甲中心", "phone": "0571-1234567"} and warning is None
    import pytest

    with pytest.raises(ValueError, match="不认识 fax"):
        centre_setting({"centre": {"fax": "1"}}, {})


def test_long_lists_print_denser():
    view = dict(Edition("public", KB).by_id["sample-home-visit"])
    assert density(view) == 0
    view["materials"] = [{"name": f"材料{i}", "note": "说明" * 60} for i in range(12)]
    assert density(view) == 3


def test_record_text_is_escaped():
    builder = SiteBuilder(Edition("public", KB), SiteSettings(today=date(2026, 11, 30)))
    view = dict(builder.edition.by_id["sample-home-visit"])
    view["materials"] = [{"name": '<img src=x onerror="alert(1)">'}]
    html = builder.notice(view).content
    assert "<img" not in html and 'data-kb-material="&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"' in html


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from browser import browser

    project = make_project(tmp_path_factory.mktemp("notice") / "project")
    assert mkdocs_build(project).returncode == 0
    with browser() as chromium:
        yield project / "site", chromium


def pdf_pages(page) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True))).pages)


@pytest.mark.browser
def test_ticking_leaves_exactly_the_missing_materials_and_prints_one_sheet(site):
    from browser import visit

    root, chromium = site
    with visit(chromium, root, "notice/sample-home-visit/") as page:
        p = page.page
        notice = p.locator("#kb-notice")
        assert "居民户口簿" in notice.inner_text() and "原居民身份证" in notice.inner_text()
        p.check('[data-kb-material="居民户口簿"]')
        text = notice.inner_text()
        assert "居民户口簿" not in text and "原居民身份证" in text and "第十一条第一款" in text
        p.check('[data-kb-material="原居民身份证"]')
        assert "材料已经齐全" in notice.inner_text() and "原居民身份证" not in notice.inner_text()
        p.uncheck('[data-kb-material="居民户口簿"]')
        assert "居民户口簿" in notice.inner_text() and "材料已经齐全" not in notice.inner_text()
        p.fill("[data-kb-notice-date]", "2026-10-09")
        p.dispatch_event("[data-kb-notice-date]", "change")
        assert p.inner_text("[data-kb-notice-date-out]") == "2026年10月9日（星期五）"
        p.emulate_media(media="print")
        assert p.locator(".kb-notice-tool").is_hidden() and p.locator(".kb-print__bar").is_hidden()
        assert pdf_pages(p) == 1
        # nothing kept, nothing sent
        assert p.evaluate("() => localStorage.length + sessionStorage.length + document.cookie.length") == 0
        assert [url for url in page.requests if "?" in url or not url.startswith(page.base)] == []


@pytest.mark.browser
def test_long_lists_print_smaller_and_an_overlong_one_says_so(site, tmp_path):
    """Twelve materials with long notes: the type size follows what is still missing; when even the
    smallest cannot hold it, the page says the notice takes two sheets (nothing is cut from a notice)."""
    from browser import visit

    import yaml

    project = make_project(tmp_path / "project")
    path = project / "solutions" / "sample-home-visit.yml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["materials"] = [{"name": f"第{i}项材料" + "证明" * 20, "required": i % 2 == 0, "obtain": "窗口查询打印" * 16,
                            "note": "按要求提供原件和复印件各一份" * 8} for i in range(1, 13)]
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert mkdocs_build(project).returncode == 0
    with visit(site[1], project / "site", "notice/sample-home-visit/") as page:
        p = page.page
        sheet = p.locator(".kb-notice-sheet")
        assert "kb-notice--d3" in sheet.get_attribute("class")
        assert p.locator("[data-kb-notice-overflow]").is_visible()
        for i in range(1, 5):
            p.check(f'[data-kb-material^="第{i}项材料"]')
        assert p.locator("[data-kb-notice-overflow]").is_hidden()
        p.emulate_media(media="print")
        assert pdf_pages(p) == 1
        p.emulate_media(media="screen")
        for i in range(5, 11):
            p.check(f'[data-kb-material^="第{i}项材料"]')
        assert "kb-notice--d0" in sheet.get_attribute("class")  # two left: the roomiest size
        p.emulate_media(media="print")
        assert pdf_pages(p) == 1


@pytest.mark.browser
def test_keyboard_alone_ticks_and_prints(site):
    from browser import visit

    root, chromium = site
    with visit(chromium, root, "notice/sample-home-visit/") as page:
        p = page.page
        p.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
        order = []
        for _ in range(8):
            p.keyboard.press("Tab")
            order.append(p.evaluate("() => document.activeElement.getAttribute('data-kb-material') || document.activeElement.textContent.trim() || document.activeElement.type"))
        assert order[0] == "打印告知单" and "居民户口簿" in order and "原居民身份证" in order
        while p.evaluate("() => document.activeElement.getAttribute('data-kb-material')") != "居民户口簿":
            p.keyboard.press("Shift+Tab")
        p.keyboard.press("Space")
        assert "居民户口簿" not in p.inner_text("#kb-notice")
        p.focus("[data-kb-print]")
        p.keyboard.press("Enter")
        assert p.evaluate("window.printed") == 1
        for box in p.query_selector_all("[data-kb-material]"):
            assert p.evaluate("el => el.labels.length === 1 && el.labels[0].textContent.length > 1", box)


@pytest.mark.browser
def test_a_phone_reads_the_notice_without_sideways_scrolling(site):
    from browser import serve

    root, chromium = site
    with serve(root) as base:
        page = chromium.new_page(viewport={"width": 360, "height": 740}, locale="zh-CN")
        page.goto(base + "notice/sample-home-visit/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.close()
