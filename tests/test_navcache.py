"""navcache: drawing the navigation once per group of pages changes nothing in the output."""

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import make_project, mkdocs_build
from kb.navcache import NavCache


def nav_of(*urls: str) -> SimpleNamespace:
    return SimpleNamespace(pages=[SimpleNamespace(url=u) for u in urls], links=[])


def test_pages_outside_the_navigation_share_a_group_only_when_their_links_agree():
    nav = nav_of("", "usage/", "domains/", "laws/a/")
    cache = NavCache(nav)
    page = lambda url: SimpleNamespace(url=url)  # noqa: E731
    assert cache.key(nav.pages[2]) is None  # a page in the navigation is drawn afresh
    assert cache.key(page("guides/x/")) == cache.key(page("guides/y/"))
    assert cache.key(page("guides/x/")) != cache.key(page("guides/x/print/"))  # deeper: other relative links
    # "../" from laws/a/b/ reaches laws/a/, but not from laws/c/b/
    assert cache.key(page("laws/a/b/")) != cache.key(page("laws/c/b/"))
    assert cache.key(page("laws/c/b/")) == cache.key(page("laws/d/b/"))
    assert cache.key(page("guides/x.html")) == cache.key(page("cards/y.html"))  # use_directory_urls: false


def files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("config", ["mkdocs.yml", "mkdocs.internal.yml"])
def test_a_build_with_the_cache_equals_one_without(tmp_path, monkeypatch, config):
    project = make_project(tmp_path / "project")
    if config == "mkdocs.internal.yml":  # the other URL style too
        with open(project / config, "a", encoding="utf-8") as f:
            f.write("\nuse_directory_urls: false\n")
    sites = {}
    for cached in ("1", "0"):
        monkeypatch.setenv("KB_NAV_CACHE", cached)
        result = mkdocs_build(project, "-f", config, "-d", f"site{cached}")
        assert result.returncode == 0, result.stderr
        sites[cached] = files(project / f"site{cached}")
    with_cache, without = sites["1"], sites["0"]
    assert with_cache.keys() == without.keys()
    differ = [name for name in with_cache if with_cache[name] != without[name] and not name.startswith("search/")]
    assert differ == []
    guides = [name for name in with_cache if name.startswith("guides/") and name.endswith(".html")]
    assert guides and all(b'md-nav--primary' in with_cache[g] for g in guides)
