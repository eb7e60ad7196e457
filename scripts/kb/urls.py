"""Where each generated page lives, and how one page links to another.

Pages are named by their *source path* (``guides/<id>.md``, ``cards/<id>/index.html``),
the way MkDocs names the files in ``docs/``. Their URL is never written by hand:
MkDocs' own ``File`` turns a source path into the URL of the configured style
(``guides/<id>/`` with ``use_directory_urls: true``, ``guides/<id>.html`` without),
and MkDocs' ``get_relative_url`` makes the link between two pages. So a site built
either way, served by a web server or opened from disk, has no broken link.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url


def guide_src(record_id: str) -> str:
    return f"guides/{record_id}.md"


def card_src(record_id: str) -> str:
    # A card is a whole HTML document of its own (no theme), copied as it is.
    return f"cards/{record_id}/index.html"


def notice_src(record_id: str) -> str:
    return f"notice/{record_id}.md"


def law_src(law_id: str) -> str:
    return f"laws/{law_id}.md"


def listing_src(section: str, slug: str) -> str:
    """One term's list in a section: ``listing_src("domains", "huji")`` -> ``domains/huji.md``."""
    return f"{section}/{slug}.md"


def section_src(name: str) -> str:
    """The index page of a section: ``domains`` -> ``domains/index.md``; ``""`` is the home page."""
    return f"{name}/index.md" if name else "index.md"


def part_src(base_src: str, number: int) -> str:
    """Part ``number`` of a list split over several pages; part 1 is ``base_src`` itself.

    ``domains/huji.md`` -> ``domains/huji/2.md``; ``cards/print/all/index.html`` ->
    ``cards/print/all/2/index.html``.
    """
    if number == 1:
        return base_src
    if base_src.endswith("/index.html"):
        return base_src[: -len("index.html")] + f"{number}/index.html"
    return base_src[: -len(".md")] + f"/{number}.md"


#: Helpers templates call to name a page by its source path.
SOURCES = {f.__name__: f for f in (guide_src, card_src, notice_src, law_src, listing_src, section_src)}


class SiteUrls:
    """URLs of one build: ``url(src)`` is the page's site-relative URL, ``link(src, from_src)``
    the relative link that works from the page ``from_src`` wherever the site is put."""

    def __init__(self, use_directory_urls: bool = True):
        self.use_directory_urls = bool(use_directory_urls)
        self.url = lru_cache(maxsize=None)(self._url)
        self.link = lru_cache(maxsize=65536)(self._link)

    def _url(self, src: str) -> str:
        path, sep, anchor = src.partition("#")
        url = File(path, src_dir=None, dest_dir="", use_directory_urls=self.use_directory_urls).url
        if url == "./":
            url = ""  # the home page, site-relative
        return url + sep + anchor

    def _link(self, target_src: str, from_src: str) -> str:
        path, sep, anchor = target_src.partition("#")
        target = self.url(path) or "./"
        base = self.url(from_src) or "./"
        return get_relative_url(target, base) + sep + anchor

    def __repr__(self) -> str:
        return f"SiteUrls(use_directory_urls={self.use_directory_urls})"


DIRECTORY_URLS = SiteUrls(True)


def project_urls(root: Path | str, config_file: str = "mkdocs.yml") -> SiteUrls:
    """The URL style a project's ``mkdocs.yml`` asks for (``INHERIT`` and ``!ENV`` honoured).

    Used where no build is running (``kb export``): the URLs it prints are those of the site
    ``mkdocs build`` makes. A missing or unreadable file means MkDocs' default, directory URLs.
    """
    from mkdocs.utils.yaml import yaml_load

    path = Path(root) / config_file
    try:
        with open(path, "rb") as handle:
            config = yaml_load(handle) or {}
    except Exception:  # noqa: BLE001 - the build reports a broken config; export keeps the default
        return DIRECTORY_URLS
    return SiteUrls(config.get("use_directory_urls", True) is not False)
