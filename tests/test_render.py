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


def _compiled_env(tmp_path, directory):
    import jinja2

    from kb.render import keep_compiled

    templates = tmp_path / "templates"
    if not templates.exists():
        templates.mkdir()
        (templates / "t.txt").write_text("{{ name }} 办理时限", encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)))
    keep_compiled(env, directory)
    return env


def test_compiled_templates_are_kept_and_a_bad_cache_is_no_cache(tmp_path):
    cache = tmp_path / "cache"
    assert _compiled_env(tmp_path, cache).get_template("t.txt").render(name="甲") == "甲 办理时限"
    kept = list(cache.iterdir())
    assert len(kept) == 1 and kept[0].suffix == ".jinja"
    # the next run loads what was kept (Jinja would compile again were it unreadable: the file keeps its time)
    stamp = kept[0].stat().st_mtime_ns
    assert _compiled_env(tmp_path, cache).get_template("t.txt").render(name="乙") == "乙 办理时限"
    assert kept[0].stat().st_mtime_ns == stamp
    kept[0].write_bytes(kept[0].read_bytes()[:20])  # truncated: compiled afresh, and kept again
    assert _compiled_env(tmp_path, cache).get_template("t.txt").render(name="丙") == "丙 办理时限"
    assert kept[0].stat().st_size > 20
    # a changed template is compiled afresh (Jinja checks the source's checksum)
    (tmp_path / "templates" / "t.txt").write_text("{{ name }} 承诺时限", encoding="utf-8")
    assert _compiled_env(tmp_path, cache).get_template("t.txt").render(name="丁") == "丁 承诺时限"


def test_a_cache_that_cannot_be_written_is_no_cache(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    env = _compiled_env(tmp_path, blocked / "cache")  # cannot be made
    assert env.bytecode_cache is None and env.get_template("t.txt").render(name="甲") == "甲 办理时限"
    gone = tmp_path / "gone"
    env = _compiled_env(tmp_path, gone)
    gone.rmdir()
    gone.write_text("the folder became a file", encoding="utf-8")  # writing there fails, even as root
    assert env.get_template("t.txt").render(name="乙") == "乙 办理时限"


def test_a_build_reads_the_templates_once_and_the_preview_checks_them():
    from kb.render import check_template_files

    env = Renderer().env
    try:
        check_template_files(False)
        assert env.auto_reload is False
        check_template_files(True)  # mkdocs serve: an edited template shows at the next rebuild
        assert env.auto_reload is True
    finally:
        check_template_files(True)
