"""The built fixture site in a real headless Chromium: search, isolation, escaping, printing."""

import re
import shutil

import pytest

from browser import browser, visit
from conftest import FIXTURES, make_project, mkdocs_build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("browser") / "project")
    # a record with characters beyond the Basic Multilingual Plane (CJK Extensions B, C, E, H)
    shutil.copy(FIXTURES / "search" / "sample-rare-characters.yml", project / "solutions")
    assert mkdocs_build(project).returncode == 0
    assert mkdocs_build(project, "-f", "mkdocs.internal.yml").returncode == 0
    with browser() as chromium:
        yield project, chromium


def test_search_finds_part_of_a_longer_word_and_synonyms(site):
    project, chromium = site
    with visit(chromium, project / "site") as page:
        for query in ("身份证", "换证", "瘫痪在床办身份证", "上门"):
            results = page.search(query)
            assert results and results[0]["href"].endswith("guides/sample-home-visit/"), (query, results)
        assert page.search("完全无关的词语组合") == []
        assert page.foreign_requests() == []


def test_search_results_mark_matches_and_escape_text(site):
    project, chromium = site
    with visit(chromium, project / "site") as page:
        result = page.search("居民身份证")[0]
        assert "<mark>居民身份证</mark>" in result["html"]
        assert "<script" not in result["html"]


def test_search_counts_characters_beyond_the_bmp_as_one_each(site):
    project, chromium = site
    with visit(chromium, project / "site") as page:
        # two astral characters make one bigram; UTF-16 slicing would cut them into halves
        result = page.search("𫖯𠀀")[0]
        assert result["href"].endswith("guides/sample-rare-characters/")
        assert "<mark>𫖯𠀀</mark>" in result["html"]
        for query in ("𬌗", "𱍐", "姓名用字𬌗", "生僻字𫖯", "生僻字𱍐登记"):
            results = page.search(query)
            assert results and results[0]["href"].endswith("guides/sample-rare-characters/"), (query, results[:2])
        worker = page.page.workers[0]
        reading = worker.evaluate("hanReading('含𫖯𠀀的')")
        assert set(reading["grams"]) == {"含𫖯", "𫖯𠀀"} and reading["words"] == ["含𫖯𠀀的"]
        assert worker.evaluate("highlight('姓名𠀀字', ['𠀀字'])") == "姓名<mark>𠀀字</mark>"
        assert page.foreign_requests() == []


def test_search_forgives_traditional_variant_and_pinyin_input(site):
    project, chromium = site
    with visit(chromium, project / "site") as page:
        for query in ("老人換身份證", "瘫痪在床办身分证", "身分證", "shenfenzheng", "shen fen zheng", "sfz", "laorenhuanshenfenzheng"):
            results = page.search(query)
            assert results and results[0]["href"].endswith("guides/sample-home-visit/"), (query, results[:2])
        # the traditional title is marked where the folded text matched
        assert "<mark>居民身份证</mark>" in page.search("居民身份證")[0]["html"]
        # only the part of the fold table this index needs was downloaded
        lang = [url for url in page.requests if url.endswith("/lang.json")]
        assert len(lang) == 1


def test_internal_search_finds_drafts_and_public_does_not(site):
    project, chromium = site
    with visit(chromium, project / "site-internal") as page:
        assert page.search("样例草稿")[0]["href"].endswith("guides/sample-draft/")
    with visit(chromium, project / "site") as page:
        # other records may share a word (样例) with the draft's title; the draft itself never shows
        assert not any(r["href"].endswith("guides/sample-draft/") for r in page.search("样例草稿"))


def test_pages_make_no_request_outside_the_origin(site):
    project, chromium = site
    with visit(chromium, project / "site-internal", None) as page:
        for path in ("", "guides/sample-home-visit/", "cards/sample-home-visit/", "stats/", "training/", "laws/"):
            page.open(path)
        page.search("身份证")
        assert page.foreign_requests() == []
        assert any(url.endswith("search-worker.js") for url in page.requests)


def test_csp_blocks_an_injected_script(site):
    project, chromium = site
    guide = project / "site" / "guides" / "sample-home-visit" / "index.html"
    html = guide.read_text(encoding="utf-8")
    # Simulate text that slipped past escaping: the policy must still refuse to run it.
    injected = html.replace("<h2 id=\"applies\">", "<script>window.__pwned = 1</script><h2 id=\"applies\">", 1)
    (project / "site" / "guides" / "injected.html").write_text(injected, encoding="utf-8")
    with visit(chromium, project / "site", None) as page:
        errors = []
        page.page.on("console", lambda m: errors.append(m.text))
        page.open("guides/injected.html")
        assert page.page.evaluate("window.__pwned") is None
        assert any("Content Security Policy" in e for e in errors)


def test_cards_print_one_a4_page_each(site, tmp_path):
    project, chromium = site
    with visit(chromium, project / "site-internal", "cards/print/all/") as page:
        pdf = page.page.pdf(format="A4", print_background=True)
        (tmp_path / "cards.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        cards = page.page.locator("article.kb-card").count()
        assert cards == 3 and pages == cards
        assert page.page.locator(".kb-print__bar").is_hidden() is False  # shown on screen ...
        page.page.emulate_media(media="print")
        assert page.page.locator(".kb-print__bar").is_hidden()  # ... never printed


def test_theme_scripts_run_from_files_without_csp_violations(site):
    """Material's helpers now load from assets/kb/ and find the site root from their own address."""
    project, chromium = site
    with visit(chromium, project / "site", None) as page:
        errors = []
        page.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        for path in ("", "guides/sample-home-visit/", "no-such-page/"):
            page.open(path if path != "no-such-page/" else "404.html")
            assert page.page.evaluate("__md_scope.href") == page.base, path
            page.page.evaluate("__md_set('__kb_probe', 7)")
            assert page.page.evaluate("localStorage.getItem('/.__kb_probe')") == "7"
        assert errors == []


def test_palette_choice_is_restored_by_the_palette_script(site, tmp_path):
    """With a light/dark toggle, the reader's choice survives a page change (md-palette.js)."""
    chromium = site[1]
    project = make_project(tmp_path / "project")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    toggle = (
        "  palette:\n"
        "    - scheme: default\n      primary: indigo\n      toggle: {icon: material/brightness-7, name: 深色}\n"
        "    - scheme: slate\n      primary: indigo\n      toggle: {icon: material/brightness-4, name: 浅色}\n"
    )
    config = config.replace("  palette:\n    primary: indigo\n    accent: indigo\n", toggle)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    assert mkdocs_build(project).returncode == 0
    assert 'src="../../assets/kb/md-palette.js"' in (project / "site" / "guides" / "sample-home-visit" / "index.html").read_text(encoding="utf-8")
    with visit(chromium, project / "site") as page:
        errors = []
        page.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        assert page.page.get_attribute("body", "data-md-color-scheme") == "default"
        page.page.click("label[for='__palette_1']")
        assert page.page.get_attribute("body", "data-md-color-scheme") == "slate"
        page.open("guides/sample-home-visit/")
        assert page.page.get_attribute("body", "data-md-color-scheme") == "slate"
        assert errors == []
