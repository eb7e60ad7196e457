"""Every reader (政府网站适老化与无障碍): each kind of page the project makes, in both editions and both
palettes, measured in headless Chromium with axe-core (WCAG 2.1 A/AA), by keyboard alone, at 360 px and
in 关怀模式. One build per edition of the real knowledge base and hand-written pages, "today" set late
enough that the review list has overdue rows."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from a11y import AXE, axe_violations, focused, text_contrast
from browser import browser, serve
from conftest import ROOT, make_project, run_kb

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: A day after every record's next review: the review list then shows overdue rows.
LATE = "2027-12-01"
THEME = ROOT / "scripts" / "kb" / "theme" / "assets" / "kb"


#: Body text as a reader meets it: everything with text of its own in the page's content.
BODY_TEXT_JS = """(root) => {
  const out = [];
  for (const el of document.querySelectorAll(root + ' :is(p, li, td, th, dd, dt, summary, figcaption, label, blockquote, a, span, strong, code)')) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    const r = el.getBoundingClientRect();
    if (!own || r.width === 0 || r.height === 0 || el.closest('svg, .md-nav, .headerlink, [hidden]')) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none') continue;
    const size = parseFloat(s.fontSize), block = el.closest('p, li, td, th, dd, dt, summary, figcaption, label, blockquote') || el;
    const height = parseFloat(getComputedStyle(block).lineHeight) / parseFloat(getComputedStyle(block).fontSize);
    out.push([el.tagName + '.' + el.className + ' ' + el.textContent.trim().slice(0, 20), size, height]);
  }
  return out;
}"""

#: What a reader clicks outside running text: header, navigation, buttons, form fields (the deadline panel's
#: day, the card check's fields, the notice's date), the print bar, and the notice's ticks (a tick's label
#: answers a click as the box does: the line is the target; so does the label around a situation's radio).
TARGETS = ("[data-kb-care-toggle], .md-header__button:not([hidden]), .md-header .md-option:checked + label, "
           ".md-search__input, .md-nav__link, .md-typeset .md-button, .md-footer__link, .kb-print__bar a, "
           ".kb-print__bar button, .md-typeset input:not([type=radio]), .kb-print input[type=date], "
           ".kb-print input[type=checkbox] + label, label:has(> input[type=radio]), [data-kb-situation-all], "
           ".md-typeset__scrollwrap[tabindex]")
TARGETS_JS = """(sel) => Array.from(document.querySelectorAll(sel)).filter(el => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('[hidden]');
  }).map(el => { const r = el.getBoundingClientRect();
    return [el.tagName + '.' + String(el.className).slice(0, 40) + ' ' + (el.textContent || '').trim().slice(0, 12),
            Math.round(r.width), Math.round(r.height)]; })"""


def _build(project: Path, *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", *args], cwd=project, capture_output=True,
                            text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_TODAY": LATE})
    assert result.returncode == 0, result.stderr[-3000:]


def _first_dir(site: Path, section: str) -> str:
    return f"{section}/{sorted(p.name for p in (site / section).iterdir() if (p / 'index.html').is_file())[0]}/"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """{edition: (site folder, {kind of page: path})} for the public and the internal edition."""
    project = make_project(tmp_path_factory.mktemp("a11y") / "project", solutions=ROOT / "solutions")
    _build(project)
    _build(project, "-f", "mkdocs.internal.yml")
    records = json.loads(run_kb("--root", str(project), "export", "--edition", "internal").stdout)
    published = next(r for r in records if r["status"] == "published")
    draft = next(r for r in records if r["status"] == "draft")
    law = published["legal_basis"][0]["law"]["id"]
    out = {}
    for edition, folder in (("public", "site"), ("internal", "site-internal")):
        site = project / folder
        kinds = {
            "首页": "", "窗口使用说明（手写页面）": "usage/", "术语表": "glossary/",
            "按领域": "domains/", "一个领域": _first_dir(site, "domains"), "按难办类型": "categories/",
            "按共性成因": "causes/", "按责任部门": "departments/", "一个部门": _first_dir(site, "departments"),
            "法律依据": "laws/", "一部法律": f"laws/{law}/", "统计": "stats/", "字段参考": "reference/fields/",
            "已发布的指南": f"guides/{published['id']}/", "卡片列表": "cards/", "一张卡片": f"cards/{published['id']}/",
            "打印全部卡片": "cards/print/all/", "一次性告知单": f"notice/{published['id']}/",
            "核对卡片版本": "cards/check/", "核对卡片版本（已更新）": f"cards/check/?id={published['id']}&v=0000000000",
            "404": "404.html",
        }
        if edition == "internal":
            kinds.update({"性能基准（宽表格）": "benchmarks/"})  # a page of the internal edition only
            kinds.update({"草稿指南": f"guides/{draft['id']}/", "培训": "training/",
                          "一个领域的培训": _first_dir(site, "training"), "复核清单": "review/"})
        for kind, path in kinds.items():
            file = path.split("?")[0]
            assert (site / (file or "index.html")).exists() or (site / file / "index.html").is_file(), (edition, kind)
        out[edition] = (site, kinds, published)
    return out


@pytest.fixture(scope="module")
def chromium():
    with browser() as instance:
        yield instance


def _choose_scheme(page, scheme: str) -> None:
    """Pick the palette with the header's own switch, as a reader would; the choice then holds on every page."""
    if page.get_attribute("body", "data-md-color-scheme") != scheme:
        page.click("form[data-md-component=palette] label:not([hidden])")
    assert page.get_attribute("body", "data-md-color-scheme") == scheme


