"""cardversion and cards/check/: a printed card's code says whether it is current and what changed."""

import copy
import json

import pytest

from conftest import FIXTURES, make_project, mkdocs_build
from kb.counter import cardversion
from kb.counter.cardversion import SECTIONS, normalise, version
from kb.site.edition import Edition
from kb.knowledge import load_knowledge_base

KB = load_knowledge_base(FIXTURES / "kb").kb
VIEW = Edition("internal", KB).by_id["sample-home-visit"]


def test_one_pair_of_characters_per_section():
    public, internal = version(VIEW, False), version(VIEW, True)
    assert len(public.code) == 10 and len(internal.code) == 12
    assert internal.code.startswith(public.code)  # the sections both editions print hash alike
    assert set(internal.code) <= set(cardversion.ALPHABET)
    assert public.printed == f"{public.code[:5]}-{public.code[5:]}"
    assert [key for key, _, _ in internal.sections] == [key for key, _ in SECTIONS]
    assert version(copy.deepcopy(VIEW), True) == internal  # stable


@pytest.mark.parametrize("change, section", [
    (lambda v: v.update(title=v["title"] + "（修订）"), "head"),
    (lambda v: v.update(status="draft"), "head"),
    (lambda v: v.update(time_limit={"value": 30, "unit": "自然日"}), "head"),
    (lambda v: v["applies_when"].append("申请人长期卧床"), "applies"),
    (lambda v: v["procedure"][1].update(action="改为预约后上门采集"), "steps"),
    (lambda v: v["materials"][0].update(required=False), "materials"),
    (lambda v: v["legal_basis"][0].update(provision="条文概括改写，含义相同"), "basis"),
    (lambda v: v["internal"]["contacts"][0].update(channel="新的协调专线"), "contacts"),
])
def test_a_change_shows_in_its_own_section_only(change, section):
    before = version(VIEW, True)
    edited = copy.deepcopy(VIEW)
    change(edited)
    after = version(edited, True)
    changed = [key for (key, _, old), (_, _, new) in zip(before.sections, after.sections) if old != new]
    assert changed == [section]


def test_what_the_card_does_not_print_does_not_change_its_code():
    edited = copy.deepcopy(VIEW)
    edited["faq"][0]["answer"] = "别的回答"
    edited["review"]["next_review"] = "2027-12-01"
    assert version(edited, True).code == version(VIEW, True).code


def test_the_version_dates_from_the_changelog_or_the_review():
    assert version(VIEW, False).since == "2026-11-01"
    edited = copy.deepcopy(VIEW)
    edited["changelog"].append({"date": "2026-12-05", "change": "改了流程"})
    assert version(edited, False).since == "2026-12-05"
    del edited["changelog"]
    assert version(edited, False).since == edited["review"]["reviewed_on"]


def test_the_versions_of_a_province_fit_in_a_few_files():
    buckets = {cardversion.bucket(f"record-{i}") for i in range(2000)}
    assert len(buckets) == cardversion.BUCKETS and all(len(b) == 2 for b in buckets)
    assert cardversion.bucket("sample-home-visit") == cardversion.bucket("sample-home-visit")


def test_typed_codes_are_read_as_crockford_reads_them():
    assert normalise(" tgj5d-4jkno ") == "TGJ5D4JK N0".replace(" ", "")
    assert normalise("il") == "11"


# -- the card and the check page in a browser -------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from browser import browser

    root = tmp_path_factory.mktemp("cardversion")
    project = make_project(root / "project")
    assert mkdocs_build(project).returncode == 0
    assert mkdocs_build(project, "-f", "mkdocs.internal.yml").returncode == 0
    files = make_project(root / "files")
    config = files / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("use_directory_urls: true", "use_directory_urls: false"),
                      encoding="utf-8")
    assert mkdocs_build(files).returncode == 0
    with browser() as chromium:
        yield project, files, chromium


def answer(page, query: str) -> str:
    page.open(query)
    page.page.wait_for_function("() => !document.getElementById('kb-card-check-result').textContent.includes('正在核对') "
                                "&& document.getElementById('kb-card-check-result').textContent.length > 0")
    return page.page.inner_text("#kb-card-check-result")


