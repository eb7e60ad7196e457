"""Independent work on every core: ``chunked(function, count)`` calls ``function(start, stop)`` for
consecutive slices of ``range(count)`` and returns the results in order, the slices shared between this
process and forked workers.

The workers are forks of this process made when the work starts (``concurrent.futures.ProcessPoolExecutor``
with the ``fork`` start method): they see everything this process had computed up to then, so only the
slice bounds go to them and only the results come back. This process works too: it takes the slices from
the end that no worker has started (it cancels their futures), so neither side waits for the other.

``Job(function)`` instead runs one computation in a forked child while this process goes on (the records'
search documents while MkDocs renders, the print pages while it converts the others); ``job.result()``
waits for it, and is what ``function()`` returns here whatever happens: without fork, on one core
(``$KB_JOBS=1``, ``$KB_NO_FORK``) or when the child fails, it is simply computed here.

``function`` must only compute (no logging), or write files exactly as this process would (a failed child's
work is done again here, over what it wrote): a worker is a copy of this process.
Everything runs here, in order, when there is one core, when ``$KB_JOBS`` is ``1``, when ``fork`` is not
available, or when the work is too small to be worth a fork (``min_chunk``; ``$KB_SHARE_SMALL=1`` shares it
anyway). ``$KB_JOBS=N`` sets the number of processes (this one included) even on one core; tests use both. Any failure in a worker, or of the pool
itself, means the slice is computed here: the result is the same either way.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import secrets
import shutil
import subprocess
import sys
from concurrent.futures import CancelledError, ProcessPoolExecutor
from typing import Any, Callable

_work: Callable[[int, int], Any] | None = None  # what the forked workers call (set before they are forked)


def jobs() -> int:
    """How many processes share the work: ``$KB_JOBS``, else the cores this process may use."""
    wanted = os.environ.get("KB_JOBS", "").strip()
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if wanted:
        try:
            return max(1, int(wanted))
        except ValueError:
            return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, cores)


def room_for_a_copy(meminfo: str = "/proc/meminfo", statm: str = "/proc/self/statm") -> bool:
    """Whether the memory still available (``MemAvailable``) could hold another copy of this process (its
    resident size): a fork shares memory only until it is touched, and at 20,000 records each child may end up
    copying gigabytes — on a machine without that room the work stays in this process. True when unknown."""
    try:
        with open(meminfo, encoding="ascii") as handle:
            available = next(int(line.split()[1]) * 1024 for line in handle if line.startswith("MemAvailable:"))
        with open(statm, encoding="ascii") as handle:
            resident = int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, StopIteration):
        return True
    return available > resident


def release_free_memory() -> None:
    """Give the memory this process has freed back to the system before it forks (glibc's ``malloc_trim``;
    nothing elsewhere). A child shares every page this process holds, freed ones included; when this process
    later reuses a freed page, the page is copied and the child's copy of the garbage stays: at 20,000 records
    the store and the checks leave hundreds of megabytes freed but held."""
    global _trim
    if _trim is None:
        try:
            import ctypes

            _trim = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):
            _trim = False
    if _trim:
        _trim(0)


_trim = None


def small_too() -> bool:
    """``$KB_SHARE_SMALL=1``: share even work too small to gain from it (tests of a small project)."""
    return os.environ.get("KB_SHARE_SMALL") == "1"


def _run(start: int, stop: int) -> Any:
    return _work(start, stop)


def _bounds(count: int, chunks: int) -> list[tuple[int, int]]:
    size, extra = divmod(count, chunks)
    out, start = [], 0
    for i in range(chunks):
        stop = start + size + (i < extra)
        if stop > start:
            out.append((start, stop))
        start = stop
    return out


def chunked(function: Callable[[int, int], Any], count: int, *, min_chunk: int = 50,
            per_process: int = 4) -> list[Any]:
    """``[function(start, stop) for each slice]`` over ``range(count)``, on every core (see the module)."""
    if small_too():
        min_chunk = 1
    processes = min(jobs(), max(1, count // max(1, min_chunk)))
    if processes <= 1 or not room_for_a_copy():
        return [function(0, count)] if count else []
    bounds = _bounds(count, processes * per_process)
    global _work
    _work = function
    results: list[Any] = [None] * len(bounds)
    done = [False] * len(bounds)
    freeze = gc.get_freeze_count() == 0  # (mkdocs serve freezes what it built: leave that as it is)
    release_free_memory()
    if freeze:
        gc.freeze()  # the forks share this process's pages: a collection there would copy them all
    try:
        with ProcessPoolExecutor(processes - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_run, *b) for b in bounds]
            for i in range(len(bounds) - 1, -1, -1):  # from the end: the workers start at the front
                if futures[i].cancel():
                    results[i], done[i] = function(*bounds[i]), True
            for i, future in enumerate(futures):
                if not done[i]:
                    try:
                        results[i], done[i] = future.result(), True
                    except (CancelledError, Exception):  # noqa: BLE001 - computed here below
                        pass
    except Exception:  # noqa: BLE001 - no pool (no fork, no resources): everything here
        pass
    finally:
        _work = None
        if freeze:
            gc.unfreeze()
    for i, b in enumerate(bounds):
        if not done[i]:
            results[i] = function(*b)
    return results


# -- one computation beside this process ------------------------------------------------------

_MISSING = object()


def _can_fork() -> bool:
    if os.environ.get("KB_NO_FORK"):
        return False
    return jobs() > 1 and room_for_a_copy()


def _child(function: Callable[[], Any], sender) -> None:
    try:
        payload = (True, function())
    except BaseException as exc:  # noqa: BLE001 - the parent computes it again
        payload = (False, repr(exc))
    try:
        sender.send(payload)
    finally:
        sender.close()


class Job:
    """One pure computation on a second core while this process goes on (see the module's last part)."""

    def __init__(self, function: Callable[[], Any]):
        self.function = function
        self.forked = False
        self._value: Any = _MISSING
        self._process = None
        self._receiver = None
        if _can_fork():
            release_free_memory()
            try:
                context = multiprocessing.get_context("fork")
                receiver, sender = context.Pipe(duplex=False)
                process = context.Process(target=_child, args=(function, sender), daemon=True)
                process.start()
                sender.close()
                self._process, self._receiver, self.forked = process, receiver, True
            except Exception:  # noqa: BLE001 - fall back to computing in this process
                self._process = self._receiver = None

    def result(self) -> Any:
        if self._value is _MISSING:
            value = _MISSING
            if self._receiver is not None:
                try:
                    ok, payload = self._receiver.recv()  # before join: the pipe must be drained
                    if ok:
                        value = payload
                except Exception:  # noqa: BLE001 - the child died; compute here
                    pass
                self._finish()
            self._value = self.function() if value is _MISSING else value
        return self._value

    def cancel(self) -> None:
        """Stop the child (the build failed); nothing is computed."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
        self._finish()

    def _finish(self) -> None:
        if self._receiver is not None:
            self._receiver.close()
            self._receiver = None
        if self._process is not None:
            self._process.join(timeout=10)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
            self._process = None


# -- a folder nobody uses any more ------------------------------------------------------------

#: What a discarded folder is renamed to before it is removed: ``<path>.kb-discard-<random>``.
DISCARDED = ".kb-discard-"
_REMOVE = ("import glob, shutil, sys\n"
           "for path in [sys.argv[1], *glob.glob(glob.escape(sys.argv[2]) + '*')]:\n"
           "    shutil.rmtree(path, ignore_errors=True)\n")


def discard(path: str) -> None:
    """Remove the folder ``path``, which nothing reads any more, without waiting for it: it is renamed at once
    (``<path>.kb-discard-<random>``) and removed by a detached process, which also removes what an earlier one
    left (killed, say). At 2,000 records a previous site is 6,400 files: unlinking them took about 0.9 s at the
    end of every build. Removed here, waiting, when no process can be started or ``$KB_NO_FORK`` is set."""
    base = path.rstrip("/\\")
    if not os.path.isdir(base):
        return
    trash = f"{base}{DISCARDED}{secrets.token_hex(4)}"
    try:
        os.rename(base, trash)
    except OSError:
        shutil.rmtree(base, ignore_errors=True)
        return
    if not os.environ.get("KB_NO_FORK"):
        try:
            subprocess.Popen([sys.executable, "-c", _REMOVE, trash, base + DISCARDED], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                             close_fds=True)
            return
        except OSError:
            pass
    shutil.rmtree(trash, ignore_errors=True)
