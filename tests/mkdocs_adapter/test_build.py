"""A real `mkdocs build` of the fixture knowledge base, both editions."""

import json
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from conftest import FIXTURES, make_project, mkdocs_build
from kb.site.security import meta_policy
from links import broken_links, broken_search_results, search_locations

pytestmark = pytest.mark.slow

MARKERS = ("上门前先电话确认家属在场", "上门采集已纳入容错免责范围", "FY-2026-001", "样例草稿", "内线协调专席")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("build") / "project")
    public = mkdocs_build(project)
    internal = mkdocs_build(project, "-f", "mkdocs.internal.yml")
    assert public.returncode == 0, public.stderr
    assert internal.returncode == 0, internal.stderr
    return project, project / "site", project / "site-internal"


def all_files(site: Path):
    return [p for p in site.rglob("*") if p.is_file()]


def test_public_edition_has_no_internal_or_draft_content(built):
    _, site, _ = built
    for path in all_files(site):
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for marker in MARKERS:
            assert marker not in text, f"{marker} leaked into {path.relative_to(site)}"
    assert not (site / "guides" / "sample-draft").exists()
    assert not (site / "training").exists() and not (site / "review").exists()
    assert "sample-draft" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_internal_edition_has_everything(built):
    _, _, site = built
    guide = (site / "guides" / "sample-home-visit" / "index.html").read_text(encoding="utf-8")
    for marker in ("上门前先电话确认家属在场", "上门采集已纳入容错免责范围", "FY-2026-001", "内线协调专席"):
        assert marker in guide
    draft = (site / "guides" / "sample-draft" / "index.html").read_text(encoding="utf-8")
    assert "草稿 · 尚未发布" in draft
    assert (site / "training" / "index.html").exists() and (site / "review" / "index.html").exists()
    assert "工作提示知识库（内部版）" in guide


def test_pages_exist_at_contract_urls(built):
    _, site, _ = built
    for rel in ("guides/sample-home-visit/index.html", "cards/sample-home-visit/index.html", "laws/index.html",
                "laws/jumin-shenfenzheng-fa/index.html", "domains/huji/index.html", "categories/shiji-kunnan/index.html",
                "causes/liucheng/index.html", "departments/index.html", "stats/index.html", "reference/fields/index.html",
                "cards/print/all/index.html", "search/search_index.json"):
        assert (site / rel).is_file(), rel


