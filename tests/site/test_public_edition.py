"""What the public edition leaves out (pages for staff and maintainers), the 纠错 address, and the
addresses a printed card gives (issue #26, point 14)."""

from __future__ import annotations

import re

import pytest

from conftest import make_project, mkdocs_build
from kb.site.settings import check_feedback_url

STAFF_PAGES = {"operators": "运维指南", "developers": "开发者指南", "benchmarks": "性能基准", "writing": "如何编写记录"}


def set_config(project, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Both editions with a site_url each, and the public one again without a site_url."""
    root = tmp_path_factory.mktemp("public-edition")
    project = make_project(root / "project")
    set_config(project, "mkdocs.yml", "# site_url: https://kb.example.gov.cn/zwfw/kb/",
               "site_url: https://kb.example.gov.cn/zwfw/kb/")
    set_config(project, "mkdocs.internal.yml", "# site_url: http://10.1.2.3:8080/zwfw/kb/",
               "site_url: http://10.1.2.3:8080/zwfw/kb/")
    public = mkdocs_build(project)
    assert public.returncode == 0, public.stderr
    internal = mkdocs_build(project, "-f", "mkdocs.internal.yml")
    assert internal.returncode == 0, internal.stderr
    bare = make_project(root / "bare")
    plain = mkdocs_build(bare)
    assert plain.returncode == 0, plain.stderr
    return project, public, internal, bare


def test_pages_for_staff_are_not_in_the_public_edition(sites):
    project, _, _, _ = sites
    site = project / "site"
    html = {p: p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    for slug, title in STAFF_PAGES.items():
        assert not (site / slug).exists(), slug
        linked = [str(p.relative_to(site)) for p, text in html.items() if re.search(rf'href="[^"]*\b{slug}/"', text)]
        assert linked == [], (slug, linked[:3])
        assert slug not in (site / "sitemap.xml").read_text(encoding="utf-8")
        for index in site.rglob("*.json"):  # the theme's and the project's search data
            assert title not in index.read_text(encoding="utf-8"), (index, title)
    assert not (site / "assets" / "search.png").exists()  # the developers' screenshot
    # the pages for everyone keep the words of a link to a staff page, not a dead link
    usage = (site / "usage" / "index.html").read_text(encoding="utf-8")
    assert "如何编写和提交一条记录（内部版）" in usage and "writing" not in usage


def test_the_internal_edition_keeps_them(sites):
    project, _, _, _ = sites
    site = project / "site-internal"
    home = (site / "index.html").read_text(encoding="utf-8")
    for slug, title in STAFF_PAGES.items():
        assert (site / slug / "index.html").is_file(), slug
        assert f'href="{slug}/"' in home and title in home  # in the nav
        assert f"{slug}/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    usage = (site / "usage" / "index.html").read_text(encoding="utf-8")
    assert 'href="../writing/"' in usage and "提交一条记录（内部版）" not in usage


def test_a_printed_card_gives_full_addresses_with_a_site_url(sites):
    project, _, _, bare = sites
    card = (project / "site" / "cards" / "sample-home-visit" / "index.html").read_text(encoding="utf-8")
    foot = re.search(r'<footer class="kb-card__foot">(.*?)</footer>', card, re.S).group(1)
    assert "完整指南：https://kb.example.gov.cn/zwfw/kb/guides/sample-home-visit/" in foot
    assert "（https://kb.example.gov.cn/zwfw/kb/cards/check/）" in foot
    card = (project / "site-internal" / "cards" / "sample-home-visit" / "index.html").read_text(encoding="utf-8")
    assert "完整指南：http://10.1.2.3:8080/zwfw/kb/guides/sample-home-visit/" in card
    # without a site_url a sheet of paper cannot give an address: it says where to look instead
    card = (bare / "site" / "cards" / "sample-home-visit" / "index.html").read_text(encoding="utf-8")
    foot = re.search(r'<footer class="kb-card__foot">(.*?)</footer>', card, re.S).group(1)
    assert "完整指南：在“工作提示知识库”搜索本卡标题" in foot and "guides/" not in foot


def test_the_example_feedback_address_warns_once_per_build(sites):
    _, public, internal, _ = sites
    for build in (public, internal):
        lines = [line for line in build.stderr.splitlines() if "feedback_url" in line]
        assert len(lines) == 1 and lines[0].startswith("WARNING") and "示例地址" in lines[0]


@pytest.mark.parametrize("url", [
    "http://kb.zwfw.gov.cn/feedback", "javascript:alert(1)", "feedback.html", "//kb.zwfw.gov.cn/x",
    "mailto:nobody", "https://", "https://kb.zwfw.gov.cn/a b", "", 42, None,
])
def test_a_feedback_url_that_is_not_https_or_mailto_is_refused(url):
    with pytest.raises(ValueError, match="https://|mailto:|控制字符"):
        check_feedback_url(url)


def test_a_real_feedback_url_passes_and_an_example_one_warns():
    assert check_feedback_url("mailto:kb@zwfw.hz.gov.cn?subject=%E7%BA%A0%E9%94%99{id}") is None
    assert check_feedback_url("https://zwfw.hz.gov.cn/feedback?id={id}") is None
    for example in ("mailto:kb-feedback@example.gov.cn", "https://example.com/x", "https://www.example.org/"):
        assert "示例地址" in check_feedback_url(example)


def test_a_bad_feedback_url_stops_the_build_with_a_chinese_line(tmp_path):
    project = make_project(tmp_path / "project", docs=False)
    set_config(project, "mkdocs.yml", 'feedback_url: "mailto:kb-feedback@example.gov.cn',
               'feedback_url: "javascript:kb-feedback@example.gov.cn')
    result = mkdocs_build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "extra.kb.feedback_url 有误" in result.stderr and not (project / "site").exists()
