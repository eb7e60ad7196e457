"""cardversion and cards/check/: a printed card's code says whether it is current and what changed."""

import copy
import json

import pytest

from conftest import FIXTURES, ROOT, make_project, mkdocs_build
from kb.counter import cardversion
from kb.counter.cardversion import ALPHABET, SECTIONS, check_character, normalise, version, well_formed
from kb.site.edition import Edition
from kb.knowledge import load_knowledge_base

KB = load_knowledge_base(FIXTURES / "kb").kb
VIEW = Edition("internal", KB).by_id["sample-home-visit"]


def printed_version(view: dict, internal: bool) -> cardversion.CardVersion:
    """The code a built site prints: the card as printed, its service merged over mkdocs.yml's extra.kb.centre."""
    import yaml

    from kb.site.pages import SiteBuilder
    from kb.site.settings import SiteSettings, centre_setting

    options = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["kb"]
    centre = centre_setting(options, {"name": "政务服务中心"})[0]
    builder = SiteBuilder(Edition("internal" if internal else "public", KB), SiteSettings(centre=centre))
    return version(builder.card_view(view), internal)


def test_one_pair_of_characters_per_section_and_a_check_character():
    public, internal = version(VIEW, False), version(VIEW, True)
    assert len(public.code) == 11 and len(internal.code) == 13
    assert internal.code.startswith(public.code[:10])  # the sections both editions print hash alike
    assert public.code[:10] == "".join(h for _, _, h in public.sections)
    assert well_formed(public.code) and well_formed(internal.code)
    assert set(internal.code) <= set(cardversion.ALPHABET)
    assert public.printed == f"{public.code[:5]}-{public.code[5:10]}-{public.code[10]}"
    assert internal.printed == f"{internal.code[:5]}-{internal.code[5:10]}-{internal.code[10:]}"
    assert [key for key, _, _ in internal.sections] == [key for key, _ in SECTIONS]
    assert version(copy.deepcopy(VIEW), True) == internal  # stable


def test_the_check_character_is_luhn_mod_32():
    # worked by hand: from the right, 2 -> 4, 1 stays 1, 0 -> 0: 5; 32 - 5 = 27 -> "V"
    assert check_character("012") == "V"
    # a doubled value of 32 or more adds its two base-32 digits: Z (31) -> 62 = 1*32 + 30 -> 31
    assert check_character("Z") == ALPHABET[32 - 31]
    assert check_character("") == "0"


def test_every_single_wrong_character_and_neighbour_swap_is_caught():
    code = version(VIEW, True).code
    for i, right in enumerate(code):
        for wrong in ALPHABET.replace(right, ""):
            assert not well_formed(code[:i] + wrong + code[i + 1:]), (i, wrong)
    for a in ALPHABET:
        for b in ALPHABET:
            if a == b or {a, b} == {"0", "Z"}:  # Luhn mod N's one blind spot
                continue
            body = "K3" + a + b + "F2AMM7QX"
            swapped = "K3" + b + a + "F2AMM7QX"
            assert check_character(body) != check_character(swapped), (a, b)


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


def typed(code: str, **sections: str) -> str:
    """``code`` with the hash of each named section replaced, as a card of that version would print it
    (check character included when ``code`` has one)."""
    keys = [key for key, _ in SECTIONS]
    body = code[:-1] if len(code) % 2 else code
    pairs = [body[i:i + 2] for i in range(0, len(body), 2)]
    for key, value in sections.items():
        pairs[keys.index(key)] = value
    body = "".join(pairs)
    return body + check_character(body) if len(code) % 2 else body


def other(pair: str) -> str:
    return "00" if pair != "00" else "11"


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
        assert code == printed_version(Edition("public", KB).by_id["sample-home-visit"], False).code
        assert f"版本码 {code[:5]}-{code[5:10]}-{code[10:]}" in page.page.inner_text(".kb-card__foot")
        text = answer(page, f"cards/check/?id=sample-home-visit&v={code}")
        assert text.startswith("现行") and "2026-11-01" in text
        assert answer(page, f"cards/check/?id=sample-home-visit&v={code.lower()[:5]}-{code.lower()[5:]}").startswith("现行")
        assert "内部版卡片" not in text
        assert page.foreign_requests() == []


def changed_sections(text: str) -> list[str]:
    labels = [label for _, label in SECTIONS]
    return [label for label in labels if f"\n{label}\n" in f"\n{text}\n"]  # the list's items, one a line


