"""Running one pure computation on a second core while MkDocs renders pages.

``Job(function)`` forks a child process that calls ``function()`` and sends the
result back through a pipe; ``job.result()`` waits for it. The result is always
what ``function()`` returns in this process: when forking is unavailable (not
Linux/Unix), pointless (one core) or fails, or the child dies, ``result()``
simply calls the function here.

The function must only compute: the child is a copy of the build process at
the moment of forking, must not log or write files, and is ended with
``os._exit`` by multiprocessing (no atexit handlers run there).
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any, Callable

_MISSING = object()


def _can_fork() -> bool:
    if os.environ.get("KB_NO_FORK"):
        return False
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


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
    def __init__(self, function: Callable[[], Any]):
        self.function = function
        self.forked = False
        self._value: Any = _MISSING
        self._process = None
        self._receiver = None
        if _can_fork():
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
