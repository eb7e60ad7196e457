"""urls: every link the generator writes comes from MkDocs' own URL rules, in both styles."""

import pytest

from kb.site.urls import DIRECTORY_URLS, SiteUrls, part_src, project_urls

FILES = SiteUrls(use_directory_urls=False)


@pytest.mark.parametrize(
    "target, base, directory, files",
    [
        ("laws/x.md", "guides/a.md", "../../laws/x/", "../laws/x.html"),
        ("index.md", "guides/a.md", "../../", "../index.html"),
        ("guides/a.md", "guides/a.md", "./", "a.html"),
        ("assets/kb/card.css", "cards/a/index.html", "../../assets/kb/card.css", "../../assets/kb/card.css"),
        ("guides/b.md#faq", "guides/a.md", "../b/#faq", "b.html#faq"),
        ("laws/index.md", "index.md", "laws/", "laws/index.html"),
        ("cards/a/index.html", "guides/a.md", "../../cards/a/", "../cards/a/index.html"),
        ("guides/a.md", "cards/a/index.html", "../../guides/a/", "../../guides/a.html"),
        ("domains/x/2.md", "domains/x.md", "2/", "x/2.html"),
        ("domains/x.md", "domains/x/2.md", "../", "../x.html"),
        ("domains/index.md", "domains/x.md", "../", "index.html"),
    ],
)
def test_links_in_both_url_styles(target, base, directory, files):
    assert DIRECTORY_URLS.link(target, base) == directory
    assert FILES.link(target, base) == files


def test_site_relative_urls():
    assert DIRECTORY_URLS.url("guides/a.md") == "guides/a/" and FILES.url("guides/a.md") == "guides/a.html"
    assert DIRECTORY_URLS.url("index.md") == "" and FILES.url("index.md") == "index.html"
    assert FILES.url("cards/a/index.html") == "cards/a/index.html"


def test_parts_of_a_split_list():
    assert part_src("domains/x.md", 1) == "domains/x.md"
    assert part_src("domains/x.md", 3) == "domains/x/3.md"
    assert part_src("cards/print/all/index.html", 2) == "cards/print/all/2/index.html"


def test_project_url_style_follows_mkdocs_yml(tmp_path):
    assert project_urls(tmp_path).use_directory_urls  # no mkdocs.yml: MkDocs' default
    (tmp_path / "base.yml").write_text("site_name: x\nuse_directory_urls: false\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: y\n", encoding="utf-8")
    assert not project_urls(tmp_path).use_directory_urls
    (tmp_path / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    assert project_urls(tmp_path).use_directory_urls


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["mkdocs.yml", "mkdocs.internal.yml"])
def test_a_site_built_with_file_urls_has_no_broken_link(tmp_path, edition):
    """``use_directory_urls: false`` (object storage, opening from disk): every link and search result opens a file."""
    from conftest import make_project, mkdocs_build
    from links import broken_links, broken_search_results, search_locations

    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("use_directory_urls: true", "use_directory_urls: false"),
                      encoding="utf-8")
    result = mkdocs_build(project, "-f", edition, "-d", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert (site / "guides" / "sample-home-visit.html").is_file() and not (site / "guides" / "sample-home-visit").exists()
    assert broken_links(site) == []
    locations = search_locations(site)
    assert "guides/sample-home-visit.html" in locations and broken_search_results(site) == []
    guide = (site / "guides" / "sample-home-visit.html").read_text(encoding="utf-8")
    assert 'href="../laws/jumin-shenfenzheng-fa.html"' in guide and 'href="../cards/sample-home-visit/index.html"' in guide
    # the counter tools: the notice and the card check are linked as files, their scripts found
    assert 'href="../notice/sample-home-visit/index.html"' in guide and 'src="../assets/kb/deadline.js"' in guide
    card = (site / "cards" / "sample-home-visit" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../notice/sample-home-visit/index.html"' in card and 'href="../check.html"' in card
    check = (site / "cards" / "check.html").read_text(encoding="utf-8")
    assert 'data-kb-versions-url="versions/__bucket__.js"' in check and 'src="../assets/kb/cardcheck.js"' in check


def test_the_link_checker_finds_a_broken_link(tmp_path):
    from links import broken_links

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<a href="../b/">b</a> <a href="https://x.example/">x</a> <a href="#top">t</a>',
                                              encoding="utf-8")
    assert broken_links(tmp_path) == [("a/index.html", "../b/")]
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text("", encoding="utf-8")
    assert broken_links(tmp_path) == []


def test_kb_export_urls_follow_the_configured_style(tmp_path):
    from conftest import make_project, run_kb

    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("use_directory_urls: true", "use_directory_urls: false"),
                      encoding="utf-8")
    import json

    for edition in ("public", "internal"):
        result = run_kb("--root", str(project), "export", "--edition", edition)
        records = json.loads(result.stdout)
        assert {r["url"] for r in records} >= {"guides/sample-home-visit.html"}
        law = records[0]["legal_basis"][0]["law"]
        assert law["page"] == f"laws/{law['id']}.html"
