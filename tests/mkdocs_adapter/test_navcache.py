"""navcache: drawing the navigation once per group of pages changes nothing in the output."""

from types import SimpleNamespace

from conftest import same_build_without
from kb.mkdocs_adapter.navcache import NavCache


def nav_of(*urls: str) -> SimpleNamespace:
    pages = [SimpleNamespace(url=u) for u in urls]
    return SimpleNamespace(pages=pages, items=pages)


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


def test_links_inside_sections_of_the_navigation_count_as_targets():
    link = SimpleNamespace(url="training/a/")  # a Link item, not a page
    nav = SimpleNamespace(pages=[], items=[SimpleNamespace(children=[link])])
    page = lambda url: SimpleNamespace(url=url)  # noqa: E731
    assert NavCache(nav).key(page("training/a/b/")) != NavCache(nav).key(page("training/c/b/"))


def test_a_build_with_the_cache_equals_one_without(tmp_path):
    site = same_build_without(tmp_path, "KB_NAV_CACHE")
    guides = [name for name in site if name.startswith("guides/") and name.endswith(".html")]
    assert guides and all(b"md-nav--primary" in site[g] for g in guides)
