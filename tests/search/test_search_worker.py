"""The search worker in a tab that stays open all day, in a real headless Chromium.

Query words that name members of a JavaScript object must not break a query;
a failed download of an index file is tried again and never kept; after a new
release is swapped in under the same address (``kb publish``: the index files'
folder is named by their fingerprint, so the morning's files are gone), an open
tab answers from the new release.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from browser import Page, _QuietHandler, browser, serve
from conftest import make_project, mkdocs_build
from kb.search import index as search
from kb.site.edition import Edition
from kb.knowledge import load_knowledge_base
from kb.search.index import SearchIndexBuilder, fnv1a

pytestmark = pytest.mark.browser

GUIDE = "guides/sample-home-visit/"
#: An alias that only the second release has.
NEW_ALIAS = "晨间新增叫法"


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
                # the worker answers (no exception) and finds no guide: no record has these words (the
                # developers' guide, a hand-written page, names some of them)
                found = worker.evaluate("q => search(q).then(r => r.items.map(([i]) => i.location))", word)
                assert not [location for location in found if location.startswith("guides/")], (word, found)
        finally:
            page.close()


def _write_index(site: Path, project: Path, extra_alias: str | None = None) -> dict:
    """Write the search index of ``project``'s records into ``site``, in small shards (so that a query
    needs only some of them), optionally with one more alias; returns the manifest's ``kb`` part."""
    kb = load_knowledge_base(project).kb
    if extra_alias:
        record = next(r for r in kb.records if r.id == "sample-home-visit")
        record.data["aliases"].append(extra_alias)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_BYTES", 100)
        files = SearchIndexBuilder(Edition("public", kb)).build()
    shutil.rmtree(site / "search")
    for rel, data in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    return json.loads(files["search/search_index.json"])["config"]["kb"]


def test_a_tab_left_open_finds_results_after_a_new_release_is_swapped_in(site, tmp_path):
    project, chromium = site
    morning, evening = tmp_path / "releases" / "morning", tmp_path / "releases" / "evening"
    shutil.copytree(project / "site", morning)
    shutil.copytree(project / "site", evening)
    before = _write_index(morning, project)
    after = _write_index(evening, project, NEW_ALIAS)
    assert before["base"] != after["base"] and before["shards"] > 10
    current = tmp_path / "current"  # as kb publish does: a symlink, replaced in one rename
    current.symlink_to(morning)
    with serve(current) as base:
        page = _open(chromium, base)
        try:
            assert page.search("身份证")[0]["href"].endswith(GUIDE)
            fetched = {url for url in page.requests if "/search/kb/" in url}
            assert fetched and all(before["base"] in url for url in fetched)
            # the new alias needs a shard of the morning's index that the tab has not fetched yet
            needed = {f"{before['base']}t{fnv1a(a + b) % before['shards']}.json" for a, b in zip(NEW_ALIAS, NEW_ALIAS[1:])}
            assert any(not any(url.endswith(shard) for url in fetched) for shard in needed)

            swap = tmp_path / "current.new"
            swap.symlink_to(evening)
            os.replace(swap, current)
            shutil.rmtree(morning)  # kb publish keeps old releases for a while; not at this address

            results = page.search(NEW_ALIAS)
            assert results and results[0]["href"].endswith(GUIDE), results[:2]
            assert page.search("身份证")[0]["href"].endswith(GUIDE)
            assert any(url.endswith("search/search_index.json") for url in page.requests[len(fetched):])
            assert page.foreign_requests() == []
        finally:
            page.close()


def test_a_tab_that_holds_every_file_it_needs_still_learns_of_a_new_release(site, tmp_path):
    """The morning's files stay on the server (no 404 tells the tab): the worker asks for the manifest again
    once its recheck interval has passed (0 here: every query), and answers from the evening's release."""
    project, chromium = site
    morning, evening = tmp_path / "morning", tmp_path / "evening"
    shutil.copytree(project / "site", morning)
    shutil.copytree(project / "site", evening)
    before = _write_index(morning, project)
    after = _write_index(evening, project, NEW_ALIAS)
    shutil.copytree(morning / before["base"], evening / before["base"])  # the old files are still served
    manifest = morning / "search" / "search_index.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["config"]["kb"]["recheck"] = 0
    manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    current = tmp_path / "current"
    current.symlink_to(morning)
    with serve(current) as base:
        page = _open(chromium, base)
        try:
            assert page.search("身份证")[0]["href"].endswith(GUIDE)
            swap = tmp_path / "current.new"
            swap.symlink_to(evening)
            os.replace(swap, current)
            results = page.search(NEW_ALIAS)
            assert results and results[0]["href"].endswith(GUIDE), results[:2]
            assert any(after["base"] in url for url in page.requests)
        finally:
            page.close()


def _flaky(failures: int):
    """A handler class whose first ``failures`` requests for each index shard fail (503)."""

    class Flaky(_QuietHandler):
        counts: dict[str, int] = {}
        lock = threading.Lock()

        def do_GET(self):
            if "/search/kb/" in self.path and os.path.basename(self.path).startswith("t"):
                with self.lock:
                    seen = self.counts[self.path] = self.counts.get(self.path, 0) + 1
                if seen <= failures:
                    self.send_error(503, "busy")
                    return
            super().do_GET()

    return Flaky


def test_a_failed_index_download_is_tried_again(site):
    project, chromium = site
    handler = _flaky(1)
    with serve(project / "site", handler) as base:
        page = _open(chromium, base)
        try:
            assert page.search("身份证")[0]["href"].endswith(GUIDE)
            assert handler.counts and all(count == 2 for count in handler.counts.values()), handler.counts
        finally:
            page.close()


def test_a_failure_is_not_kept_for_the_next_query(site):
    project, chromium = site
    handler = _flaky(3)  # more than the worker tries for one query
    with serve(project / "site", handler) as base:
        page = _open(chromium, base)
        try:
            assert page.search("身份证") == []  # its shards could not be had, three times over
            # the next query asks again (a query typed anew: the theme does not repeat one unchanged)
            assert page.search("身份证 ")[0]["href"].endswith(GUIDE)
        finally:
            page.close()
