"""pages: which pages each edition gets, and what the stewardship pages say."""

import copy
from datetime import date

import pytest

from conftest import FIXTURES
from kb.site.edition import Edition
from kb.knowledge import load_knowledge_base
from kb.site.pages import SiteBuilder, SiteSettings

KB = load_knowledge_base(FIXTURES / "kb").kb


def site(edition: str, today=date(2026, 11, 22), **settings) -> dict:
    builder = SiteBuilder(Edition(edition, KB), SiteSettings(today=today, **settings))
    return {page.src: page.content for page in builder.pages()}, builder


def test_public_pages_leave_out_drafts_training_and_review():
    pages, _ = site("public")
    assert "guides/sample-home-visit.md" in pages and "guides/sample-draft.md" not in pages
    assert not any(src.startswith(("training/", "review/")) for src in pages)
    assert "cards/sample-home-visit/index.html" in pages and "cards/sample-draft/index.html" not in pages


def test_internal_pages_include_training_review_and_drafts():
    pages, _ = site("internal")
    for src in ("guides/sample-draft.md", "training/index.md", "training/huji.md", "review/index.md", "cards/sample-draft/index.html"):
        assert src in pages


def test_review_page_lists_due_and_overdue_records():
    pages, _ = site("internal", today=date(2027, 6, 1))
    review = pages["review/index.md"]
    assert "sample-home-visit" in review and "户籍管理科" in review and "2027-05-01" in review
    assert "<strong>已过期</strong>" in review


def test_overdue_warning_only_in_the_internal_edition():
    internal, _ = site("internal", today=date(2027, 6, 1))
    public, _ = site("public", today=date(2027, 6, 1))
    assert "复核已过期" in internal["guides/sample-home-visit.md"]
    assert "复核已过期" not in public["guides/sample-home-visit.md"]


def test_guides_show_review_dates_changelog_and_feedback_link():
    pages, _ = site("public", feedback_url="https://feedback.example.gov.cn/new?record={id}")
    guide = pages["guides/sample-home-visit.md"]
    assert "<th scope=\"row\">最近复核</th><td><span class=\"kb-date\">2026-11-01</span></td>" in guide
    assert "<th scope=\"row\">下次复核</th><td><span class=\"kb-date\">2027-05-01</span></td>" in guide
    assert "## 修订记录 {#changelog}" in guide and "<td>首次固化</td>" in guide
    assert 'href="https://feedback.example.gov.cn/new?record=sample-home-visit"' in guide


def test_stats_page_draws_svg_charts_at_build_time():
    pages, _ = site("public")
    stats = pages["stats/index.md"]
    assert stats.count("<svg") >= 3 and "<script" not in stats
    assert "户籍证件" in stats and "受理 12 件，已解决 11 件" in stats


def test_law_pages_list_every_citing_guide_and_article():
    pages, _ = site("internal")
    law = pages["laws/jumin-shenfenzheng-fa.md"]
    assert law.count("../../guides/sample-home-visit/") == 2
    assert "第十一条第一款" in law and "第三条第三款" in law
    index = pages["laws/index.md"]
    assert index.index("## 法律") < index.index("## 行政法规")


def test_training_domain_page_has_folded_answers_and_scenarios():
    pages, _ = site("internal")
    training = pages["training/huji.md"]
    assert '<details class="question kb-self-check">' in training
    assert "为什么不能由家属代为采集？" in training
    assert "情景 FY-2026-001" in training and "实际结果：户籍窗口派员上门采集，顺利办结。" in training


def test_cards_show_contacts_only_internally():
    internal, _ = site("internal")
    public, _ = site("public")
    assert "卡住时找谁" in internal["cards/sample-home-visit/index.html"]
    assert "卡住时找谁" not in public["cards/sample-home-visit/index.html"]
    assert "cards/print/all/index.html" in public and "cards/print/huji/index.html" in public



def test_print_pages_are_split_into_volumes_when_large(monkeypatch):
    # one volume: a single page and the plain link, as on a small site
    small, _ = site("internal")
    assert "cards/print/all/2/index.html" not in small and "打印全部卡片" in small["cards/index.md"]
    monkeypatch.setattr("kb.site.print_pages.PRINT_VOLUME", 1)
    pages, _ = site("internal")
    first, second = pages["cards/print/all/index.html"], pages["cards/print/all/2/index.html"]
    assert "第 1 / 2 册" in first and 'href="2/"' in first and "上一册" not in first
    assert "第 2 / 2 册" in second and 'href="../"' in second and "下一册" not in second
    assert first.count("<article class=\"kb-card ") == second.count("<article class=\"kb-card ") == 1
    index = pages["cards/index.md"]
    assert "第 1 册（1–1）" in index and "第 2 册（2–2）" in index



