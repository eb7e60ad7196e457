"""A record that holds a real guide, at the counter: the guide, the notice and the card in real Chromium show the
kinds of the limits, the statutory last day, and only what applies to the situation chosen (issue 24)."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from conftest import FIXTURES, make_project, mkdocs_build
from kb.counter.calendar import official
from kb.counter.deadline import due

pytestmark = pytest.mark.browser
SAMPLE = FIXTURES / "guide" / "licence-change.yml"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from browser import browser

    project = make_project(tmp_path_factory.mktemp("guide") / "project")
    shutil.copy(SAMPLE, project / "solutions")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.stderr
    with browser() as chromium:
        yield project / "site", chromium


def _accept(page, day: str) -> None:
    page.fill("[data-kb-accepted]", day)
    page.dispatch_event("[data-kb-accepted]", "change")


def _shown(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.filter(e => e.offsetParent !== null).map(e => e.textContent)")


def test_the_guide_says_where_each_number_comes_from_and_dates_the_statutory_limit(site):
    from browser import visit

    root, chromium = site
    with visit(chromium, root, "guides/licence-change/") as visited:
        page = visited.page
        kinds = page.eval_on_selector_all("[data-kb-limit-kind]", "els => els.map(e => e.dataset.kbLimitKind)")
        assert "法定" in kinds and "承诺" in kinds
        text = page.inner_text("article")
        assert "不收费" in text and "政务服务中心二楼综合窗口" in text and "0571-87654321" in text
        assert "特殊环节，不计入承诺办结时限" in text
        _accept(page, "2026-09-29")
        accepted, cal = date(2026, 9, 29), official()
        law = due(accepted, {"value": 20, "unit": "工作日"}, cal).date
        assert page.get_attribute("[data-kb-due-statutory]", "datetime") == law.isoformat()
        # the special step (核查, 5 working days) is dated from its start but does not push the next step
        review = due(accepted, {"value": 8, "unit": "工作日"}, cal).date
        assert page.get_attribute('[data-kb-due-step="2"]', "datetime") == due(accepted, {"value": 5, "unit": "工作日"}, cal).date.isoformat()
        assert page.get_attribute('[data-kb-due-step="3"]', "datetime") == review.isoformat()
        assert page.get_attribute('[data-kb-due-step="4"]', "datetime") == due(review, {"value": 2, "unit": "工作日"}, cal).date.isoformat()


def test_choosing_a_situation_shows_only_what_applies_to_it(site):
    from browser import visit

    root, chromium = site
    with visit(chromium, root, "guides/licence-change/") as visited:
        page = visited.page
        rows = ".kb-materials tbody tr"
        everything = _shown(page, rows)
        assert len(everything) == 4 and any("（适用：个人申请）" in r for r in everything)
        page.check('[data-kb-situation="qiye"]')
        shown = _shown(page, rows)
        names = page.eval_on_selector_all(rows + " td:first-child", "els => els.filter(e => e.offsetParent !== null).map(e => e.firstChild.textContent.trim())")
        assert names == ["变更申请表", "营业执照", "其他主体资格证明文件"] and len(shown) == 3
        assert "只显示" in page.inner_text("[data-kb-situation-chosen]")
        page.click("[data-kb-situation-all]")
        assert len(_shown(page, rows)) == 4


def test_the_notice_counts_a_group_as_brought_when_one_is_ticked_and_prints_the_situation(site):
    from browser import visit

    root, chromium = site
    with visit(chromium, root, "notice/licence-change/") as visited:
        page = visited.page
        page.check('[data-kb-situation="qiye"]')
        missing = "#kb-notice [data-kb-missing]"
        assert [m.split("（")[0] for m in _shown(page, missing)] == ["变更申请表", "营业执照", "其他主体资格证明文件"]
        assert "还缺的 2 项" in page.inner_text("[data-kb-notice-count]")  # the group counts once
        page.check('[data-kb-material="营业执照"]')
        assert [m.split("（")[0] for m in _shown(page, missing)] == ["变更申请表"]
        assert "还缺的 1 项" in page.inner_text("[data-kb-notice-count]")
        assert page.inner_text("[data-kb-situation-out]") == "企业申请"
        page.check('[data-kb-situation="geren"]')
        assert [m.split("（")[0] for m in _shown(page, missing)] == ["变更申请表", "申请人身份证件"]


def test_the_card_lets_staff_choose_a_situation_and_still_prints_one_sheet(site):
    import io

    from pypdf import PdfReader

    from browser import visit

    root, chromium = site
    with visit(chromium, root, "cards/licence-change/") as visited:
        page = visited.page
        assert page.locator('.kb-card [data-kb-limit-kind="承诺"]').count() == 1
        page.check('[data-kb-situation="geren"]')
        materials = _shown(page, ".kb-card__list--materials li")
        assert not any("营业执照" in m for m in materials) and any("申请人身份证件" in m for m in materials)
        page.emulate_media(media="print")
        assert len(PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True))).pages) == 1
