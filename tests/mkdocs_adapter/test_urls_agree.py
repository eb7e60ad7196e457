"""kb.site.urls writes out MkDocs' URL rules so the site needs no MkDocs to know its addresses; here they are
held to MkDocs' own ``File.url`` and ``get_relative_url`` for every kind of source path the project writes."""

from __future__ import annotations

import itertools

import pytest
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from kb.site import urls

SOURCES = ["index.md", "README.md", "guides/idcard-home-visit.md", "cards/idcard-home-visit/index.html",
           "cards/check.md", "cards/versions/a3.js", "assets/kb/calendar.js", "domains/huji/2.md", "laws/index.md",
           "docs/README.md", "notice/x/index.html", "training/part.markdown", "政务/说明.md", "a b/c d.md",
           "search/search_index.json", "404.html"]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_page_urls_are_mkdocs_own(directory_urls):
    for src in SOURCES:
        mine = urls.file_url(src, directory_urls)
        theirs = File(src, src_dir=None, dest_dir="", use_directory_urls=directory_urls).url
        assert mine == theirs, src


def test_relative_links_are_mkdocs_own():
    pages = [urls.file_url(s, d) for s in SOURCES for d in (True, False)] + ["./", ".", "a/../b/", "../x", "a/b/c/"]
    for target, base in itertools.product(pages, pages):
        assert urls.relative_url(target, base) == get_relative_url(target, base), (target, base)
