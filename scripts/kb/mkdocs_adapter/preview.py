"""Author preview at province scale: ``mkdocs serve`` shows a saved record in about a second.

MkDocs rebuilds the whole site on every save: at 2,000 records that is 17-19 s, and
authors stop previewing. Authors edit one record at a time, and one record reaches few
pages: its guide, card and notice, the lists its title appears on, the pages that sum up
everything. So while serving, a save of records only goes this way:

1. The files MkDocs watches are compared with what the last build read (size and
   modification time, looked at when that build began, so that a save during a build is
   seen by the next call). Only when nothing but record files changed -- none added or
   removed -- does the preview go on; anything else (a vocabulary, the registry, a
   template, a hand-written page, the config) is MkDocs' own full rebuild, as before.
2. The changed records are read again and the whole knowledge base is checked, the other
   records' own problems taken from the last check (``check_sources(cache=...)``).
   Problems: printed in the terminal and shown at the top of every page served, the site
   left as it was, until a save fixes them.
3. The edition takes over the views of unchanged records (``Edition(previous=...)``), the
   generator plans every page (``SiteBuilder.plan``) and renders only those whose
   dependencies the changed records touch (``pages.touched``); if the set of pages
   changed (a new department, a record published), it is a full rebuild.
4. Pages whose text changed go through MkDocs again with its own functions and every
   plugin's events, into the folder being served; the search index is written again
   from the records' kept documents.

The result is the same, byte for byte, as a clean build of the same files
(``tests/mkdocs_adapter/test_preview.py`` proves it over sequences of edits).
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..records import report
from ..site.offline import write_offline_files
from ..site.edition import Edition
from ..records.load import SOLUTIONS_DIR, Sources, read_document
from ..knowledge import model_sources
from ..site.pages import SiteBuilder
from ..site.plan import touched
from ..render import Renderer
from ..search.index import SearchIndexBuilder

log = logging.getLogger("mkdocs.hooks.kb")

Snapshot = dict[str, tuple[int, int]]


def snapshot(paths: list[str]) -> Snapshot:
    """(modification time, size) of every file under ``paths``, Python caches and hidden files left out."""
    found: Snapshot = {}

    def walk(folder: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name == "__pycache__" or name.endswith((".pyc", "~")):
                continue
            try:
                if entry.is_dir():
                    walk(entry.path)
                else:
                    stat = entry.stat()
                    found[entry.path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                continue  # removed while we looked

    for top in paths:
        top = os.path.abspath(top)
        if os.path.isdir(top):
            walk(top)
        elif os.path.isfile(top):
            stat = os.stat(top)
            found[top] = (stat.st_mtime_ns, stat.st_size)
    return found


@dataclass
class Built:
    """What the last build left to work from (MkDocs' objects and the generator's)."""

    config: Any
    files: Any
    nav: Any = None
    env: Any = None
    state: Any = None  # the hook's state: builder, search, raw blocks, generated pages
    contents: dict[str, str | None] = field(default_factory=dict)  # generated page -> text (None: a hand-written page wins)
    blocks: dict[str, tuple[list[str], str]] = field(default_factory=dict)  # hand-written page -> its kb blocks, their HTML
    snapshot: Snapshot = field(default_factory=dict)  # the watched files as they were when the build began
    snapshot_paths: list[str] = field(default_factory=list)  # the paths that snapshot covers


class Preview:
    """Lives as long as ``mkdocs serve``; the hook hands it each full build, the server its saves."""

    def __init__(self) -> None:
        self.command = "build"  # MkDocs calls on_startup once per process; later builds only see this
        self.dirty = False
        self.built: Built | None = None
        self.problems: list[str] = []
        self.check_cache: dict = {}
        self.full_build: Callable[[], None] | None = None
        self.paths: list[str] = []

    # -- during a full build (called by the hook) ------------------------------
    def begin(self, config) -> None:
        gc.unfreeze()  # the last build's objects may go now (see finish)
        # The files are looked at before the build reads them: a record saved while the build
        # runs then differs from this snapshot, and the server's next call updates the site.
        # (Taken after the build, the snapshot would hold the new file while the site shows
        # the old one, and the save would be lost until the next one.)
        paths = self.paths or _config_paths(config)
        self.built = Built(config=config, files=None, snapshot=snapshot(paths), snapshot_paths=list(paths))
        self.check_cache.clear()  # the registry may have changed: records are checked afresh

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    def record_page(self, src: str, content: str | None) -> None:
        self.built.contents[src] = content

    def record_blocks(self, src: str, names: list[str], html: str) -> None:
        self.built.blocks[src] = (names, html)

    def finish(self, *, files, nav, env, state) -> None:
        built = self.built
        built.files, built.nav, built.env, built.state = files, nav, env, state
        self.problems = []
        # Millions of objects stay alive between saves; the garbage collector would walk them
        # all again and again (a few tenths of a second each time). Set them aside until the
        # next full build.
        gc.collect()
        gc.freeze()

    # -- the server ------------------------------------------------------------
    def install(self, server, builder: Callable[[], None], config) -> None:
        """Take over the server's rebuild, and show knowledge-base problems on every page served."""
        self.full_build = builder
        watched = getattr(server, "_watched_paths", None) or (config.docs_dir, config.config_file_path)
        self.paths = sorted(set(watched) | {os.path.abspath(p) for p in config.watch})
        if self.built is not None:
            # The first build ran before the server existed: its snapshot covers the paths the
            # configuration names; any further path the server watches is looked at now.
            built = self.built
            extra = [p for p in self.paths if p not in built.snapshot_paths]
            built.snapshot = {p: v for p, v in built.snapshot.items() if _under(p, self.paths)}
            built.snapshot.update(snapshot(extra))
            built.snapshot_paths = list(self.paths)
        server.builder = self.rebuild
        inject = server._inject_js_into_html

        def inject_with_problems(content: bytes, epoch: int) -> bytes:
            content = inject(content, epoch)
            if self.problems:
                content = _with_banner(content, self.problems)
            return content

        server._inject_js_into_html = inject_with_problems

    def rebuild(self) -> None:
        """What the server calls after a save: a partial update when it can, else MkDocs' full rebuild."""
        start = time.monotonic()
        try:
            done = self.update()
        except Exception as exc:  # noqa: BLE001 - a full rebuild is always correct
            log.warning(f"预览：局部更新失败（{type(exc).__name__}: {exc}），改为完整重建")
            done = False
        if done:
            if not self.problems:
                log.info(f"预览：已更新，用时 {time.monotonic() - start:.2f} 秒")
            return
        try:
            self.full_build()
        except Exception:
            if not self.problems:
                raise
            # The knowledge base has problems: they are in the terminal already (the build
            # printed them) and go on top of every page; the last good site stays served.

    def fail(self, lines: list[str]) -> None:
        """The full build stopped at the check: keep the problems to show them."""
        self.problems = lines

    def update(self) -> bool:
        """Bring the served site up to date with saved records; False when a full rebuild is needed."""
        built = self.built
        if built is None or built.files is None or built.state is None:
            return False
        now = snapshot(self.paths)
        changed = {p for p in now.keys() | built.snapshot.keys() if now.get(p) != built.snapshot.get(p)}
        if not changed:
            self.problems = []
            return True  # nothing the site is made of (an editor's swap file, a cache)
        state = built.state
        old_edition = state.builder.edition
        root = Path(old_edition.kb.root)
        records = {os.path.abspath(r.doc.path): r.doc for r in old_edition.kb.records}
        folder = os.path.abspath(root / SOLUTIONS_DIR)
        for path in changed:
            if os.path.dirname(path) != folder or not path.endswith(".yml") or path not in records \
                    or path not in now:
                return False  # not (only) a saved record
        old_sources = state.sources
        fresh = {path: read_document(Path(path), root) for path in changed}
        sources = Sources(root=old_sources.root, registry=old_sources.registry, problems=list(old_sources.problems),
                          records=[fresh.get(os.path.abspath(doc.path), doc) for doc in old_sources.records])
        loaded = model_sources(sources, state.builder.settings.today, self.check_cache,
                                   state.builder.settings.centre)
        live = {id(doc) for doc in sources.records}
        for key in [k for k in self.check_cache if k not in live]:
            del self.check_cache[key]
        if loaded.problems:
            self.problems = [str(p) for p in loaded.problems]
            log.error("预览：知识库检查未通过，页面保持上一次的内容：\n" + report.render_text(loaded.problems))
            return True
        shown = {doc.display for doc in fresh.values()}
        for warning in loaded.warnings:
            if warning.file in shown:
                log.warning(str(warning))
        edition = Edition(old_edition.name, loaded.kb, old_edition.urls, previous=old_edition)
        if [r.id for r in edition.records] != [r.id for r in old_edition.records]:
            return False
        builder = SiteBuilder(edition, state.builder.settings, Renderer(), previous=state.builder)
        plan = list(builder.plan())
        if [p.src for p in plan] != list(built.contents):
            return False  # pages appear or disappear: MkDocs must make new files
        keys = set()
        changed_ids = {doc.data["id"] for doc in fresh.values()}
        for record_id in changed_ids:
            keys |= touched(old_edition.by_id.get(record_id), edition.by_id.get(record_id))
        pages = []
        for planned in plan:
            if planned.deps & keys and built.contents[planned.src] is not None:
                page = planned.render()
                if page.content != built.contents[planned.src]:
                    pages.append(page)
        state.builder = builder
        state.sources = sources
        state.search = SearchIndexBuilder(edition, previous=state.search)
        hand = [src for src, (names, html) in built.blocks.items()
                if "".join(builder.block(name, src) for name in names) != html]
        self._render(pages, hand)
        state.search.write(built.config.site_dir)
        if state.offline:
            write_offline_files(built.config.site_dir)
        for page in pages:
            built.contents[page.src] = page.content
        built.snapshot = now
        self.problems = []
        log.info(f"预览：{len(changed_ids)} 条记录有改动，重新生成 {len(pages) + len(hand)} 个页面")
        return True

    def _render(self, pages: list, hand: list[str]) -> None:
        """Put changed pages through MkDocs again: its own functions, every plugin's events."""
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.files import InclusionLevel

        built = self.built
        config, files = built.config, built.files
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for page in pages:
            file = files.get_file_from_path(page.src)
            source = file.abs_src_path
            file.content_string = page.content
            if source:  # a guide dated by its record's history keeps pointing at the record
                file.abs_src_path = source
            if file.is_documentation_page():
                _populate_page(file.page, config, files)
                _build_page(file.page, config, doc_files, built.nav, built.env)
            else:
                file.copy_file()
        for src in hand:
            file = files.get_file_from_path(src)
            _populate_page(file.page, config, files)
            _build_page(file.page, config, doc_files, built.nav, built.env)


def _config_paths(config) -> list[str]:
    """What ``mkdocs serve`` watches for this configuration: the docs folder, the config file, ``watch:``."""
    paths = {os.path.abspath(config.docs_dir)} | {os.path.abspath(p) for p in config.watch}
    if config.config_file_path:
        paths.add(os.path.abspath(config.config_file_path))
    return sorted(paths)


def _under(path: str, tops: list[str]) -> bool:
    return any(path == top or path.startswith(top.rstrip(os.sep) + os.sep) for top in tops)


@functools.lru_cache(maxsize=1)
def _banner(problems: tuple[str, ...]) -> str:
    """The problems box, made once per set of problems rather than for every page served."""
    return Renderer().render("preview_problems.html.j2", problems=problems[:50], more=max(0, len(problems) - 50))


def _with_banner(content: bytes, problems: list[str]) -> bytes:
    """The page as served, with the knowledge base's problems at the top (never written to disk)."""
    html = _banner(tuple(problems))
    text = content.decode("utf-8", "replace")
    at = text.find(">", text.find("<body")) + 1 if "<body" in text else 0
    return (text[:at] + html + text[at:]).encode("utf-8")


#: One preview per ``mkdocs serve`` process (the hook module is loaded again for every build).
current = Preview()