def _assert_care_switch(page, kind: str) -> None:
    """One 关怀模式 switch: a real, named button in the header (or the top bar of a page with its own layout)."""
    switch = page.locator("[data-kb-care-toggle]")
    assert switch.count() == 1, kind
    assert switch.evaluate("el => el.tagName") == "BUTTON" and switch.get_attribute("type") == "button", kind
    assert switch.get_attribute("aria-pressed") in ("true", "false"), kind
    assert "关怀模式" in switch.inner_text() and switch.is_visible(), kind
    assert switch.evaluate("el => !!el.closest('header, .kb-print__bar')"), kind


def _open_search(page, query: str, settle: bool = True) -> None:
    """Open the search with its key, type ``query`` and wait for the results and (``settle``) for the theme's
    fade-in to end: mid-fade the text is half transparent, and a contrast check then measures a moment, not
    the page. (Polled from here: a predicate evaluated in the page would need eval, which the CSP refuses.)"""
    page.keyboard.press("s")
    page.locator("input.md-search__input").fill(query)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    for _ in range(100) if settle else ():
        if page.evaluate("document.getAnimations().every(a => a.playState !== 'running')"):
            break
        page.wait_for_timeout(50)
    else:
        assert not settle, "the search's animations never ended"


# -- 1. axe-core: no WCAG 2.1 A/AA violation --------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("edition", ["public", "internal"])
def test_no_axe_violation_on_any_kind_of_page(sites, chromium, edition, scheme):
    site, kinds, published = sites[edition]
    problems = []
    with serve(site) as base:
        context = chromium.new_context(bypass_csp=True, locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(base)
        _choose_scheme(page, scheme)
        for kind, path in kinds.items():
            page.goto(base + path)
            if page.locator(".md-header").count():  # the theme's pages follow the palette; cards are paper
                assert page.get_attribute("body", "data-md-color-scheme") == scheme, (kind, "palette not kept")
            _assert_care_switch(page, kind)
            problems += [f"{kind} /{path}: {line}" for line in axe_violations(page)]
        page.goto(base)
        _open_search(page, published["aliases"][0])
        problems += [f"检索结果: {line}" for line in axe_violations(page)]
        context.close()
    assert problems == [], "\n".join(problems)


#: The rules whose answer 关怀模式 can change (colours, sizes, what scrolls); the others read the markup,
#: which is the same in both modes and is checked above. color-contrast-enhanced (AAA: 7:1, large text 4.5:1)
#: is stricter than AA's color-contrast at every size, so AA's own rule need not run again.
CARE_RULES = ["color-contrast-enhanced", "link-in-text-block", "scrollable-region-focusable"]


@pytest.mark.parametrize(("scheme", "width"), [("default", 360), ("slate", 1280)])
def test_care_mode_on_every_kind_of_page(sites, chromium, scheme, width):
    """关怀模式 on every kind of page: kept from page to page, body text of 20 px and more with a line height
    of 1.5 and more, text at 7:1 and more (axe's AAA color-contrast-enhanced), click targets of 44 px and
    more, and nothing wider than a phone."""
    problems = []
    for edition in ("public", "internal"):
        site, kinds, published = sites[edition]
        with serve(site) as base:
            context = chromium.new_context(bypass_csp=True, locale="zh-CN", viewport={"width": width, "height": 900})
            page = context.new_page()
            page.goto(base)
            _choose_scheme(page, scheme)
            page.click("[data-kb-care-toggle]")
            for kind, path in kinds.items():
                page.goto(base + path)
                where = f"{edition} {kind} /{path}"
                assert page.get_attribute("html", "data-kb-care") == "on", where
                assert page.get_attribute("[data-kb-care-toggle]", "aria-pressed") == "true", where
                text = ".md-content" if page.locator(".md-content").count() else "body"
                problems += [f"{where}: text {t}" for t in page.evaluate(BODY_TEXT_JS, text) if t[1] < 20 or t[2] < 1.5][:3]
                problems += [f"{where}: target {t}" for t in page.evaluate(TARGETS_JS, TARGETS) if t[2] < 44][:3]
                problems += [f"{where}: {line}" for line in axe_violations(page, rules=CARE_RULES)]
                if page.evaluate("document.documentElement.scrollWidth") > width:
                    problems.append(f"{where}: scrolls sideways")
            page.goto(base)
            _open_search(page, published["aliases"][0])
            problems += [f"{edition} 检索结果: text {t}" for t in page.evaluate(BODY_TEXT_JS, ".md-search__output")
                         if t[1] < 20 or t[2] < 1.5][:3]
            problems += [f"{edition} 检索结果: {line}" for line in axe_violations(page, rules=CARE_RULES)]
            context.close()
    assert problems == [], "\n".join(problems)


def test_axe_core_is_never_part_of_the_site(sites):
    """No copy of axe's code (its banner) and no script loading it, in any file of either edition (the
    developers' page may name it in its text)."""
    banner = AXE.read_text(encoding="utf-8")[:14]  # "/*! axe v4.10.3"
    assert banner.startswith("/*! axe v")
    for site, _, _ in sites.values():
        for path in site.rglob("*"):
            if path.is_file() and path.suffix in (".html", ".js", ".json", ".css"):
                text = path.read_text(encoding="utf-8", errors="ignore")
                assert banner not in text and not re.search(r"<script[^>]+axe", text, re.I), path
                assert "axe" not in path.name.lower(), path


# -- 2. 关怀模式 ------------------------------------------------------------------------------------------------

def test_care_mode_large_text_big_targets_remembered_across_pages_and_visits(sites, chromium):
    site, kinds, published = sites["public"]
    guide = f"guides/{published['id']}/"
    with serve(site) as base:
        context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        errors = []
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base + guide)
        normal = page.evaluate(BODY_TEXT_JS, ".md-content")
        assert min(size for _, size, _ in normal) < 20  # the ordinary mode is not already 关怀模式
        page.click("[data-kb-care-toggle]")
        assert page.get_attribute("html", "data-kb-care") == "on"
        assert page.get_attribute("[data-kb-care-toggle]", "aria-pressed") == "true"
        for kind in ("首页", "统计", "404"):
            page.goto(base + kinds[kind])  # the next page, opened from the address: still on
            assert page.get_attribute("html", "data-kb-care") == "on", kind
            assert page.get_attribute("[data-kb-care-toggle]", "aria-pressed") == "true", kind
            small = [t for t in page.evaluate(BODY_TEXT_JS, ".md-content") if t[1] < 20 or t[2] < 1.5]
            assert small == [], (kind, small[:5])
        # nothing animated, no shadow, no ¶ marks
        page.goto(base + guide)
        assert page.evaluate("getComputedStyle(document.querySelector('.md-nav__link')).transitionDuration") == "0s"
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).boxShadow") == "none"
        assert page.locator(".headerlink").first.is_hidden()
        # the search box and its results are as large
        _open_search(page, published["aliases"][0])
        small = [t for t in page.evaluate(BODY_TEXT_JS, ".md-search__output") if t[1] < 20 or t[2] < 1.5]
        assert small == [] and page.locator(".md-search-result__link").count(), small[:5]
        assert page.evaluate("document.querySelector('.md-search__input').getBoundingClientRect().height") >= 44
        page.close()
        # a later visit (a new tab of the same browser profile) remembers it, and turning it off is remembered too
        page = context.new_page()
        page.goto(base)
        assert page.get_attribute("html", "data-kb-care") == "on"
        page.click("[data-kb-care-toggle]")
        assert page.get_attribute("html", "data-kb-care") == "off"
        page.goto(base + guide)
        assert page.get_attribute("html", "data-kb-care") == "off"
        assert page.get_attribute("[data-kb-care-toggle]", "aria-pressed") == "false"
        assert errors == []  # ran under the site's Content-Security-Policy without a complaint
        context.close()