@pytest.mark.browser
def test_the_card_prints_its_code_and_the_check_page_confirms_it(built):
    from browser import visit

    project, _, chromium = built
    with visit(chromium, project / "site", "cards/sample-home-visit/") as page:
        code = page.page.get_attribute("[data-kb-version]", "data-kb-version")
        assert code == version(Edition("public", KB).by_id["sample-home-visit"], False).code
        assert f"版本码 {code[:5]}-{code[5:]}" in page.page.inner_text(".kb-card__foot")
        text = answer(page, f"cards/check/?id=sample-home-visit&v={code}")
        assert text.startswith("现行") and "2026-11-01" in text
        assert answer(page, f"cards/check/?id=sample-home-visit&v={code.lower()[:5]}-{code.lower()[5:]}").startswith("现行")
        assert page.foreign_requests() == []


@pytest.mark.browser
def test_an_old_code_is_flagged_with_the_date_and_the_sections_that_changed(built):
    from browser import visit

    project, _, chromium = built
    current = version(Edition("public", KB).by_id["sample-home-visit"], False).code
    old = current[:4] + ("00" if current[4:6] != "00" else "11") + current[6:]  # 办理步骤 differs
    with visit(chromium, project / "site", None) as page:
        text = answer(page, f"cards/check/?id=sample-home-visit&v={old}")
        assert text.startswith("已更新") and "2026-11-01" in text and "办理步骤" in text
        assert "所需材料" not in text and "怎样识别" not in text
        assert page.page.get_attribute("#kb-card-check-result a", "href") == "../sample-home-visit/"
        text = answer(page, "cards/check/?id=sample-home-visit&v=0000000")
        assert "已更新" in text and "无法逐项比对" in text
        assert "没有找到" in answer(page, "cards/check/?id=no-such-card&v=ABC")
        assert "编号应为" in answer(page, "cards/check/?id=../../etc&v=ABC")
        assert "没有找到" in answer(page, "cards/check/?id=sample-draft&v=ABC")  # drafts are not public


@pytest.mark.browser
def test_the_internal_edition_checks_both_kinds_of_card(built):
    from browser import visit

    project, _, chromium = built
    view = Edition("internal", KB).by_id["sample-home-visit"]
    with visit(chromium, project / "site-internal", None) as page:
        assert answer(page, f"cards/check/?id=sample-home-visit&v={version(view, True).code}").startswith("现行")
        assert answer(page, f"cards/check/?id=sample-home-visit&v={version(view, False).code}").startswith("现行")
        draft = version(Edition("internal", KB).by_id["sample-draft"], True).code
        assert answer(page, f"cards/check/?id=sample-draft&v={draft}").startswith("现行")


@pytest.mark.browser
def test_the_form_works_by_keyboard_and_sends_nothing(built):
    from browser import visit

    project, _, chromium = built
    code = version(Edition("public", KB).by_id["sample-home-visit"], False).code
    with visit(chromium, project / "site", "cards/check/") as page:
        p = page.page
        p.focus("#kb-check-id")
        p.keyboard.type("sample-home-visit")
        p.keyboard.press("Tab")
        p.keyboard.type(code)
        p.keyboard.press("Enter")
        p.wait_for_function("() => document.getElementById('kb-card-check-result').textContent.startsWith('现行')")
        assert p.url.endswith(f"cards/check/?id=sample-home-visit&v={code}")
        for field in ("#kb-check-id", "#kb-check-v"):
            assert p.evaluate("s => document.querySelector(s).labels.length", field) == 1
        assert not any("?" in url and "cards/check/" not in url for url in page.requests)
        # the page finds the versions file the way Python filed the card
        ids = ["sample-home-visit", "a", "fallback-window-handling", "x-1-2-3", "z" * 64]
        assert p.evaluate("ids => ids.map(id => window.kbCardCheck.bucket(id, 64))", ids) == [cardversion.bucket(i) for i in ids]


@pytest.mark.browser
def test_file_urls_check_page_and_card_links(built):
    """With use_directory_urls: false the page is cards/check.html and still finds cards/versions/<bucket>.js."""
    from browser import visit
    from links import broken_links

    _, files, chromium = built
    site = files / "site"
    assert (site / "cards" / "check.html").is_file() and (site / "notice" / "sample-home-visit" / "index.html").is_file()
    assert broken_links(site) == []
    versions = site / "cards" / "versions" / f"{cardversion.bucket('sample-home-visit')}.js"
    code = json.loads(versions.read_text(encoding="utf-8")[len("kbCardVersions("):-3])["cards"]["sample-home-visit"]["code"]
    with visit(chromium, site, None) as page:
        text = answer(page, f"cards/check.html?id=sample-home-visit&v={code}")
        assert text.startswith("现行")
        assert answer(page, "cards/check.html?id=sample-home-visit&v=0000000000").startswith("已更新")
        assert page.page.get_attribute("#kb-card-check-result a", "href") == "sample-home-visit/index.html"
