"""rawblocks: hiding the generated pages' HTML blocks from Markdown changes nothing in the output."""

from datetime import date

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from conftest import FIXTURES
from kb.site.edition import Edition
from kb.knowledge import load_knowledge_base
from kb.site.pages import SiteBuilder, SiteSettings
from kb.mkdocs_adapter.rawblocks import RawBlocks

# The Markdown extensions of mkdocs.yml.
EXTENSIONS = ["attr_list", "admonition", "pymdownx.details", "tables", "toc"]
CONFIGS = {"toc": {"permalink": True}}


def convert(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS).convert(text)


def both_ways(text: str) -> tuple[str, str, str]:
    """(Markdown's own output, output with hidden blocks put back, the hidden Markdown)."""
    raw = RawBlocks()
    hidden = raw.hide("page", text)
    return convert(text), raw.restore("page", convert(hidden)), hidden


def test_every_generated_page_comes_out_the_same():
    kb = load_knowledge_base(FIXTURES / "kb").kb
    hidden_pages = 0
    for edition in ("public", "internal"):
        builder = SiteBuilder(Edition(edition, kb), SiteSettings(today=date(2027, 6, 1)))
        for page in builder.pages():
            if not page.src.endswith(".md"):
                continue
            text, _ = get_data(page.content)
            expected, actual, hidden = both_ways(text)
            assert actual == expected, page.src
            hidden_pages += hidden != text
    assert hidden_pages > 20  # guides, listings, laws, cards index, stats … take the fast way


def test_a_guide_keeps_only_headings_for_markdown():
    kb = load_knowledge_base(FIXTURES / "kb").kb
    edition = Edition("public", kb)
    guide = SiteBuilder(edition).guide(edition.by_id["sample-home-visit"])
    text, _ = get_data(guide.content)
    _, _, hidden = both_ways(text)
    assert "<" not in hidden and "## 办理流程 {#procedure}" in hidden


def test_doubtful_pages_are_left_to_markdown():
    raw = RawBlocks()
    for text in [
        "<div>\n<p>a</p>\n\n<p>b</p>\n</div>\n",  # a blank line inside the block
        "<div>a</div>\ntail\n\n<p>x</p>\n",  # text right after the end tag
        "para\n<div>x</div>\n\n<p>y</p>\n",  # a block tag inside a paragraph chunk
        "<div>\n  <p>indented</p>\n</div>\n\n<p>z</p>\n",
        "<!-- note -->\n\n<p>z</p>\n",
        "<div>\ttab</div>\n\n<p>z</p>\n",
    ]:
        assert raw.hide("k", text) == text, text


def test_blocks_with_anchors_stay_in_place():
    text = '<div id="x">\n<p>a</p>\n</div>\n\n<div class="y">\n<p>b</p>\n</div>\n'
    expected, actual, hidden = both_ways(text)
    assert actual == expected
    assert '<div id="x">' in hidden and 'class="y"' not in hidden


# -- random documents --------------------------------------------------------------------
_TEXT = st.sampled_from(["文字", "a & b", "&amp;", "1 < 2", "**粗**", "[链接](x.md)", "`码`", "*", "_x_", "  ", "#", "\\",
                         "&lt;script&gt;", "\u3000", "http://a.b/", "{#id}", "- 项", "> 引", "!!! note", "    ", "1."])
_BLOCK = st.sampled_from(["div", "p", "ul", "ol", "table", "details", "section", "li", "h2"])
_INLINE = st.sampled_from(["span", "a", "strong", "br", "em"])
_ATTR = st.sampled_from(["", ' class="kb-x"', ' id="anchor"', ' role="note"', ' href="../a/"', ' name="n"',
                         ' data-x="1 > 0"'])


@st.composite
def _element(draw, depth=0):
    tag = draw(st.one_of(_BLOCK, _INLINE)) if depth else draw(_BLOCK)
    attr = draw(_ATTR)
    if tag == "br":
        return f"<br{attr}>"
    parts = draw(st.lists(st.one_of(_TEXT, _element(depth + 1)) if depth < 2 else _TEXT, max_size=4))
    joiner = draw(st.sampled_from(["", "\n", " "]))
    close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", ""])) if depth else f"</{tag}>"
    return f"<{tag}{attr}>" + joiner + joiner.join(parts) + joiner + close


_CHUNK = st.one_of(
    _element(),
    st.builds(lambda t: f"## 标题 {t}", _TEXT),
    st.builds(lambda a, b: f"{a} {b}", _TEXT, _TEXT),
    st.builds(lambda e, t: e + t, _element(), _TEXT),
    st.builds(lambda t, e: t + "\n" + e, _TEXT, _element()),
    st.builds(lambda e: "  " + e, _element()),
    st.builds(lambda e: "    " + e, _element()),
    st.builds(lambda e: "- " + e, _element()),
    st.builds(lambda e: "!!! note\n    " + e, _element()),
    st.just("<!-- kb:overview -->"),
    st.just("<hr>"),
)


@settings(max_examples=400, deadline=None)
@given(chunks=st.lists(_CHUNK, min_size=1, max_size=8),
       seps=st.lists(st.sampled_from(["\n\n", "\n\n\n", "\n"]), min_size=8, max_size=8),
       lead=st.sampled_from(["", "\n"]), tail=st.sampled_from(["", "\n", "\n\n"]))
def test_random_documents_come_out_the_same(chunks, seps, lead, tail):
    text = lead + "".join(c + s for c, s in zip(chunks, seps))[: -1 or None] + tail
    expected, actual, _ = both_ways(text)
    assert actual == expected