#: The text of the navigation a reader sees: the left menu, the tabs and the table of contents ("目录").
NAV_TEXT_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('.md-nav *, .md-tabs *')) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (!own || r.width === 0 || r.height === 0 || s.visibility === 'hidden' || el.closest('[hidden]')) continue;
    if (r.right <= 0 || r.left >= innerWidth) continue;  // a closed drawer lies beside the screen
    out.push([el.tagName + '.' + String(el.className).slice(0, 30) + ' ' + el.textContent.trim().slice(0, 12),
              parseFloat(s.fontSize)]);
  }
  return out;
}"""


@pytest.mark.parametrize("width", [1280, 360])
def test_care_mode_enlarges_the_menu_tabs_and_table_of_contents(sites, chromium, width):
    """docs/usage.md promises larger menus: in 关怀模式 the navigation's text is at least 20 px, like the body."""
    site, kinds, published = sites["public"]
    with serve(site) as base:
        context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(base + kinds["窗口使用说明（手写页面）"])
        if width < 1220:
            page.click("label.md-header__button[for=__drawer]")  # on a phone the menu is a drawer
        normal = page.evaluate(NAV_TEXT_JS)
        assert normal and min(size for _, size in normal) < 20  # the ordinary menu is smaller
        page.reload()  # the drawer closed again
        page.click("[data-kb-care-toggle]")
        for kind in ("窗口使用说明（手写页面）", "已发布的指南", "首页"):
            page.goto(base + kinds[kind])
            if width < 1220:
                page.click("label.md-header__button[for=__drawer]")
                page.wait_for_timeout(50)
            shown = page.evaluate(NAV_TEXT_JS)
            small = [t for t in shown if t[1] < 20]
            assert shown and small == [], (kind, small[:5])
        context.close()