def test_training_pages_and_learning_path_stay_small_when_large(monkeypatch):
    kb = copy.deepcopy(KB)
    for record in kb.records:  # both classes in one domain and one kind of difficulty
        record.data.update(domain=KB.records[0].data["domain"], category=KB.records[0].data["category"])
    monkeypatch.setattr("kb.site.pages.TRAINING_PART", 1)
    builder = SiteBuilder(Edition("internal", kb), SiteSettings(today=date(2026, 11, 22)))
    pages = {page.src: page.content for page in builder.pages()}
    slug = next(src for src in pages if src.startswith("training/") and src != "training/index.md")[9:-3]
    first, second = pages[f"training/{slug}.md"], pages[f"training/{slug}/2.md"]
    assert "第 1 部分（1–1）" in first and 'href="2/"' in first and 'id="class-1"' in first
    assert 'id="class-2"' in second and "（第 2 部分）" in second and 'href="../"' in second
    assert "其余 1 类见" in builder.block("training", "training/index.md")



def test_listings_and_law_pages_are_split_when_large(monkeypatch):
    kb = copy.deepcopy(KB)
    for record in kb.records:  # both classes in one domain
        record.data.update(domain=KB.records[0].data["domain"])
    monkeypatch.setattr("kb.site.pages.LISTING_PART", 1)
    builder = SiteBuilder(Edition("internal", kb), SiteSettings(today=date(2026, 11, 22)))
    pages = {page.src: page.content for page in builder.pages()}
    second_src = next(src for src in pages if src.startswith("domains/") and src.endswith("/2.md"))
    first, second = pages[second_src[:-5] + ".md"], pages[second_src]
    assert "共 2 类事项" in first and "第 1 部分（1–1）" in first and 'href="2/"' in first
    assert "（第 2 部分）" in second and 'href="../"' in second
    # a legal source cited twice by one guide: both citations, one per part
    law = pages["laws/jumin-shenfenzheng-fa/2.md"]
    assert "共 2 处引用" in law and "第 2 部分（2–2）" in law and "guides/sample-home-visit/" in law


def test_home_block_counts_and_training_block():
    _, builder = site("internal")
    overview = builder.block("overview", "index.md")
    assert "内部版收录 <strong>2</strong> 类事项" in overview
    training = builder.block("training", "training/index.md")
    assert "群众实际困难" in training and 'href="huji/"' in training
    with pytest.raises(KeyError):
        builder.block("nope", "")


# -- the law as it stands: revisions, laws not yet in force, source checks --------------------

REVISION = {"adopted": "2026-11-25", "effective": "2027-03-01", "articles": ["第十一条"], "doc_number": "主席令第一号"}


def plain(html: str) -> str:
    """The text of ``html`` without its tags (a date in a sentence sits in a span of its own)."""
    import re

    return re.sub(r"<[^>]+>", "", html)


def revised_site(tmp_path, edition, today=date(2026, 11, 30), **law_fields):
    from conftest import fixture_copy, set_law

    root = fixture_copy(tmp_path)
    set_law(root, "jumin-shenfenzheng-fa", **law_fields)
    if law_fields.get("effective", "") > today.isoformat():  # cited ahead of its day, beside a law in force
        path = root / "solutions" / "sample-home-visit.yml"
        text = path.read_text(encoding="utf-8").replace("  - law: jumin-shenfenzheng-fa\n", "  - law: jumin-shenfenzheng-fa\n    upcoming: true\n")
        path.write_text(text.replace("legal_basis:\n", "legal_basis:\n  - law: xingzheng-xuke-fa\n    article: 第四十九条\n"
                                     "    provision: 被许可人要求变更许可事项的，依法办理变更手续。\n", 1), encoding="utf-8")
    kb = load_knowledge_base(root, today).kb
    builder = SiteBuilder(Edition(edition, kb), SiteSettings(today=today))
    return {page.src: page.content for page in builder.pages()}


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_a_guide_citing_a_revised_article_says_so_to_every_reader(tmp_path, edition):
    pages = revised_site(tmp_path, edition, revisions=[REVISION])
    guide = pages["guides/sample-home-visit.md"]
    assert guide.count("data-kb-basis-revised") == 1
    notice = guide[guide.index("data-kb-basis-revised"):guide.index("</div>", guide.index("data-kb-basis-revised"))]
    assert "《中华人民共和国居民身份证法》第十一条（本提示引用第十一条第一款）于 2026-11-25 修订（2027-03-01 起施行）" in plain(notice)
    assert "修订施行前仍按现行条文办理，施行后以修订后的条文为准" in notice and "户籍管理科" in notice
    assert guide.count("kb-basis-revised-mark") == 1  # only the 第十一条 citation, not 第三条
    law = pages["laws/jumin-shenfenzheng-fa.md"]
    assert "其中 <strong>1</strong> 处所引条文已修订、待复核" in law and "已于 <span class=\"kb-date\">2026-11-25</span> 修订，待复核" in law
    assert ("<td><span class=\"kb-date\">2026-11-25</span></td><td><span class=\"kb-date\">2027-03-01</span></td>"
            "<td>主席令第一号</td><td>第十一条</td>") in law


