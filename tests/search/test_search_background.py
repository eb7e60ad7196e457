"""The records' search documents worked out on every core (kb.parallel.chunked) are the ones computed here."""

import pytest

from conftest import FIXTURES
from kb.site.edition import Edition
from kb.knowledge import load_knowledge_base
from kb.search.index import SearchIndexBuilder


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_search_index_is_the_same_with_and_without_the_child(edition, monkeypatch):
    monkeypatch.setenv("KB_JOBS", "2")
    monkeypatch.setenv("KB_SHARE_SMALL", "1")  # the fixture is small: shared all the same
    kb = load_knowledge_base(FIXTURES / "kb").kb
    serial = SearchIndexBuilder(Edition(edition, kb))
    serial.add_page("usage/", "窗口使用说明", "在搜索框里输入群众说的几个字")
    early = SearchIndexBuilder(Edition(edition, kb))
    early.start(keep_terms=edition == "public")
    early.add_page("usage/", "窗口使用说明", "在搜索框里输入群众说的几个字")
    assert early.build() == serial.build()