def test_law_page_lists_citing_guides(built):
    _, site, _ = built
    page = (site / "laws" / "jumin-shenfenzheng-fa" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../guides/sample-home-visit/"' in page and "第三条第三款" in page


def test_every_internal_link_and_search_result_resolves(built):
    for site in built[1:]:
        assert broken_links(site) == []
        # the fixture's one public guide and the hand-written pages for everyone (the staff's are internal only)
        assert broken_search_results(site) == [] and len(search_locations(site)) >= 4


def test_no_asset_from_another_origin_and_a_csp_everywhere(built):
    for site in built[1:]:
        for path in site.rglob("*.html"):
            html = path.read_text(encoding="utf-8")
            assert not re.search(r'<(script|img|iframe|link)[^>]+(src|href)="(https?:)?//', html), path
            assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
            assert "Content-Security-Policy" in html, path
            policy = re.search(r'Content-Security-Policy" content="([^"]+)"', html).group(1)
            assert "default-src 'self'" in policy and "http" not in policy


class _Scripts(HTMLParser):
    """Every <script> element: its attributes and whether it has code of its own."""

    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append({**dict(attrs), "code": ""})
            self.inside = True

    def handle_endtag(self, tag):
        if tag == "script":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.scripts[-1]["code"] += data


def test_no_page_has_an_executable_inline_script(built):
    """One constant CSP (script-src 'self') fits every page only if no page needs an inline script."""
    for site in built[1:]:
        pages = list(site.rglob("*.html"))
        assert len(pages) > 20 and (site / "404.html") in pages
        policies = set()
        for path in pages:
            html = path.read_text(encoding="utf-8")
            parser = _Scripts()
            parser.feed(html)
            for script in parser.scripts:
                if "src" in script:
                    continue
                assert script.get("type") == "application/json", f"{path.relative_to(site)}: inline script {script['code'][:60]!r}"
            if path.name == "404.html" or path.parent.parent.name == "guides":  # Material's helpers, from a file
                assert any(s.get("src", "").endswith("assets/kb/md-base.js") for s in parser.scripts), path
            policy = re.search(r'Content-Security-Policy" content="([^"]+)"', html).group(1)
            assert re.search(r"(^|; )script-src 'self'(;|$)", policy), (path, policy)
            if path.relative_to(site).parts[0] not in ("cards", "notice"):  # printable sheets: a stricter policy of their own
                policies.add(policy)
        assert policies == {meta_policy()}


def test_search_index_is_utf8_and_holds_only_the_edition(built):
    _, site, internal = built
    manifest = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    base = site / manifest["config"]["kb"]["base"]
    raw = b"".join(p.read_bytes() for p in base.iterdir())
    assert "居民身份证".encode("utf-8") in raw and b"\\u" not in raw
    assert "样例草稿".encode("utf-8") not in raw
    manifest_i = json.loads((internal / "search" / "search_index.json").read_text(encoding="utf-8"))
    raw_i = b"".join(p.read_bytes() for p in (internal / manifest_i["config"]["kb"]["base"]).iterdir())
    assert "样例草稿".encode("utf-8") in raw_i


def test_invalid_knowledge_base_fails_before_touching_site(built, tmp_path):
    project, site, _ = built
    work = tmp_path / "p"
    shutil.copytree(project, work, symlinks=True)
    (work / "site" / "keep.txt").write_text("previous build", encoding="utf-8")
    broken = (FIXTURES / "valid" / "minimal.yml").read_text(encoding="utf-8")
    broken = re.sub(r"(?ms)^legal_basis:.*?(?=^procedure:)", "", broken).replace("id: minimal", "id: zz-broken")
    (work / "solutions" / "zz-broken.yml").write_text(broken, encoding="utf-8")
    result = mkdocs_build(work)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "solutions/zz-broken.yml:2: legal_basis: 缺少必填字段“legal_basis”（办理依据）" in output
    assert "Traceback" not in output
    assert (work / "site" / "keep.txt").read_text(encoding="utf-8") == "previous build"
    assert not (work / "site.kb-building").exists()


def test_a_build_failing_while_pages_are_written_elsewhere_leaves_nothing_half_written(built, tmp_path, monkeypatch):
    project, _, _ = built
    work = tmp_path / "p"
    shutil.copytree(project, work, symlinks=True)
    (work / "site" / "keep.txt").write_text("previous build", encoding="utf-8")
    (work / "docs" / "usage.md").write_text("# 说明\n\n<!-- kb:nosuch -->\n", encoding="utf-8")
    monkeypatch.setenv("KB_JOBS", "2")
    monkeypatch.setenv("KB_SHARE_SMALL", "1")  # the child writing cards and notices is forked, as for a province
    result = mkdocs_build(work)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert "页面 usage.md 里的标记 <!-- kb:nosuch --> 不认识：可用的只有 <!-- kb:overview -->、<!-- kb:training -->" in output
    time.sleep(1)  # a child still writing would have made its folder again by now
    assert not (work / "site.kb-building").exists()
    assert (work / "site" / "keep.txt").read_text(encoding="utf-8") == "previous build"


def test_successful_build_replaces_site_atomically(built, tmp_path):
    project, _, _ = built
    work = tmp_path / "p"
    shutil.copytree(project, work, symlinks=True)
    (work / "site" / "stale.txt").write_text("old", encoding="utf-8")
    assert mkdocs_build(work).returncode == 0
    assert not (work / "site" / "stale.txt").exists()
    assert (work / "site" / "index.html").exists()
    assert not (work / "site.kb-building").exists() and not (work / "site.kb-old").exists()
    deadline = time.monotonic() + 20  # the previous site is removed by a process of its own
    while list(work.glob("*.kb-discard-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.name for p in work.iterdir() if p.name.startswith("site")) == ["site", "site-internal"]


def test_guide_markdown_converts_with_record_text_escaped():
    """The generated Markdown, through the same Markdown extensions as mkdocs.yml."""
    from datetime import date

    from kb.site.edition import Edition
    from kb.knowledge import load_knowledge_base
    from kb.site.pages import SiteBuilder, SiteSettings

    kb = load_knowledge_base(FIXTURES / "kb").kb
    b = SiteBuilder(Edition("public", kb), SiteSettings(today=date(2026, 11, 22)))
    view = dict(b.edition.by_id["sample-home-visit"])
    view["summary"] = "<script>alert(1)</script>**粗体** [链接](javascript:alert(1)) ![x](http://evil.example/a.png)"
    view["applies_when"] = ["<img src=x onerror=alert(1)>", "# 标题", "1. 列表"]
    text = b.guide(view).content.split("---", 2)[2]
    html = markdown.markdown(text, extensions=["attr_list", "admonition", "pymdownx.details", "tables", "toc"])
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "<strong>粗体</strong>" not in html and "evil.example" not in re.findall(r'src="([^"]*)"', html).__str__()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;**粗体**" in html
    assert "<li># 标题</li>" in html and "<li>1. 列表</li>" in html


def test_a_law_coming_into_force_between_two_builds_and_a_revision_warning(tmp_path):
    """Two real builds of the same knowledge base, on the day before and the day a law takes effect.

    A recorded revision makes a warning in the build log; the build still succeeds.
    """
    import os
    import subprocess
    import sys

    from conftest import set_law

    project = make_project(tmp_path / "project")
    set_law(project, "jumin-shenfenzheng-fa", effective="2027-01-01",
            revisions=[{"adopted": "2026-11-25", "effective": "2027-01-01", "articles": ["第十一条"]}])
    # cited ahead of its day (upcoming), beside a law in force, as kb check requires of a published record
    record = project / "solutions" / "sample-home-visit.yml"
    text = record.read_text(encoding="utf-8").replace("  - law: jumin-shenfenzheng-fa\n", "  - law: jumin-shenfenzheng-fa\n    upcoming: true\n")
    record.write_text(text.replace("procedure:\n", "  - law: xingzheng-xuke-fa\n    article: 第四十九条\n"
                                   "    provision: 被许可人要求变更许可事项的，依法办理变更手续。\nprocedure:\n", 1), encoding="utf-8")

    def build(day: str) -> tuple[subprocess.CompletedProcess, str, str]:
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", f"site-{day}"], cwd=project,
                                capture_output=True, text=True,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_TODAY": day})
        site = project / f"site-{day}"
        guide = (site / "guides" / "sample-home-visit" / "index.html").read_text(encoding="utf-8")
        law = (site / "laws" / "jumin-shenfenzheng-fa" / "index.html").read_text(encoding="utf-8")
        return result, guide, law

    before, guide, law = build("2026-12-31")
    assert before.returncode == 0, before.stderr
    assert re.search(r"WARNING\s+-\s+solutions/sample-home-visit\.yml:17: legal_basis\[0\]\.article: 警告：依据修订后待复核",
                     before.stderr)
    text = re.sub(r"<[^>]+>", "", guide)  # a date is kept on one line by an element of its own
    assert 'data-kb-law-pending="2027-01-01"' in guide and "尚未施行（2027-01-01 起施行）" in text
    assert "data-kb-basis-revised" in guide and "（2027-01-01 起施行）" in text
    assert 'data-kb-law-pending="2027-01-01"' in law

    after, guide, law = build("2027-01-01")
    assert after.returncode == 0, after.stderr
    assert "data-kb-law-pending" not in guide and "尚未施行" not in guide and "尚未施行" not in law
    assert "data-kb-basis-revised" in guide and "（2027-01-01 已施行）" in re.sub(r"<[^>]+>", "", guide)
