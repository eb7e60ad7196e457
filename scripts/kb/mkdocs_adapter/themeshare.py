"""The theme on both cores: a forked child writes part of the pages while MkDocs writes the rest here.

After every page is converted (``on_env``), putting each one into Material's template is independent work
that MkDocs does in one loop, on one core — for a province-sized site about a third of the build. So at the
end of ``on_env`` the pages are divided: a child forked then holds the converted pages, the navigation and
the environment, and runs MkDocs' own page step (``mkdocs.commands.build._build_page``: the page's events,
the template, the write) for its share; here, those pages are given an empty template, which MkDocs
renders and skips writing. At ``on_post_build`` this process takes the child's report (pages that carry an
inline script, pages it could not write) and writes again, here, whatever the child did not.

Only where the result cannot differ: a build (not ``serve``), not strict (the child's warnings would not
be counted), on more than one core (``kb.parallel.jobs``), large enough to gain (``SHARE_FROM`` pages, or
``$KB_SHARE_SMALL=1``), and with no plugin but the project's hook and Material's search, whose page events
keep state of their own. ``tests/mkdocs_adapter/test_pool.py`` compares the site with one built on one core.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
from typing import Any

from .. import parallel
from . import plugins

#: The empty template the pages the child writes get here (theme/kb-skip.html).
SKIP_TEMPLATE = "kb-skip.html"
#: Pages below which the theme is not shared (a fork costs more).
SHARE_FROM = 200
#: The share of the pages the child takes: this process also copies the static files and writes the
#: theme's own templates (sitemap, 404) meanwhile.
CHILD_SHARE = 0.68


def wanted(config, pages: int) -> bool:
    if parallel.jobs() <= 1 or config.strict or os.environ.get("KB_NO_FORK") or not parallel.room_for_a_copy():
        return False
    if pages < SHARE_FROM and not parallel.small_too():
        return False
    return plugins.only_plain_plugins(config)


class _QuietSkips(logging.Filter):
    """MkDocs says "Page skipped … empty output" for every page the child writes: not news to anyone."""

    def __init__(self, srcs: set[str]):
        super().__init__()
        self.srcs = srcs

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Page skipped: '") and message[len("Page skipped: '"):-len("'. Generated empty output.")] in self.srcs)


def _child(pages, config, doc_files, nav, env, inline: list, sender) -> None:
    from mkdocs.commands import build

    before = len(inline)
    failed = []
    for page in pages:
        try:
            build._build_page(page, config, doc_files, nav, env)
        except Exception:  # noqa: BLE001 - written again by the parent
            failed.append(page.file.src_uri)
    try:
        sender.send((inline[before:], failed))
    finally:
        sender.close()


class ThemeShare:
    """The child writing its share of the pages; ``finish()`` waits for it and writes here what it did not."""

    def __init__(self, config, files, nav, env, inline: list):
        from mkdocs.structure.files import InclusionLevel

        self.config, self.nav, self.env, self.inline = config, nav, env, inline
        self.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        pages = [f.page for f in self.doc_files if f.page is not None]
        self.pages = pages[int(len(pages) * (1 - CHILD_SHARE)):]
        self._process = self._receiver = None
        self._filter = None
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        frozen = gc.get_freeze_count() == 0
        parallel.release_free_memory()
        if frozen:
            gc.freeze()  # the child shares this process's memory: a collection there would copy it all
        try:
            process = context.Process(target=_child, args=(self.pages, config, self.doc_files, nav, env, inline, sender),
                                      daemon=True)
            process.start()
        except Exception:  # noqa: BLE001 - no fork: every page is written here, as MkDocs does
            self.pages = []
            return
        finally:
            if frozen:
                gc.unfreeze()
            sender.close()
        self._process, self._receiver = process, receiver
        self._templates: dict[int, Any] = {}
        for page in self.pages:
            self._templates[id(page)] = page.meta.get("template", _MISSING)
            page.meta["template"] = SKIP_TEMPLATE
        self._filter = _QuietSkips({page.file.src_uri for page in self.pages})
        logging.getLogger("mkdocs.commands.build").addFilter(self._filter)

    def delegated(self, page) -> bool:
        return page.meta.get("template") == SKIP_TEMPLATE

    def finish(self) -> None:
        """Wait for the child; write here, as MkDocs would have, every page it did not write."""
        if self._process is None:
            return
        from mkdocs.commands import build

        failed = [page.file.src_uri for page in self.pages]
        try:
            found, failed = self._receiver.recv()
            self.inline.extend(found)
        except Exception:  # noqa: BLE001 - the child died: all its pages are written here
            pass
        finally:
            self._receiver.close()
            self._process.join(timeout=30)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
            self._process = None
            logging.getLogger("mkdocs.commands.build").removeFilter(self._filter)
        again = set(failed)
        for page in self.pages:
            template = self._templates[id(page)]
            if template is _MISSING:
                page.meta.pop("template", None)
            else:
                page.meta["template"] = template
            if page.file.src_uri in again:
                build._build_page(page, self.config, self.doc_files, self.nav, self.env)

    def cancel(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
            self._process = None
            self._receiver.close()
            logging.getLogger("mkdocs.commands.build").removeFilter(self._filter)


_MISSING = object()
