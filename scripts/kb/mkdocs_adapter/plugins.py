"""The MkDocs plugins a site may add, and what the generated pages do for them.

Sites get configured in ways the project does not choose. Three plugins meet the
generated pages:

- Material's ``tags`` plugin reads ``tags`` from a page's front matter: guides carry
  their record's ``tags`` there, and when no hand-written page lists the tags a
  ``tags/`` page is generated with the plugin's listing marker.
- "Last updated" plugins (``git-revision-date-localized`` and the like) date a page
  from the git history of its source file; a generated page has none, so it would
  show the build date. A guide's source is its record, so the guide is dated by the
  record's history instead.
- Material's ``offline`` plugin makes a site for opening from disk; alone it adds a
  script from a CDN (refused by the CSP, and village PCs have no network) and inlines
  Material's own search index. The project's offline mode (``kb.bundle``) takes over.
"""

from __future__ import annotations

#: Plugins that date or attribute a page from the git history of its source file.
HISTORY_PLUGINS = ("git-revision-date-localized", "git-revision-date", "git-committers", "git-authors")
TAGS_PLUGIN = "material/tags"
OFFLINE_PLUGIN = "material/offline"
#: Where the generated tag listing goes when a site enables tags but lists them nowhere.
TAGS_SRC = "tags/index.md"
TAGS_LISTING = "---\ntitle: 按标签查找\nsearch:\n  exclude: true\n---\n\n# 按标签查找\n\n<!-- material/tags -->\n"


#: Plugins known to keep no state the site depends on and to do nothing when the process ends (MkDocs' and
#: Material's search): with only these beside this project's hook, a page may be written in a forked child
#: (themeshare.py) and a build may end without Python's teardown (lifetime.py).
PLAIN_PLUGINS = frozenset({"material/search", "search"})


def only_plain_plugins(config) -> bool:
    """Are the site's plugins only ``PLAIN_PLUGINS`` and this project's hook?"""
    return all(name in PLAIN_PLUGINS or name.endswith("kb_hooks.py") for name in config.plugins)


def enabled(config, name: str) -> bool:
    """Is the plugin ``name`` (as MkDocs names it: ``material/tags``) in the site and switched on?"""
    plugin = config.plugins.get(name)
    if plugin is None:
        return False
    options = getattr(plugin, "config", None)
    return bool(getattr(options, "enabled", True)) if options is not None else True


def dates_from_history(config) -> bool:
    return any(enabled(config, name) for name in HISTORY_PLUGINS)


def date_by_record(file, record_path) -> None:
    """Make a generated guide read as coming from its record file, for plugins that look
    up a page's git history (they skip generated files and use the build date)."""
    file.generated_by = None
    file.abs_src_path = str(record_path)


def needs_tags_listing(config, files) -> bool:
    """The tags plugin is on and no hand-written page lists the tags (``<!-- material/tags -->``)
    or already lives at ``tags/``. Call before the generated pages are added."""
    if not enabled(config, TAGS_PLUGIN) or files.get_file_from_path(TAGS_SRC) or files.get_file_from_path("tags.md"):
        return False
    directive = "<!-- " + config.plugins[TAGS_PLUGIN].config.listings_directive
    for file in files.documentation_pages():
        if file.generated_by is None and directive in file.content_string:
            return False
    return True


def offline_requested(config) -> bool:
    return enabled(config, OFFLINE_PLUGIN)


def drop_cdn_polyfills(config) -> list[str]:
    """Remove the scripts the offline plugin adds from a CDN; returns what was removed."""
    polyfills = (config.extra or {}).get("polyfills") or []
    kept = [url for url in polyfills if not str(url).startswith(("http://", "https://", "//"))]
    config.extra["polyfills"] = kept
    return [url for url in polyfills if url not in kept]