def test_care_mode_on_the_pages_with_their_own_layout(sites, chromium):
    site, kinds, published = sites["internal"]
    with serve(site) as base:
        context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(base + kinds["一张卡片"])
        page.click("[data-kb-care-toggle]")
        for kind, text in (("一张卡片", ".kb-card p"), ("打印全部卡片", ".kb-card p"),
                           ("一次性告知单", ".kb-notice__missing li")):
            page.goto(base + kinds[kind])
            assert page.get_attribute("html", "data-kb-care") == "on", kind
            assert page.get_attribute("[data-kb-care-toggle]", "aria-pressed") == "true", kind
            small = [t for t in page.evaluate(BODY_TEXT_JS, "body") if t[1] < 20 or t[2] < 1.5]
            assert small == [], (kind, small[:5])
            assert text_contrast(page, text) >= 7, kind
            # printing is not the screen: the sheet keeps its A4 type size, and the card or notice its one sheet
            page.emulate_media(media="print")
            assert page.evaluate("(s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)", text) < 20, kind
            sheets = len(PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True))).pages)
            assert sheets == page.locator(".kb-card, .kb-notice-sheet").count(), (kind, sheets)
            page.emulate_media(media="screen")
        # the mode reaches the theme's pages too (one setting for the whole site)
        page.goto(base + kinds["已发布的指南"])
        assert page.get_attribute("html", "data-kb-care") == "on"
        context.close()


def test_the_remembered_mode_is_applied_before_the_page_is_painted(sites):
    """care.js is a blocking script in the head (no defer, no async), before any stylesheet-dependent paint."""
    site, kinds, _ = sites["public"]
    for path in ("index.html", kinds["已发布的指南"] + "index.html", kinds["一张卡片"] + "index.html"):
        html = (site / path).read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        tag = re.search(r"<script[^>]*assets/kb/care\.js[^>]*>", head)
        assert tag and "defer" not in tag.group(0) and "async" not in tag.group(0), path
        assert "<script>" not in html  # no inline script: the CSP (script-src 'self') would refuse it


# -- 3. keyboard alone ----------------------------------------------------------------------------------------

