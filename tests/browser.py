"""Driving a built site in headless Debian Chromium through Playwright.

Chromium is started the way this network needs (no background traffic, no
sandbox as root). Every request the pages make is recorded so tests can fail
on anything that leaves the site's own origin.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
import time
from pathlib import Path

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(site: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] = _QuietHandler):
    """Serve ``site`` on a free localhost port; yields the base URL. ``handler_class`` may be a
    subclass of ``_QuietHandler`` that misbehaves on purpose (a server that fails now and then)."""
    handler = functools.partial(handler_class, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"需要 Debian chromium（{CHROMIUM}）：apt-get install -y chromium fonts-noto-cjk")


@contextlib.contextmanager
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


class Page:
    """A page that records every request URL it makes."""

    def __init__(self, browser, base: str):
        self.base = base
        self.context = browser.new_context(locale="zh-CN")
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.base) and not url.startswith("data:")]

    def open(self, path: str = ""):
        self.page.goto(self.base + path, wait_until="load")
        return self.page

    def search(self, query: str, timeout: float = 10_000) -> list[dict]:
        """Type ``query`` into the site's own search box; return the results shown, in order."""
        page = self.page
        field = page.locator("input.md-search__input")
        field.click()
        field.fill(query)
        field.press("End")  # the theme reads the field on keyup
        self._wait_for_worker(query, timeout)
        page.wait_for_timeout(50)  # let the theme render the answer
        return page.eval_on_selector_all(
            ".md-search-result__item > a.md-search-result__link",
            "els => els.map(a => ({href: a.getAttribute('href'), title: (a.querySelector('h1,h2')||{}).textContent || '', html: a.innerHTML}))",
        )

    def _wait_for_worker(self, query: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout / 1000
        while time.monotonic() < deadline:
            for worker in self.page.workers:
                try:
                    if worker.evaluate("self.kbAnswered") == query:
                        return
                except Exception:  # the worker may be starting
                    pass
            self.page.wait_for_timeout(20)
        raise TimeoutError(f"search worker did not answer {query!r}")

    def close(self):
        self.context.close()


@contextlib.contextmanager
def visit(chromium, site: Path, path: str | None = ""):
    """Serve ``site``, open ``path`` in a fresh page (``None``: open nothing yet); close both after."""
    with serve(site) as base:
        page = Page(chromium, base)
        try:
            if path is not None:
                page.open(path)
            yield page
        finally:
            page.close()


def search_from_disk(chromium, index: Path, query: str) -> tuple[list[str], list[str]]:
    """Open a site copy's ``index.html`` from disk (file://), type ``query`` into its search box;
    returns the result links shown and every URL the page requested."""
    page = chromium.new_page(locale="zh-CN")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(Path(index).as_uri())
        page.keyboard.press("s")
        page.locator("input.md-search__input").fill(query)
        page.wait_for_selector(".md-search-result__item > a", timeout=10_000)
        links = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(a => a.href)")
    finally:
        page.close()
    return links, requests
