"""The search worker in a tab that stays open all day, in a real headless Chromium.

Query words that name members of a JavaScript object must not break a query.
"""

from __future__ import annotations

import pytest

from browser import Page, browser, serve
from conftest import make_project, mkdocs_build

pytestmark = pytest.mark.browser

GUIDE = "guides/sample-home-visit/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("worker") / "project")
    assert mkdocs_build(project).returncode == 0
    with browser() as chromium:
        yield project, chromium


def _open(chromium, base: str) -> Page:
    page = Page(chromium, base)
    page.open()
    return page


def test_query_words_that_name_object_members_do_not_blank_the_query(site):
    project, chromium = site
    with serve(project / "site") as base:
        page = _open(chromium, base)
        try:
            for query in ("身份证 constructor", "constructor 身份证", "身份证 __proto__", "toString 身份证",
                          "身份证 hasOwnProperty", "valueOf 身份证 isPrototypeOf"):
                results = page.search(query)
                assert results and results[0]["href"].endswith(GUIDE), (query, results[:2])
            worker = page.page.workers[0]
            for word in ("constructor", "__proto__", "toString", "hasOwnProperty", "prototype", "__defineGetter__"):
                # the worker answers (no exception) and finds nothing: no record has these words
                assert worker.evaluate("q => search(q).then(r => r.items.length)", word) == 0, word
        finally:
            page.close()