def _tab_to(page, predicate_js: str, limit: int = 120, key: str = "Tab") -> dict:
    """Press ``key`` (Tab or Shift+Tab) until the focused element matches ``predicate_js``; its focus ring."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({predicate_js}); }})()"):
            return focused(page)
    raise AssertionError(f"{predicate_js} not reached with {key} in {limit} presses")


def _pin_mid_month(page, selector: str) -> None:
    """Set a date input to a Monday in mid-June and keep the focus on it, so that ArrowUp on whichever part the
    browser focuses (year, month or day: the order is the browser's) moves the date later — the default is
    today, and on 31 December or in a December ArrowUp on the day or month would wrap round to an earlier date."""
    page.fill(selector, "2026-06-15")
    page.dispatch_event(selector, "change")
    page.focus(selector)


def _ring_shows(ring: dict) -> bool:
    return ring["inView"] and ring["style"] not in ("none", "hidden") and ring["width"] >= 2 and ring["ratio"] >= 3


def test_keyboard_alone_skip_link_care_switch_search_result_and_print(sites, chromium):
    site, kinds, published = sites["public"]
    with serve(site) as base:
        context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
        # the first Tab shows the skip link; Enter moves past the header and navigation to the start of the
        # content: on a guide the next stop is before its first section (nothing above it is skipped)
        for kind in ("已发布的指南", "一个领域", "首页"):
            page.goto(base + kinds[kind])
            assert page.locator(".md-skip:visible, .md-skip:not([style*=none])").evaluate_all(
                "els => els.filter(e => getComputedStyle(e).display !== 'none').length") == 1, kind
            page.keyboard.press("Tab")
            first = focused(page)
            assert first["cls"].startswith("md-skip") and first["inView"] and first["area"] > 0, (kind, first)
            page.keyboard.press("Enter")
            page.keyboard.press("Tab")
            after = focused(page)
            assert page.evaluate("!!document.activeElement.closest('.md-content')"), (kind, after)
            if kind == "已发布的指南":
                assert page.evaluate("!!(document.activeElement.compareDocumentPosition(document.getElementById('applies'))"
                                     " & Node.DOCUMENT_POSITION_FOLLOWING)"), after
        # 关怀模式 by Space and back by Enter
        page.goto(base + kinds["已发布的指南"])
        _tab_to(page, "el.matches('[data-kb-care-toggle]')")
        page.keyboard.press(" ")
        assert page.get_attribute("html", "data-kb-care") == "on"
        page.keyboard.press("Enter")
        assert page.get_attribute("html", "data-kb-care") == "off"
        # search: Tab to the box, type, arrow down to a result, Enter opens it
        _tab_to(page, "el.matches('input.md-search__input')")
        page.keyboard.type(published["aliases"][0])
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        status = page.get_by_role("status").filter(has_text="个符合条件的结果")  # said when the results change
        assert status.count() == 1 and status.inner_text().strip()[0].isdigit(), status.all_inner_texts()
        page.keyboard.press("ArrowDown")
        result = focused(page)
        assert result["cls"].startswith("md-search-result__link") and result["ratio"] >= 3, result
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(f"guides/{published['id']}/")
        # print: Tab to the card link, Enter, Tab to the print button, Enter prints
        _tab_to(page, "el.matches('a.md-button') && el.textContent.includes('打印')")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(f"cards/{published['id']}/")
        _tab_to(page, "el.matches('[data-kb-print]')")
        page.keyboard.press("Enter")
        assert page.evaluate("window.__printed") == 1
        context.close()


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_keyboard_alone_at_the_counter_deadline_notice_and_card_check(sites, chromium, edition):
    """The counter's tools with the keyboard alone, each stop showing its ring: the guide's deadline panel
    (arrow keys change the day, the last day follows), the notice's 关怀模式 switch, ticks, date and print
    button, and the card check form reached from the card."""
    site, kinds, published = sites[edition]
    with serve(site) as base:
        context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
        # the deadline panel
        page.goto(base + kinds["已发布的指南"])
        ring = _tab_to(page, "el.matches('[data-kb-accepted]')", limit=200)
        assert _ring_shows(ring), ring
        _pin_mid_month(page, "[data-kb-accepted]")
        before = page.input_value("[data-kb-accepted]"), page.get_attribute("[data-kb-due-total]", "datetime")
        page.keyboard.press("ArrowUp")  # whichever part of the date has focus (year, month or day) goes up one
        after = page.input_value("[data-kb-accepted]"), page.get_attribute("[data-kb-due-total]", "datetime")
        assert after[0] > before[0] and after[1] > before[1], (before, after)
        # from the guide to its notice
        page.goto(base + kinds["已发布的指南"])
        _tab_to(page, "el.matches('a.md-button') && el.textContent.includes('一次性告知单')")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(kinds["一次性告知单"])
        # its 关怀模式 switch, by Space on and by Enter off
        assert _ring_shows(_tab_to(page, "el.matches('[data-kb-care-toggle]')"))
        page.keyboard.press(" ")
        assert page.get_attribute("html", "data-kb-care") == "on"
        assert page.get_attribute("[data-kb-care-toggle]", "aria-pressed") == "true"
        assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.kb-notice-tool label')).fontSize)") >= 20
        page.keyboard.press("Enter")
        assert page.get_attribute("html", "data-kb-care") == "off"
        # a tick: Space ticks, the material leaves the notice; Space again brings it back
        ring = _tab_to(page, "el.matches('[data-kb-material]')")
        assert _ring_shows(ring), ring
        name = page.evaluate("document.activeElement.getAttribute('data-kb-material')")
        missing = "n => document.querySelector('#kb-notice [data-kb-missing]') && Array.from(document.querySelectorAll('#kb-notice [data-kb-missing]')).find(li => li.getAttribute('data-kb-missing') === n).hidden"
        assert page.evaluate(missing, name) is False
        count = page.locator("[data-kb-notice-count]")
        total = page.locator("[data-kb-material]").count()
        assert count.get_attribute("role") == "status" and f"还缺的 {total} 项" in count.inner_text()
        page.keyboard.press(" ")
        assert page.evaluate("document.activeElement.checked") and page.evaluate(missing, name) is True
        assert f"还缺的 {total - 1} 项" in count.inner_text()  # said by a screen reader after the tick
        page.keyboard.press(" ")
        assert page.evaluate(missing, name) is False
        # the date printed on the notice
        assert _ring_shows(_tab_to(page, "el.matches('[data-kb-notice-date]')"))
        _pin_mid_month(page, "[data-kb-notice-date]")
        before = page.get_attribute("[data-kb-notice-date-out]", "datetime")
        page.keyboard.press("ArrowUp")
        assert page.get_attribute("[data-kb-notice-date-out]", "datetime") > before
        # back up to the print button, Enter prints
        assert _ring_shows(_tab_to(page, "el.matches('[data-kb-print]')", key="Shift+Tab"))
        page.keyboard.press("Enter")
        assert page.evaluate("window.__printed") == 1
        # the card, and from it the check page: type the card's id and code, Enter answers 现行
        _tab_to(page, "el.matches('a') && el.textContent.includes('工作提示卡')", key="Shift+Tab")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        code = page.get_attribute(".kb-card", "data-kb-version")
        _tab_to(page, "el.matches('a') && el.textContent.includes('核对卡片版本')")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert _ring_shows(_tab_to(page, "el.matches('#kb-check-id')"))
        page.keyboard.type(published["id"])
        page.keyboard.press("Tab")
        assert _ring_shows(focused(page)) and page.evaluate("document.activeElement.id") == "kb-check-v"
        page.keyboard.type(code)
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.getElementById('kb-card-check-result').textContent.startsWith('现行')")
        context.close()


def test_what_a_screen_reader_meets_on_a_guide(sites, chromium):
    """The accessibility tree of a draft guide (what a screen reader reads, in its order, by what names):
    the title, the draft warning, the summary, the buttons for the card and the notice, then the sections;
    headings named by their words alone (no ¶), the deadline panel's day and table named; the header's
    controls named. The tree is Chromium's own, through Playwright's aria snapshot."""
    site, kinds, _ = sites["internal"]
    with serve(site) as base:
        page = chromium.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page.goto(base + kinds["草稿指南"])
        title = page.inner_text("article h1")
        tree = page.locator("article").aria_snapshot()
        order = [f'heading "{title}" [level=1]', "草稿 · 尚未发布", "概述", 'link "打印工作提示卡"',
                 'link "一次性告知单"', 'heading "适用情形" [level=2]', 'heading "办理流程" [level=2]',
                 'heading "承诺时限" [level=2]', 'group "按受理日期算出办理期限的最后一天"', 'textbox "受理日期"',
                 'columnheader "最后一天"', 'heading "复核信息" [level=2]']
        places = [tree.find(words) for words in order]
        assert -1 not in places and places == sorted(places), list(zip(order, places))
        assert "¶" not in tree
        header = page.locator("header").aria_snapshot()
        for control in ('link "跳转至"', 'radio "切换到深色模式"', 'button "关怀模式"', 'textbox "搜索"'):
            assert control in header, (control, header)
        page.set_viewport_size({"width": 360, "height": 740})  # a phone's header: the buttons for the menu and search
        header = page.locator("header").aria_snapshot()
        for control in ('button "导航菜单"', 'button "关怀模式"', 'button "搜索"'):
            assert control in header, (control, header)
        page.close()


def test_keyboard_alone_on_a_phone_opens_the_menu_and_the_search(sites, chromium):
    site, kinds, published = sites["public"]
    with serve(site) as base:
        page = chromium.new_page(locale="zh-CN", viewport={"width": 360, "height": 740})
        page.goto(base + kinds["已发布的指南"])
        # the closed navigation drawer takes no focus: Tab goes from the header to the content
        menu = _tab_to(page, "el.matches('label[for=__drawer]')")
        assert menu["name"] == "导航菜单" and menu["inView"]
        page.keyboard.press(" ")
        assert page.evaluate("document.getElementById('__drawer').checked")
        assert page.get_attribute("label.md-header__button[for=__drawer]", "aria-expanded") == "true"
        inside = focused(page)
        assert page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')") and inside["inView"]
        page.keyboard.press("Escape")
        assert not page.evaluate("document.getElementById('__drawer').checked")
        assert focused(page)["name"] == "导航菜单"
        _tab_to(page, "el.matches('label[for=__search]')")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.matches('input.md-search__input')")
        page.keyboard.type(published["aliases"][0])
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        page.keyboard.press("ArrowDown")
        assert focused(page)["cls"].startswith("md-search-result__link")
        page.close()


FOCUS_WALKS = {
    "default": (("public", "已发布的指南"), ("internal", "草稿指南"), ("internal", "复核清单"),
                ("internal", "性能基准（宽表格）"), ("public", "一张卡片"), ("public", "一次性告知单"),
                ("internal", "一次性告知单"), ("public", "核对卡片版本")),
    "slate": (("public", "已发布的指南"), ("internal", "复核清单"), ("internal", "核对卡片版本")),
}


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_every_tab_stop_shows_a_visible_focus_ring(sites, chromium, scheme):
    """Tab through whole pages: each stop is on screen, drawn with a ring of 2 px or more that stands
    out 3:1 from what is behind it (WCAG 2.4.7, 1.4.11)."""
    bad, stops = [], {}
    for edition, kind in FOCUS_WALKS[scheme]:
        site, kinds, _ = sites[edition]
        with serve(site) as base:
            context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(base)
            _choose_scheme(page, scheme)
            page.goto(base + kinds[kind])
            seen = set()
            for _ in range(300):
                page.keyboard.press("Tab")
                ring = focused(page)
                if ring is None:  # past the last stop: the whole page was walked
                    break
                key = page.evaluate("(() => { const e = document.activeElement; return e.outerHTML.slice(0, 200) + Array.from(e.parentNode.children).indexOf(e); })()")
                if key in seen:
                    break
                seen.add(key)
                if not (ring["inView"] and ring["area"] > 0 and ring["style"] not in ("none", "hidden")
                        and ring["width"] >= 2 and ring["ratio"] >= 3):
                    bad.append((edition, kind, ring))
            stops[(edition, kind)] = len(seen)
            context.close()
    assert min(stops.values()) >= 5 and sum(stops.values()) > 25 * len(stops), stops
    assert bad == [], "\n".join(map(str, bad))


# -- 4. charts ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", [1280, 360])
def test_chart_labels_are_readable_and_every_chart_has_its_numbers_in_a_table(sites, chromium, width):
    site, kinds, _ = sites["internal"]
    with serve(site) as base:
        page = chromium.new_page(locale="zh-CN", viewport={"width": width, "height": 900})
        page.goto(base + "stats/")
        charts = page.evaluate("""() => Array.from(document.querySelectorAll('figure.kb-chart')).map(f => ({
            label: f.querySelector('svg').getAttribute('aria-label'), role: f.querySelector('svg').getAttribute('role'),
            sizes: Array.from(f.querySelectorAll('svg text')).map(t => [parseFloat(getComputedStyle(t).fontSize), t.getBoundingClientRect().height]),
            values: Array.from(f.querySelectorAll('svg text.kb-chart__value')).map(t => t.textContent.trim()),
            rows: Array.from(f.querySelectorAll('table tbody tr')).map(r => Array.from(r.cells).map(c => c.textContent.trim())),
            width: f.getBoundingClientRect().width, svgWidth: f.querySelector('svg').getBoundingClientRect().width}))""")
        assert len(charts) >= 3
        for chart in charts:
            assert chart["role"] == "img" and chart["rows"]
            assert all(size >= 12 and height >= 14 for size, height in chart["sizes"]), chart["sizes"]
            assert chart["values"] == [value for _, value in chart["rows"]]  # same numbers, same order
            for name, value in chart["rows"]:
                assert f"{name} {value}" in chart["label"]  # and said to screen readers
            assert chart["svgWidth"] <= chart["width"] + 1
        page.close()


# -- 5. phones ------------------------------------------------------------------------------------------------

#: Every date the project prints on a page (2027年2月5日, 2027-02-05), as [text, lines, marked]: the lines its own
#: characters sit on, and whether it is in a .kb-date. A date inside a record's own prose (a provision that says
#: "2024年7月1日起施行") is the writer's text, not the project's, and is left out.
DATE_LINES_JS = r"""() => {
  const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const pattern = /\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}/g;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('script, style, [hidden], .md-search')) continue;
    const marked = !!node.parentElement.closest('.kb-date');
    for (const match of node.data.matchAll(pattern)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size) out.push([match[0], tops.size, marked]);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("care", [False, True])
