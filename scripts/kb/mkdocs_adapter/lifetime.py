"""The heap of a ``mkdocs build`` run from the command line: no cyclic collection while it builds, no
teardown after it.

A build holds every record, page and index entry until it ends, and almost nothing it makes is cyclic
garbage (at 2,000 records a collection at the end frees about 13 MB). Yet Python's collector walks that
heap again and again — about 0.8 s of this process's time at 2,000 records — and in each forked child
(cards and print pages, the theme's share, the index workers) every walk also touches, and so copies,
pages the child shares with this process: another second of CPU and memory that ``gc.freeze`` before
each fork only partly saves. And after the site is written, Python's shutdown frees those millions of
objects one by one: 1.4–1.6 s at 2,000 records, for nothing, as the process is ending.

So, only for the ``build`` command of MkDocs' own command line (``on_startup``; not a program that builds
in its own process and goes on afterwards, such as ``kb bundle``), the collector is off until the build
ends, and once MkDocs has finished a build that succeeded this process flushes its output and ends at once
(``os._exit(0)``). A build that failed (MkDocs' own ``on_build_error``, strict mode's abort included) turns
the collector back on and exits as usual with MkDocs' own status. ``mkdocs serve`` and ``gh-deploy`` are
left as they are, and so is a site with a plugin this project does not know: its ``on_shutdown`` or
``atexit`` work is not skipped.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path
from typing import Callable

from . import plugins

_owned = False  # the collector was turned off here
_done = False  # the build succeeded and nothing is left to do


def mkdocs_command_line(argv: list[str] | None = None) -> bool:
    """Is this process MkDocs' own command line (``mkdocs …``, ``python -m mkdocs …``)?"""
    args = argv if argv is not None else sys.argv
    program = Path(args[0] if args else "")
    return program.name.lower() in ("mkdocs", "mkdocs.exe", "mkdocs-script.py") or (
        program.name == "__main__.py" and program.parent.name == "mkdocs")


def start(command: str, argv: list[str] | None = None) -> None:
    """``on_startup``: a command-line ``mkdocs build`` builds without the cyclic collector."""
    global _owned, _done
    _done = False
    if command == "build" and mkdocs_command_line(argv) and gc.isenabled():
        gc.disable()
        _owned = True


def succeeded(config) -> None:
    """End of ``on_post_build``: the site is in place; may the process skip its teardown?"""
    global _done
    _done = _owned and plugins.only_plain_plugins(config)


def failed() -> None:
    """``on_build_error``: the collector runs again, and the process exits as MkDocs decides."""
    global _owned, _done
    _done = False
    if _owned:
        gc.enable()
        _owned = False


def shutdown(exit_now: Callable[[int], None] = os._exit) -> None:
    """``on_shutdown``: after a build that succeeded, flush and end the process; else restore the collector."""
    if _done:
        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        exit_now(0)
    failed()
