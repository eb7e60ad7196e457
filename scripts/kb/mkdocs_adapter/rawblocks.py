"""Keep the generated pages' HTML blocks away from Python-Markdown (a speed-up, same output).

Generated Markdown is mostly HTML blocks: a guide is constant headings around
blocks that hold the record's escaped text. Python-Markdown passes such a block
through unchanged, but only after two pure-Python HTML parsers have walked every
tag of it (its own raw-HTML extractor, and MkDocs's anchor collector) — for a
province-sized knowledge base that is most of the build.

``hide`` swaps every block Markdown would keep verbatim for a one-word
paragraph placeholder; ``restore`` puts the blocks back into the HTML that
Markdown produced. Markdown itself swaps a raw block for a placeholder
paragraph and restores it the same way, so the page comes out byte for byte
the same (tests/mkdocs_adapter/test_rawblocks.py compares the two on every generated page).

A block is hidden only when it is certain to be one raw block to Markdown: it
sits between blank lines, starts at the first column with a block-level tag and
ends with that tag's own end tag, and holds no comment, script, style or
preformatted text. Such a block with an ``id`` attribute, or a ``name`` on an
``<a>``, stays in place (MkDocs collects those as link anchors). Block elements one
per line, with no blank line between them, count as one block. If any other chunk of the page
starts with a tag, the page is left entirely to Markdown.
"""

from __future__ import annotations

import re
import secrets

from markdown.util import BLOCK_LEVEL_ELEMENTS

_BLOCK_TAGS = frozenset(BLOCK_LEVEL_ELEMENTS) - {"hr", "pre", "script", "style", "textarea"}
_START = re.compile(r"<([a-z][a-z0-9]*)[\s>]")
_LINE_TAG = re.compile(r"^ {0,3}<[A-Za-z!?/]", re.M)
#: What MkDocs collects as a link anchor: an ``id`` on any element, a ``name`` on ``<a>`` (a radio button's
#: ``name`` is not one).
_ANCHOR = re.compile(r"\sid\s*=|<a\s[^>]*\sname\s*=", re.I)
_CHUNKS = re.compile(r"(\n{2,})")
_BLANKISH = re.compile(r"^ +$", re.M)
_DEPTH: dict[str, re.Pattern] = {}


class RawBlocks:
    """Placeholders for one build: ``hide`` before Markdown, ``restore`` after it."""

    def __init__(self) -> None:
        self.prefix = "kbraw" + secrets.token_hex(6) + "x"
        self._restore = re.compile(rf"<p>{self.prefix}(\d+)</p>")
        self.blocks: dict[str, list[str]] = {}

    def hide(self, key: str, markdown: str) -> str:
        """Markdown with its raw HTML blocks replaced; unchanged when in any doubt."""
        self.blocks.pop(key, None)
        # Markdown rewrites tabs, carriage returns and blank-looking lines before it
        # stores a raw block: such a page is left to it.
        if "<" not in markdown or "\t" in markdown or "\r" in markdown or (" \n" in markdown or markdown.endswith(" ")) and _BLANKISH.search(markdown):
            return markdown
        # Chunks between blank lines; each separator is kept as it was.
        pieces = _CHUNKS.split(markdown)
        parts, seps = pieces[::2], pieces[1::2]
        blocks: list[str] = []
        out: list[str] = []
        last = len(parts) - 1
        previous_hidden = False
        for index, chunk in enumerate(parts):
            head = tail = ""
            if index == 0:  # the page may start with a newline
                body = chunk.lstrip("\n")
                head, chunk = chunk[: len(chunk) - len(body)], body
            if index == last:
                body = chunk.rstrip("\n")
                chunk, tail = body, chunk[len(body):]
            kind = _raw_block(chunk)
            if kind == HIDE:
                # Markdown stores a raw block with the newline before the blank line
                # after it, and puts one newline between blocks in its output.
                if previous_hidden:  # so two blocks in a row can share one placeholder
                    out.pop()  # the blank lines between them
                    blocks[-1] += "\n" + chunk + "\n"
                    out.append(tail)
                else:
                    out.append(f"{head}{self.prefix}{len(blocks)}{tail}")
                    blocks.append(chunk + "\n")
                previous_hidden = True
            elif kind is None and _LINE_TAG.search(chunk):
                return markdown  # a tag Markdown may treat differently: leave the page alone
            else:
                out.append(head + chunk + tail)
                previous_hidden = False
            if index < last:
                out.append(seps[index])
        if not blocks:
            return markdown
        self.blocks[key] = blocks
        return "".join(out)

    def restore(self, key: str, html: str) -> str:
        blocks = self.blocks.pop(key, None)
        if not blocks:
            return html
        # Markdown strips its output after putting raw blocks back: a block that
        # ends the page loses its newline there.
        return self._restore.sub(lambda m: blocks[int(m.group(1))], html).strip()


HIDE, KEEP = "hide", "keep"


def _raw_block(chunk: str) -> str | None:
    """HIDE when Markdown would store ``chunk`` as raw HTML blocks only: one block, or several
    blocks one after another, each starting a line where the one before ended its line (Markdown
    puts them out one per line, as they are: the same as one block of the whole chunk);
    KEEP for such blocks that name an anchor (MkDocs must see it); else None."""
    kinds = []
    start = 0
    while True:
        end = _block_end(chunk, start)
        if end is None:
            return None
        kinds.append(_one_block(chunk[start:end]))
        if kinds[-1] is None:
            return None
        if end == len(chunk):
            return KEEP if KEEP in kinds else HIDE
        if chunk[end] != "\n":
            return None
        start = end + 1


def _block_end(chunk: str, start: int) -> int | None:
    """Where the block-level element that starts at ``start`` closes (just after its end tag)."""
    match = _START.match(chunk, start)
    if not match or match.group(1) not in _BLOCK_TAGS:
        return None
    tag = match.group(1)
    depth = 0
    pattern = _DEPTH.get(tag) or _DEPTH.setdefault(tag, re.compile(rf"<(/?){tag}(?=[\s>/])"))
    for m in pattern.finditer(chunk, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            end = chunk.find(">", m.end())
            return None if end < 0 else end + 1
    return None


def _one_block(chunk: str) -> str | None:
    """HIDE when Markdown would store ``chunk`` as exactly one raw HTML block;
    KEEP for such a block that names an anchor (MkDocs must see it); else None."""
    match = _START.match(chunk)
    if not match or match.group(1) not in _BLOCK_TAGS:
        return None
    tag = match.group(1)
    if (not chunk.endswith(f"</{tag}>") or chunk[0] in " \t" or "<!" in chunk or "<?" in chunk
            or "\x02" in chunk or "\x03" in chunk or "\n " in chunk or "\n\t" in chunk):
        return None
    lowered = chunk.lower()
    if "<script" in lowered or "<style" in lowered or "<pre" in lowered or "<textarea" in lowered:
        return None
    depth = 0
    end = len(chunk)
    pattern = _DEPTH.get(tag) or _DEPTH.setdefault(tag, re.compile(rf"<(/?){tag}(?=[\s>/])"))
    for m in pattern.finditer(chunk):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            # The outermost element must close at the very end of the chunk.
            if m.end() + 1 != end:
                return None
            named = ("id" in lowered or "name" in lowered) and _ANCHOR.search(chunk)
            return KEEP if named else HIDE
    return None