def test_no_date_breaks_inside_at_360_px(sites, chromium, care):
    """A date is read at a glance: 2027年2月5日 on one line, never 2027年2 / 月5日 (issue 26). The accepted day is
    set to one with two-digit months and days, the widest dates there are."""
    with_dates = {"public": ("已发布的指南", "一张卡片", "一次性告知单", "一部法律", "法律依据"),
                  "internal": ("草稿指南", "复核清单")}
    for edition, kinds_with_dates in with_dates.items():
        site, kinds, published = sites[edition]
        with serve(site) as base:
            context = chromium.new_context(locale="zh-CN", viewport={"width": 360, "height": 800})
            page = context.new_page()
            page.goto(base)
            if care:
                page.click("[data-kb-care-toggle]")
            for kind in kinds_with_dates:
                page.goto(base + kinds[kind])
                for field in ("[data-kb-accepted]", "[data-kb-notice-date]"):
                    if page.locator(field).count():
                        page.fill(field, "2027-12-27")
                        page.dispatch_event(field, "change")
                dates = page.evaluate(DATE_LINES_JS)
                assert dates, (edition, kind)
                broken = [text for text, lines, _ in dates if lines > 1]
                assert broken == [], (edition, kind, care, broken[:5])
                assert all(marked for _, _, marked in dates), (edition, kind, dates)
            context.close()


