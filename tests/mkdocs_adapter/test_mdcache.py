"""mdcache: converting each distinct skeleton once changes nothing in the output."""

from types import SimpleNamespace

from conftest import same_build_without
from kb.mkdocs_adapter.mdcache import MarkdownCache


def test_only_skeletons_without_links_images_or_html_are_shared():
    cache = MarkdownCache()
    for text in ("see [the law](../laws/x/)", "![seal](a.png)", "<div>x</div>", "[x]: http://a"):
        page = SimpleNamespace(markdown=text)
        cache.attach(page, text)
        assert "render" not in vars(page), text
    page = SimpleNamespace(markdown="## 办理流程 {#procedure}\n\nkbraw0\n")
    cache.attach(page, page.markdown)
    assert "render" in vars(page)


def test_a_build_with_the_cache_equals_one_without(tmp_path):
    site = same_build_without(tmp_path, "KB_MARKDOWN_CACHE")
    assert any(b'id="procedure"' in body for name, body in site.items() if name.startswith("guides/"))