def test_no_notice_when_the_revision_came_before_the_review(tmp_path):
    pages = revised_site(tmp_path, "public", revisions=[{**REVISION, "adopted": "2026-10-01", "effective": "2026-10-01"}])
    assert "data-kb-basis-revised" not in pages["guides/sample-home-visit.md"]


def test_the_notice_says_the_revision_applies_once_in_force(tmp_path):
    pages = revised_site(tmp_path, "public", today=date(2027, 3, 1), revisions=[REVISION])
    guide = pages["guides/sample-home-visit.md"]
    assert "（2027-03-01 已施行）" in plain(guide) and "办理时以修订后的条文为准" in guide


def test_review_page_lists_records_awaiting_review_after_a_revision(tmp_path):
    pages = revised_site(tmp_path, "internal", revisions=[REVISION])
    review = pages["review/index.md"]
    section = review[review.index("## 依据修订后待复核"):]
    assert "<code>sample-home-visit</code>" in section
    assert ("《中华人民共和国居民身份证法》第十一条第一款：<span class=\"kb-date\">2026-11-25</span> 修订，"
            "<span class=\"kb-date\">2027-03-01</span> 施行") in section
    assert "<code>sample-draft</code>" not in section
    assert "没有依据修订后待复核的工作提示" in revised_site(tmp_path / "b", "internal")["review/index.md"]


def test_a_law_not_yet_in_force_is_marked_wherever_it_is_cited(tmp_path):
    before = revised_site(tmp_path / "a", "public", today=date(2026, 12, 31), effective="2027-01-01")
    for src in ("guides/sample-home-visit.md", "cards/sample-home-visit/index.html", "laws/jumin-shenfenzheng-fa.md",
                "laws/index.md"):
        assert 'data-kb-law-pending="2027-01-01"' in before[src], src
    assert "尚未施行（<span class=\"kb-date\">2027-01-01</span> 起施行）" in before["guides/sample-home-visit.md"]
    assert "（尚未施行，2027-01-01 起施行）" in plain(before["cards/sample-home-visit/index.html"])
    after = revised_site(tmp_path / "b", "public", today=date(2027, 1, 1), effective="2027-01-01")
    for src in ("guides/sample-home-visit.md", "cards/sample-home-visit/index.html", "laws/jumin-shenfenzheng-fa.md",
                "laws/index.md"):
        assert "data-kb-law-pending" not in after[src] and "尚未施行" not in after[src], src


def test_law_page_names_where_its_text_was_checked(tmp_path):
    checked = {"source": "国家法律法规数据库", "publisher": "全国人大常委会办公厅",
               "url": "https://flk.npc.gov.cn/detail?id=abc", "checked_on": "2025-11-01"}
    fresh = revised_site(tmp_path / "a", "public", today=date(2026, 11, 1), verified=checked)["laws/jumin-shenfenzheng-fa.md"]
    assert '<div class="kb-facts kb-verified" data-kb-verified="2025-11-01">' in fresh
    assert "<td>国家法律法规数据库</td>" in fresh and "<td>全国人大常委会办公厅</td>" in fresh
    assert 'href="https://flk.npc.gov.cn/detail?id=abc"' in fresh and "待重新核对" not in fresh
    stale = revised_site(tmp_path / "b", "public", today=date(2026, 11, 2), verified=checked)["laws/jumin-shenfenzheng-fa.md"]
    assert "（已超过一年，待重新核对）" in stale
    missing = revised_site(tmp_path / "c", "public", verified=None)["laws/jumin-shenfenzheng-fa.md"]
    assert "登记表没有写明这部依据的文本在哪里核对过" in missing


def test_steps_show_the_citations_they_rest_on(tmp_path):
    import shutil

    from conftest import FIXTURES, fixture_copy

    root = fixture_copy(tmp_path)
    shutil.copy(FIXTURES / "impact" / "impact-sample.yml", root / "solutions")
    kb = load_knowledge_base(root).kb
    guide = SiteBuilder(Edition("public", kb), SiteSettings(today=date(2026, 11, 30))).guide(
        Edition("public", kb).by_id["impact-sample"]).content
    assert '<p class="kb-step__basis">依据：居民身份证法第十一条第一款</p>' in guide
    assert guide.count("kb-step__basis") == 1