def test_no_page_scrolls_sideways_at_360_px(sites, chromium):
    """Every kind of page and the open search on a 360 px phone (关怀模式: in its own sweep above)."""
    wide = []
    for edition in ("public", "internal"):
        site, kinds, published = sites[edition]
        with serve(site) as base:
            context = chromium.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
            page = context.new_page()
            for kind, path in kinds.items():
                page.goto(base + path)
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > 360:
                    wide.append((edition, kind, width))
            page.goto(base)
            _open_search(page, published["aliases"][0], settle=False)
            for _ in range(3):  # at once and while it settles
                if page.evaluate("document.documentElement.scrollWidth") > 360:
                    wide.append((edition, "检索结果", page.evaluate("document.documentElement.scrollWidth")))
                page.wait_for_timeout(150)
            context.close()
    assert wide == []


# -- 6. palettes and the project's own colours --------------------------------------------------------------

def test_both_editions_have_a_light_and_a_dark_palette_with_a_switch(sites, chromium):
    for edition, primary in (("public", "indigo"), ("internal", "kb-red")):
        site, kinds, _ = sites[edition]
        with serve(site) as base:
            page = chromium.new_page(locale="zh-CN")
            page.goto(base + kinds["已发布的指南"])
            options = page.eval_on_selector_all("input.md-option", "els => els.map(e => [e.dataset.mdColorScheme, e.dataset.mdColorPrimary, e.getAttribute('aria-label')])")
            assert [o[0] for o in options] == ["default", "slate"] and {o[1] for o in options} == {primary}
            assert all(o[2] for o in options), options  # each has a name a screen reader says
            _choose_scheme(page, "slate")
            page.goto(base + kinds["统计"])
            assert page.get_attribute("body", "data-md-color-scheme") == "slate"
            _choose_scheme(page, "default")
            page.close()


def _declarations(css: str):
    """(selector, property, value) for every declaration of a stylesheet (comments dropped)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for declaration in body.split(";"):
            if ":" in declaration:
                prop, value = declaration.split(":", 1)
                yield " ".join(selector.split()), prop.strip(), value.strip()


def test_the_project_colours_come_from_theme_variables_set_for_both_schemes():
    """kb.css names no fixed colour outside the variables, and every variable it sets for the light scheme
    it also sets for the dark one (an overdue row was #b71c1c on the dark page: 2.45:1)."""
    colour = re.compile(r"#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(", re.I)
    schemes: dict[str, set[str]] = {"default": set(), "slate": set()}
    for selector, prop, value in _declarations((THEME / "kb.css").read_text(encoding="utf-8")):
        if prop.startswith("--"):
            if selector.startswith(":root") or selector == "[data-md-color-scheme=slate]":
                schemes["slate" if "slate" in selector else "default"].add(prop)
            continue
        assert not colour.search(value), f"{selector} {{ {prop}: {value} }}: a fixed colour; use a theme variable"
    assert schemes["default"] and schemes["default"] == schemes["slate"], schemes
