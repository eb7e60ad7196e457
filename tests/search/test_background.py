"""background: the records' search documents worked out in a forked child are the ones computed here."""

import os

import pytest

from conftest import FIXTURES
from kb.search.background import Job
from kb.site.edition import Edition
from kb.knowledge import load_knowledge_base
from kb.search.index import SearchIndexBuilder

PARENT = os.getpid()


def test_job_returns_the_functions_value():
    job = Job(lambda: {"a": [1, 2, 3], "b": "文字"})
    assert job.result() == {"a": [1, 2, 3], "b": "文字"}
    assert job.result() == {"a": [1, 2, 3], "b": "文字"}  # asked twice, computed once


def test_a_failing_child_falls_back_to_computing_here():
    calls = []

    def function():
        calls.append(os.getpid())
        if len(calls) == 1 and calls[0] != PARENT:
            raise RuntimeError("child fails")
        return 42

    job = Job(function)
    assert job.result() == 42
    assert calls[-1] == PARENT


def test_cancel_stops_the_child():
    job = Job(lambda: sum(range(10**9)))
    job.cancel()
    assert job._process is None


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_search_index_is_the_same_with_and_without_the_child(edition):
    kb = load_knowledge_base(FIXTURES / "kb").kb
    serial = SearchIndexBuilder(Edition(edition, kb))
    serial.add_page("usage/", "窗口使用说明", "在搜索框里输入群众说的几个字")
    early = SearchIndexBuilder(Edition(edition, kb))
    early.start()
    early.add_page("usage/", "窗口使用说明", "在搜索框里输入群众说的几个字")
    assert early.build() == serial.build()
