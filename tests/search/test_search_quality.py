"""Search quality on the real knowledge base, in a real headless Chromium.

Every query of ``tests/search_queries.yml`` is typed into the built public
site's own search box; the expected guide must be among the first three
results for at least 98% of them, and for every query of the forgiving kinds
(traditional characters, pinyin with and without spaces, initials, variant
characters). The pages must not make a single request outside the site's
origin (intranet machines have no internet).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from browser import browser, visit
from conftest import ROOT, make_project, mkdocs_build

pytestmark = pytest.mark.browser

QUERIES = Path(__file__).resolve().parent.parent / "search_queries.yml"
TARGET = 0.98
TOP = 3
#: Sections of the query set that must all be found (issue 15: search that forgives).
FORGIVING = ("traditional", "pinyin", "pinyin_spaced", "initials", "variants")
#: Queries reported as not found at a centre, each with the guide it must find (first three).
#: They are in the query set too; here each one must pass, not only the share.
REPORTED = (("房子是厂里分的一直没证", "realestate-collective-housing"),  # issue 26: 厂里 = 单位, 一直 masked
            ("厂里欠了三个月工资", "wage-arrears-complaint"))


def _records() -> dict[str, dict]:
    records = {}
    for path in sorted((ROOT / "solutions").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        records[data["id"]] = data
    return records


def _cases() -> list[tuple[str, str, str]]:
    """(section, query, expected guide id) for every query in the file."""
    data = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    return [
        (section, str(query), guide)
        for section, groups in data.items()
        for guide, queries in groups.items()
        for query in queries
    ]


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("quality") / "project", solutions=ROOT / "solutions")
    for args in ((), ("-f", "mkdocs.internal.yml")):
        result = mkdocs_build(project, *args)
        assert result.returncode == 0, result.stderr
    with browser() as chromium:
        yield project, chromium


def test_query_set_names_published_guides():
    records = _records()
    cases = _cases()
    assert len(cases) >= 40
    for section, query, guide in cases:
        assert guide in records, (section, query, guide)
        assert records[guide]["status"] in ("published", "draft"), (query, guide)


def _site_of(guide: str, records: dict) -> str:
    """Where a guide is searched for: a published one in the public edition, a draft (kept back until its
    sources are verified) in the internal edition, where the staff find it."""
    return "site" if records[guide]["status"] == "published" else "site-internal"


def _search_all(chromium, project, cases):
    """(section, query, guide, results) for every case, each typed into the edition that shows its guide."""
    records, out = _records(), []
    for folder in ("site", "site-internal"):
        mine = [c for c in cases if _site_of(c[2], records) == folder]
        if not mine:
            continue
        with visit(chromium, project / folder) as page:
            out += [(*case, page.search(case[1])) for case in mine]
            page.open(f"guides/{mine[0][2]}/")
            assert page.foreign_requests() == [], folder
    return out


def test_counter_queries_find_the_guide_in_the_top_three(sites):
    project, chromium = sites
    misses: list[str] = []
    found: dict[str, list[int]] = {}
    for section, query, guide, results in _search_all(chromium, project, _cases()):
        hrefs = [r["href"] for r in results]
        hit = any(href.endswith(f"guides/{guide}/") for href in hrefs[:TOP])
        found.setdefault(section, [0, 0])[0] += hit
        found[section][1] += 1
        if not hit:
            shown = " | ".join(r["title"].strip() for r in results[:TOP]) or "（无结果）"
            misses.append(f"[{section}] {query} → 应有 {guide}；前三：{shown}")
    total_hit = sum(h for h, _ in found.values())
    total = sum(n for _, n in found.values())
    for section, (hit, n) in found.items():
        print(f"{section}: {hit}/{n} = {hit / n:.1%} 在前三")
    print("未命中：\n" + "\n".join(misses) if misses else "全部命中")
    assert total_hit / total >= TARGET, "\n".join(misses)


def test_each_forgiving_kind_finds_its_guide(sites):
    project, chromium = sites
    cases = [case for case in _cases() if case[0] in FORGIVING]
    assert {section for section, _, _ in cases} == set(FORGIVING)
    misses = []
    for section, query, guide, results in _search_all(chromium, project, cases):
        hrefs = [r["href"] for r in results]
        if not any(href.endswith(f"guides/{guide}/") for href in hrefs[:TOP]):
            misses.append(f"[{section}] {query} → 应有 {guide}；前三：{hrefs[:TOP]}")
    assert not misses, "\n".join(misses)


def test_reported_misses_are_found(sites):
    project, chromium = sites
    with visit(chromium, project / "site") as page:
        for query, guide in REPORTED:
            hrefs = [r["href"] for r in page.search(query)]
            assert any(href.endswith(f"guides/{guide}/") for href in hrefs[:TOP]), (query, hrefs[:TOP])


def test_a_pinyin_hit_ranks_below_a_character_hit_for_the_same_record(sites):
    project, chromium = sites
    with visit(chromium, project / "site-internal") as page:  # 临时身份证's guide is a draft for now
        page.search("身份证")
        worker = page.page.workers[0]
        score = "q => search(q).then(r => Object.fromEntries(r.items.map(([i]) => [i.location, i.score])))"
        for chars, spelled in (("临时身份证", "linshishenfenzheng"), ("临时身份证", "lin shi shen fen zheng"),
                               ("临时身份证", "lssfz"), ("营业执照", "yingyezhizhao"), ("营业执照", "yyzz")):
            by_chars, by_pinyin = worker.evaluate(score, chars), worker.evaluate(score, spelled)
            top = max(by_chars, key=by_chars.get)
            assert top == max(by_pinyin, key=by_pinyin.get), (chars, spelled)
            for location in set(by_chars) & set(by_pinyin):
                assert by_pinyin[location] < by_chars[location], (spelled, location, by_pinyin, by_chars)
        # a word in Latin letters that is no pinyin, no initials and in no record finds nothing
        assert worker.evaluate(score, "qqqzzx") == {}


def test_internal_edition_finds_drafts_by_title(sites):
    project, chromium = sites
    drafts = [r for r in _records().values() if r["status"] == "draft"]
    assert drafts, "the knowledge base has no draft to look for"
    with visit(chromium, project / "site-internal") as page:
        for record in drafts:
            results = page.search(record["title"])
            assert results and results[0]["href"].endswith(f"guides/{record['id']}/"), (record["title"], results[:3])
            assert "草稿" in results[0]["html"]
        assert page.foreign_requests() == []
    with visit(chromium, project / "site") as page:
        for record in drafts:
            hrefs = [r["href"] for r in page.search(record["title"])]
            assert not any(href.endswith(f"guides/{record['id']}/") for href in hrefs)
        assert page.foreign_requests() == []


def test_highlighting_escapes_everything_before_marking(sites):
    project, chromium = sites
    with visit(chromium, project / "site") as page:
        results = page.search("身份证")
        assert results
        worker = page.page.workers[0]
        text = "<img src=x onerror=\"alert(1)\">身份证 & 'x' </mark><script>"
        out = worker.evaluate("([text, terms]) => highlight(text, terms)", [text, ["身份证", "img", "x", "mark", "<"]])
        assert out.replace("<mark>", "").replace("</mark>", "") == html.escape(text, quote=True).replace("&#x27;", "&#39;")
        assert "<mark>身份证</mark>" in out
        # what the theme shows: only its own tags and <mark>
        for result in results:
            tags = set(re.findall(r"</?([a-zA-Z0-9-]+)", result["html"]))
            assert tags <= {"article", "div", "h1", "h2", "p", "mark", "nav", "span", "ul", "li", "a", "del", "s"}, tags
