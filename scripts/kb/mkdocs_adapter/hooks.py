"""MkDocs hook: the thin glue between MkDocs events and the ``kb`` package.

- on_config: give both editions a light and a dark palette with the toggle between them, however the
  config writes ``theme.palette`` (kb/palette.py); then check the whole knowledge base; a single problem stops the
  build before ``site/`` is touched, with the same lines ``kb check`` prints.
  Warnings (a record awaiting review after a revision ...) are logged as
  MkDocs warnings and never stop the build. "Today" for the build (laws not
  yet in force, overdue reviews) is ``extra.kb.today``, else ``$KB_TODAY``,
  else the system date.
  A real build then writes into a sibling folder that replaces ``site/`` only
  when everything succeeded, so a failure never leaves a half-written site.
- on_files: add the generated pages (guides, indexes, laws, cards, training)
  as in-memory files; hand-written pages in docs/ always win.
- on_page_markdown: fill ``<!-- kb:NAME -->`` markers in hand-written pages.
- on_post_page: declare the Content-Security-Policy (one constant policy: pages carry no inline
  script, see kb/security.py); a page that has one anyway is named in a warning.
- on_post_build: write the search index (and its script copies for a copy opened
  from disk, see kb/bundle.py), then swap the new site into place.
- on_startup/on_shutdown: a command-line build runs without the cyclic collector and skips Python's
  teardown once it succeeded (kb/mkdocs_adapter/lifetime.py).

Other plugins a site adds (tags, "last updated" dates, offline) are met in kb/plugins.py.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from importlib import metadata
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

from .. import clock, parallel
from . import lifetime, navcache, phases, plugins, themeshare
from ..site import palette
from ..records import report
from ..records.store import cache_dir
from ..render import check_template_files, keep_compiled
from .preview import current as preview
from ..site.offline import build_info, write_offline_files
from ..site.edition import PUBLIC, Edition
from .mdcache import MarkdownCache
from ..knowledge import load_knowledge_base
from ..ledger.site import LedgerError, cases_for_build
from ..site.pages import BLOCKS, INTERNAL_PAGES, INTERNAL_SECTIONS, SiteBuilder, unlink_internal_pages
from ..site.settings import SiteSettings, centre_setting, check_feedback_url
from .rawblocks import RawBlocks
from ..search.index import SearchIndexBuilder, page_text
from ..site.security import content_security_policy, inline_scripts
from ..site.urls import SiteUrls, percent_encoded

log = logging.getLogger("mkdocs.hooks.kb")

#: What compiles the templates (the compiled ones are kept per version, see on_config).
ENGINE = ("jinja2", "mkdocs", "mkdocs-material")
_MARKER = re.compile(r"<!--\s*kb:([a-z]+)\s*-->")
_WORKER = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js")


class _State:
    command = "build"
    dirty = False
    final_site_dir: str | None = None
    builder: SiteBuilder | None = None
    search: SearchIndexBuilder | None = None
    raw: RawBlocks | None = None
    markdown: MarkdownCache | None = None
    generated: set[str] = set()  # src_uri of every page this hook added
    sources = None  # the files as read, for the preview's partial updates
    files = nav = env = None  # MkDocs' objects of this build, for the preview
    offline = False  # a copy for opening from disk (kb bundle, or Material's offline plugin)
    inline: list[str] = []  # pages that still carry an inline script (the CSP refuses it)
    theme: themeshare.ThemeShare | None = None  # the child writing part of the pages (themeshare.py)
    compiled = None  # where compiled templates are kept between builds (kb/render.py keep_compiled)
    later = None  # one page's Page.later: asking it waits for the child that writes every copied page


state = _State()


def on_startup(command, dirty):
    # Called once per process: the rebuilds of `mkdocs serve` load this module afresh, so
    # the command is kept in the kb package, which stays.
    preview.command = command
    preview.dirty = dirty
    lifetime.start(command)


def on_shutdown():
    lifetime.shutdown()


def _centre(options: dict, default: dict) -> dict:
    try:
        centre, warning = centre_setting(options, default)
    except ValueError as exc:
        raise PluginError(f"mkdocs 配置有误：{exc}") from None
    if warning:
        log.warning(warning)
    return centre


def _settings(config) -> tuple[str, SiteSettings]:
    options = (config.extra or {}).get("kb", {}) or {}
    edition = options.get("edition", PUBLIC)
    defaults = SiteSettings()
    try:
        today = clock.today(options.get("today"))
    except clock.ClockError as exc:
        raise PluginError(f"mkdocs 配置 extra.kb.today 有误：{exc}") from None
    settings = SiteSettings(
        site_name=config.site_name,
        feedback_url=options.get("feedback_url", defaults.feedback_url),
        today=today,
        centre=_centre(options, defaults.centre),
        site_url=config.site_url or "",
    )
    return edition, settings


@event_priority(-100)
def on_config(config):
    phases.mark("config")
    root = Path(config.config_file_path).resolve().parent
    try:
        config.theme["palette"] = palette.with_toggle(config.theme["palette"] if "palette" in config.theme else None)
    except ValueError as exc:
        raise PluginError(f"mkdocs 配置有误：{exc}") from None
    for problem in palette.contrast_problems(config.theme["palette"]):
        log.warning(problem)
    edition_name, settings = _settings(config)
    try:
        feedback_warning = check_feedback_url(settings.feedback_url)
    except ValueError as exc:
        raise PluginError(f"mkdocs 配置 extra.kb.feedback_url 有误：{exc}") from None
    if feedback_warning:
        log.warning(feedback_warning)
    if config.site_url:
        # MkDocs writes site_url into sitemap.xml and the canonical links as it is: a non-ASCII sub-path
        # must be percent-encoded there (the printed cards keep the readable form, settings.site_url).
        config.site_url = percent_encoded(config.site_url)
    state.command = preview.command
    state.dirty = getattr(preview, "dirty", False)
    state.compiled = cache_dir(root, "jinja", *(f"{name} {metadata.version(name)}" for name in ENGINE))
    keep_compiled(None, state.compiled)
    check_template_files(preview.serving)
    if preview.serving:
        preview.begin(config)
    loaded = load_knowledge_base(root, settings.today, preview.check_cache if preview.serving else None,
                                 settings.centre)
    if loaded.problems:
        if preview.serving:
            preview.fail([str(p) for p in loaded.problems])
        lines = report.render_text(loaded.problems)
        raise PluginError(
            f"知识库检查未通过（{len(loaded.problems)} 个问题），站点未构建，现有输出目录保持不变：\n{lines}"
        )
    try:
        edition = Edition(edition_name, loaded.kb, SiteUrls(config.use_directory_urls))
    except ValueError as exc:
        raise PluginError(f"mkdocs 配置 extra.kb.edition 有误：{exc}") from None
    for warning in loaded.warnings:
        log.warning(str(warning))
    try:  # the window's ledgers: the internal edition's cases/ pages; the public edition reads none (kb/ledger/site.py)
        settings.cases = cases_for_build(config.extra, root, edition.internal, settings.today, loaded.kb,
                                         os.path.basename(config.config_file_path))
    except LedgerError as exc:
        raise PluginError(str(exc)) from None
    if not preview.serving:
        loaded.sources.forget_positions()  # the preview checks again on each save; a build is done checking
    state.builder = SiteBuilder(edition, settings)
    state.sources = loaded.sources
    state.search = SearchIndexBuilder(edition)
    state.search.start(keep_terms=preview.serving)  # the records' part of the index, on every core
    state.raw = RawBlocks()
    state.markdown = MarkdownCache()
    state.generated = set()
    kb_options = config.extra.setdefault("kb", {}) if isinstance(config.extra.get("kb"), dict) else None
    if plugins.offline_requested(config) and kb_options is not None:
        # Material's offline plugin adds a script from a CDN and inlines the theme's own
        # search index; the project's offline mode replaces both (see kb/bundle.py).
        for url in plugins.drop_cdn_polyfills(config):
            log.info(f"离线版：不加载外部脚本 {url}，检索改由本站的离线检索提供（与 kb bundle 相同）")
        kb_options.setdefault("bundle", build_info(root, edition_name))
    state.offline = bool(kb_options and kb_options.get("bundle"))
    state.inline = []
    if not config.site_url and state.command == "build" and not state.offline:
        log.warning(
            f"未设置 site_url（{os.path.basename(config.config_file_path)}）：sitemap.xml 将是空的，"
            "404 页面只在站点位于网站根目录时才有样式和检索；部署前请设为本版本的完整网址，"
            "如 https://kb.example.gov.cn/zwfw/kb/（见运维指南 docs/operators.md）。"
        )
    log.info(f"知识库：{len(edition.views)} 条记录进入{'公开版' if edition_name == PUBLIC else '内部版'}")

    state.final_site_dir = None
    if state.command == "build" and not state.dirty:
        # Build beside the real output and swap at the end (see on_post_build).
        state.final_site_dir = config.site_dir
        config.site_dir = config.site_dir.rstrip("/\\") + ".kb-building"
        shutil.rmtree(config.site_dir, ignore_errors=True)
    return config


class LaterFile(File):
    """A generated file MkDocs only copies (a card, a notice): another core writes it straight into the site
    while MkDocs converts the other pages (``kb.site.pages.SiteBuilder.pages``); copying it is waiting for that."""

    later = None

    def copy_file(self, dirty: bool = False) -> None:
        self.later()

    @property
    def _content(self):
        """Its text, for whoever asks (MkDocs itself does not): read back from where it was written."""
        self.later()
        with open(self.abs_dest_path, encoding="utf-8") as handle:
            return handle.read()

    @_content.setter
    def _content(self, value) -> None:
        pass


def on_files(files, config):
    phases.mark("files")
    builder = state.builder
    if not builder.edition.internal:
        for file in list(files):
            if file.src_uri.startswith(INTERNAL_SECTIONS) or file.src_uri in INTERNAL_PAGES:
                files.remove(file)
    dated = plugins.dates_from_history(config)
    tags_listing = plugins.needs_tags_listing(config, files)  # looks at the hand-written pages only
    state.later = None
    hand_written = {file.src_uri for file in files}
    into = None if preview.serving else config.site_dir
    for page in builder.pages(into, keep=lambda src: src not in hand_written):  # on both cores (kb/parallel.py)
        if page.src in hand_written:
            if preview.serving:
                preview.record_page(page.src, None)
            continue  # a hand-written page with the same path wins
        if preview.serving:
            preview.record_page(page.src, page.content)
        if page.later is not None:
            file = LaterFile.generated(config, page.src, content="", inclusion=InclusionLevel.NOT_IN_NAV)
            file.later = state.later = page.later  # the same for every such page: the child that writes them
        else:
            file = File.generated(config, page.src, content=page.content, inclusion=InclusionLevel.NOT_IN_NAV)
        if page.record:
            file.edit_uri = f"../solutions/{page.record}.yml"
            if dated:
                plugins.date_by_record(file, builder.kb.record(page.record).doc.path)
        state.generated.add(page.src)
        files.append(file)
    if tags_listing:
        files.append(File.generated(config, plugins.TAGS_SRC, content=plugins.TAGS_LISTING,
                                    inclusion=InclusionLevel.NOT_IN_NAV))
    phases.mark("files_end")
    return files


def on_page_markdown(markdown, page, config, files):
    builder = state.builder
    if not builder.edition.internal and page.file.src_uri not in state.generated:
        markdown = unlink_internal_pages(markdown)
    names = _MARKER.findall(markdown)
    if names:
        src = page.file.src_uri
        unknown = sorted(set(names) - set(BLOCKS))
        if unknown:
            raise PluginError(f"页面 {src} 里的标记 <!-- kb:{unknown[0]} --> 不认识：可用的只有 "
                              + "、".join(f"<!-- kb:{name} -->" for name in BLOCKS))
        blocks = {name: builder.block(name, src) for name in names}
        markdown = _MARKER.sub(lambda m: blocks[m.group(1)], markdown)
        if preview.serving and preview.built is not None:
            preview.record_blocks(src, names, "".join(blocks[name] for name in names))
    if page.file.src_uri in state.generated:
        # Generated pages are mostly HTML blocks that Markdown would only copy:
        # hand it placeholders instead (same output, see kb/rawblocks.py).
        markdown = state.raw.hide(page.file.src_uri, markdown)
        state.markdown.attach(page, markdown)  # same skeleton, same HTML (kb/mdcache.py)
        if not preview.serving:
            # MkDocs has read the page: the generated text need not stay beside its HTML until the end (at
            # 20,000 records hundreds of megabytes, and each forked child would copy part of it)
            page.file.content_string = ""
    return markdown


@event_priority(100)  # put the HTML blocks back before anything else reads the page
def on_page_content(html, page, config, files):
    html = state.raw.restore(page.file.src_uri, html)
    if page.file.src_uri not in state.generated:
        state.search.add_page(page.url, page.title, page_text(html))
    return html


def on_nav(nav, config, files):
    state.nav = nav
    return nav


@event_priority(-100)  # last: the child that writes part of the pages is forked here, with everything set
def on_env(env, config, files):
    phases.mark("env")
    keep_compiled(env, state.compiled)
    env.filters["kb_search_worker"] = lambda text: _WORKER.sub("assets/kb/search-worker.js", text)
    theme = config.theme
    navcache.install(env, theme.dirs, navcache.NavCache(state.nav, (theme.get("logo") or "", theme.get("favicon") or "")))
    state.env, state.files = env, files
    building = state.command == "build" and not state.dirty and not preview.serving
    if building and themeshare.wanted(config, len(state.generated)):
        # The child that writes the copied pages ends first: two children beside this process on two cores
        # would only take turns.
        if state.later is not None:
            state.later()
        state.theme = themeshare.ThemeShare(config, files, state.nav, env, state.inline)
    return env


def on_serve(server, config, builder):
    # Saves of records are shown by updating only the pages they touch (kb/preview.py).
    preview.install(server, builder, config)
    return server


def on_post_page(output, page, config):
    if state.theme is not None and state.theme.delegated(page):
        return output  # empty: the child writes this page
    if inline_scripts(output):
        state.inline.append(page.file.src_uri)
    return content_security_policy(output)


def on_post_template(output_content, template_name, config):
    if template_name.endswith(".html"):  # 404.html; sitemap.xml stays as it is
        if inline_scripts(output_content):
            state.inline.append(template_name)
        return content_security_policy(output_content)
    return output_content


@event_priority(-100)
def on_post_build(config):
    if state.theme is not None:
        state.theme.finish()
        state.theme = None
    phases.mark("search")
    if state.inline:
        log.warning(
            f"{len(state.inline)} 个页面含内联脚本（如 {state.inline[0]}），内容安全策略会阻止它们运行；"
            "请把脚本放进 scripts/kb/theme/assets/kb/ 下的文件"
        )
    state.search.write(config.site_dir)
    if state.offline:
        write_offline_files(config.site_dir)
    if preview.serving and preview.built is not None:
        preview.finish(files=state.files, nav=state.nav, env=state.env, state=state)
    if state.final_site_dir:
        _swap(config.site_dir, state.final_site_dir)
        config.site_dir = state.final_site_dir
        state.final_site_dir = None
    phases.mark("end")
    phases.write()
    lifetime.succeeded(config)


def on_build_error(error):
    lifetime.failed()
    if state.theme is not None:
        state.theme.cancel()
        state.theme = None
    if state.builder is not None:
        state.builder.stop_writing()
    if state.final_site_dir:
        # The half-built copy goes; the previous site was never touched.
        shutil.rmtree(state.final_site_dir.rstrip("/\\") + ".kb-building", ignore_errors=True)
        state.final_site_dir = None


def _swap(new: str, final: str) -> None:
    """Replace ``final`` by ``new`` with two renames (same parent, same disk); the previous site is removed
    without waiting for it (``parallel.discard``)."""
    old = final.rstrip("/\\") + ".kb-old"
    shutil.rmtree(old, ignore_errors=True)
    try:
        if os.path.exists(final):
            os.rename(final, old)
        os.rename(new, final)
    except OSError:
        # ``final`` may be a mount point or the working directory: replace its content instead.
        os.makedirs(final, exist_ok=True)
        for name in os.listdir(final):
            path = os.path.join(final, name)
            shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.remove(path)
        for name in os.listdir(new):
            shutil.move(os.path.join(new, name), os.path.join(final, name))
        shutil.rmtree(new, ignore_errors=True)
    parallel.discard(old)
