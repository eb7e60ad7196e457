"""render: the environment, filters, and golden Markdown for one record."""

import os
from datetime import date

import pytest

from conftest import FIXTURES
from kb.site.edition import Edition
from kb.knowledge import load_knowledge_base
from kb.site.pages import SiteBuilder, SiteSettings
from kb.render import Renderer

GOLDEN = FIXTURES.parent / "golden"


def builder(edition: str) -> SiteBuilder:
    kb = load_knowledge_base(FIXTURES / "kb").kb
    return SiteBuilder(Edition(edition, kb), SiteSettings(today=date(2026, 11, 22)))


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_guide_matches_golden_markdown(edition):
    b = builder(edition)
    page = b.guide(b.edition.by_id["sample-home-visit"])
    golden = GOLDEN / f"sample-home-visit.{edition}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(page.content, encoding="utf-8")
    assert page.src == "guides/sample-home-visit.md"
    assert page.content == golden.read_text(encoding="utf-8")


def test_record_text_is_escaped_not_markup():
    b = builder("public")
    view = dict(b.edition.by_id["sample-home-visit"])
    view["summary"] = "<script>alert('x')</script> [链接](javascript:alert(1)) ![图](http://evil.example/x.png)"
    view["title"] = '标题"<b>'
    content = b.guide(view).content
    assert "<script>" not in content and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in content
    assert 'title: "标题\\"\\u003cb\\u003e"' in content
    # record text only ever sits inside HTML blocks: the summary paragraph is raw HTML
    assert "<p>&lt;script&gt;" in content


@pytest.mark.parametrize(
    "value, text",
    [("即办", "即办"), ({"value": 5, "unit": "工作日"}, "5 个工作日"), ({"value": 60, "unit": "自然日"}, "60 日（自然日）"),
     ({"value": 2, "unit": "小时"}, "2 小时")],
)
def test_time_limit_filter(value, text):
    assert Renderer().env.filters["time_limit"](value) == text


def test_yaml_templates_are_not_html_escaped():
    env = Renderer().env
    assert env.from_string("{{ x | yaml }}").render(x='a "b" <c>') == '"a \\"b\\" <c>"'