@pytest.mark.browser
@pytest.mark.parametrize("edition", ["public", "internal"])
def test_every_verdict_of_the_check_page(built, edition):
    """现行, 已更新 (date, sections), 输入有误, a code printed before the check character, a card of the other
    edition, an unknown id: on the page itself, in the edition's own site."""
    from browser import visit

    project, _, chromium = built
    internal = edition == "internal"
    view = Edition(edition, KB).by_id["sample-home-visit"]
    current = printed_version(view, internal).code
    public_code = printed_version(Edition("public", KB).by_id["sample-home-visit"], False).code
    internal_code = printed_version(Edition("internal", KB).by_id["sample-home-visit"], True).code
    steps = current[4:6]
    with visit(chromium, project / ("site-internal" if internal else "site"), None) as page:
        def check(code: str) -> str:
            return answer(page, f"cards/check/?id=sample-home-visit&v={code}")

        text = check(current)
        assert text.startswith("现行") and "2026-11-01" in text and "内部版卡片" not in text and "公开版卡片" not in text
        assert check(f"{current[:5].lower()}-{current[5:10].lower()}-{current[10:]}").startswith("现行")

        text = check(typed(current, steps=other(steps)))  # an earlier version: 办理步骤 changed
        assert text.startswith("已更新") and "2026-11-01" in text
        assert changed_sections(text) == ["办理步骤"] and "没有校验位" not in text
        assert page.page.get_attribute("#kb-card-check-result a", "href") == "../sample-home-visit/"
        text = check(typed(current, steps=other(steps), materials=other(current[6:8])))
        assert changed_sections(text) == ["办理步骤", "所需材料"]

        # one character wrong, anywhere: mistyped, never 现行 and never a change
        for i in (0, 5, 8, len(current) - 1):
            wrong = current[:i] + ("0" if current[i] != "0" else "1") + current[i + 1:]
            text = check(wrong)
            assert text.startswith("输入有误") and "校验位" in text and "已更新" not in text and "现行" not in text
        assert check(current[:6]).startswith("输入有误")
        # and every one of them, through the page's own function
        mistyped = page.page.evaluate("""([code, alphabet, sections]) => {
            const data = {public_sections: 5, all_sections: 6, sections: sections};
            const out = [];
            for (let i = 0; i < code.length; i += 1) for (const ch of alphabet) {
              if (ch === code[i]) continue;
              const v = window.kbCardCheck.verdict(data, code.slice(0, i) + ch + code.slice(i + 1));
              if (!v.mistyped) out.push([i, ch, v]);
            }
            return out;
        }""", [current, ALPHABET, [list(s) for s in printed_version(view, internal).sections]])
        assert mistyped == []

        # printed before the check character existed: verified as before
        assert check(current[:-1]).startswith("现行")
        text = check(typed(current[:-1], basis=other(current[8:10])))
        assert text.startswith("已更新") and changed_sections(text) == ["办理依据"] and "没有校验位" in text

        if internal:
            # a public card here: its sections are current, and it has no 卡住时找谁
            text = check(public_code)
            assert text.startswith("现行") and "公开版卡片" in text and "卡住时找谁" in text
            text = check(typed(internal_code, contacts=other(internal_code[10:12])))
            assert text.startswith("已更新") and changed_sections(text) == ["卡住时找谁"]
        else:
            # an internal card here: answered for its public sections only, and it says so
            for code in (internal_code, typed(internal_code, contacts=other(internal_code[10:12])),
                         internal_code[:-1]):
                text = check(code)
                assert text.startswith("现行") and "内部版卡片" in text and "只核对了公开的部分" in text
                assert "卡住时找谁" in text and "请在内部版核对" in text
            text = check(typed(internal_code, basis=other(internal_code[8:10])))
            assert text.startswith("已更新") and changed_sections(text) == ["办理依据"] and "只核对了公开的部分" in text

        assert "没有找到" in answer(page, f"cards/check/?id=no-such-card&v={current}")
        assert "编号应为" in answer(page, "cards/check/?id=../../etc&v=ABC")
        draft = printed_version(Edition("internal", KB).by_id["sample-draft"], True).code
        text = answer(page, f"cards/check/?id=sample-draft&v={draft}")
        assert text.startswith("现行") if internal else "没有找到" in text  # drafts are not public
        assert page.foreign_requests() == []


@pytest.mark.browser
def test_the_page_computes_the_check_character_as_python_does(built):
    from browser import visit

    project, _, chromium = built
    bodies = ["", "0", "Z", "ZZZZZZZZZZZZ", "0123456789", "ABCDEFGHJKMN", "PQRSTVWXYZ01"]
    bodies += [printed_version(Edition(e, KB).by_id[i], e == "internal").code[:-1]
               for e in ("public", "internal") for i in ("sample-home-visit", "sample-draft") if i in Edition(e, KB).by_id]
    with visit(chromium, project / "site", "cards/check/") as page:
        assert page.page.evaluate("bs => bs.map(window.kbCardCheck.checkCharacter)", bodies) == [
            check_character(b) for b in bodies]


@pytest.mark.browser
def test_the_form_works_by_keyboard_and_sends_nothing(built):
    from browser import visit

    project, _, chromium = built
    code = printed_version(Edition("public", KB).by_id["sample-home-visit"], False).code
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
        assert answer(page, "cards/check.html?id=sample-home-visit&v=0000000000").startswith("已更新")  # no check character
        assert page.page.get_attribute("#kb-card-check-result a", "href") == "sample-home-visit/index.html"
        assert answer(page, "cards/check.html?id=sample-home-visit&v=00000000001").startswith("输入有误")  # check says 0
