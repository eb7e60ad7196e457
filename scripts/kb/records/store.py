"""What the last run learnt about each record file, kept between runs in ``.kb-cache/`` beside ``solutions/``.

Reading a record (YAML with a line for every value) and checking it on its own (schema, text, personal
data, the guide's rules: they depend on the file and the registry only, see ``validate.Checker._record_problems``)
is most of what ``kb check`` and a build do before anything is rendered, and between two runs nearly every
file is the same. So each result is stored under the file's name and the SHA-256 of its bytes, and a
record's own problems also under the registry's bytes; everything is keyed as well by a fingerprint of the
``kb`` package's code and the Python version, so a changed rule or schema starts afresh. A file whose bytes
changed is read and checked again; nothing is trusted on a file's date.

The store is one ``marshal`` file (plain data only: no code is ever loaded from it), written to a temporary
file and renamed, so a run that stops half-way leaves the previous one. It is only ever an accelerator: a
missing, unreadable, foreign or stale store is ignored, a store that cannot be written is skipped, and
``KB_CACHE=off`` turns it off. What was found from it is exactly what reading and checking would find
(``tests/records/test_store.py``).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import shutil
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .report import Problem

CACHE_DIR = ".kb-cache"
FILE = "records.marshal"
ENV = "KB_CACHE"
#: The layout of what is stored: raised when it changes (the code fingerprint covers the rest).
VERSION = 2


def enabled() -> bool:
    return os.environ.get(ENV, "").strip().lower() not in ("off", "0", "no", "false")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over every source and data file of the ``kb`` package and the Python and marshal versions."""
    digest = hashlib.sha256(f"{VERSION} {sys.version} {marshal.version}".encode())
    package = Path(str(resources.files("kb")))
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".yml", ".yaml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def digest_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def problems_out(problems: list[Problem]) -> list[tuple]:
    return [(p.file, p.line, p.field, p.message, p.severity) for p in problems]


def problems_in(rows: list[tuple]) -> list[Problem]:
    return [Problem(*row) for row in rows]


class RecordStore:
    """The files of one knowledge base as last read and checked; ``None`` stands for "not known"."""

    def __init__(self, root: Path):
        self.path = Path(root) / CACHE_DIR / FILE
        self._read: dict[str, tuple] = {}
        self._checked: dict[str, tuple] = {}
        self._new_read: dict[str, tuple] = {}
        self._new_checked: dict[str, tuple] = {}
        self._memo: dict[str, Any] = {}
        self._new_memo: dict[str, Any] = {}
        self.hits = self.misses = 0
        self.registry_key = ""  # the digest of the registry's files, once read (kb.records.load.load_sources)
        self._load()

    def _load(self) -> None:
        try:
            with open(self.path, "rb") as handle:
                stored = marshal.load(handle)
        except (OSError, EOFError, ValueError, TypeError):
            return
        if isinstance(stored, dict) and stored.get("code") == code_fingerprint():
            self._read = stored.get("read") or {}
            self._checked = stored.get("checked") or {}
            self._memo = stored.get("memo") or {}

    # -- reading ---------------------------------------------------------------------------------------

    @staticmethod
    def key(display: str, digest: str) -> str:
        return f"{display}\0{digest}"

    def parsed(self, key: str) -> tuple | None:
        """(data, refused, problems, positions) of a file read before — new objects, the caller's to change;
        ``positions``: its lines and strings, still packed (``load.Document.stored``) — or None."""
        found = self._read.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self._new_read[key] = found
        data, refused, problems, positions = marshal.loads(found)
        return data, refused, problems_in(problems), positions

    def remember_parsed(self, key: str, doc) -> None:
        """Keep ``doc`` as read (frozen now: later changes to its data are not stored)."""
        self._new_read[key] = marshal.dumps((doc.data, doc.refused, problems_out(doc.problems), doc.packed_positions()))

    # -- a record's own problems -----------------------------------------------------------------------

    def checked(self, key: str, registry: str) -> tuple[list[Problem], bool] | None:
        found = self._checked.get(key + "\0" + registry)
        if found is None:
            return None
        self._new_checked[key + "\0" + registry] = found
        return problems_in(found[0]), found[1]

    def remember_checked(self, key: str, registry: str, problems: list[Problem], readable: bool) -> None:
        self._new_checked[key + "\0" + registry] = (problems_out(problems), readable)

    # -- other results of one record (plain data), under a key that says everything they depend on ----

    def memo(self, key: str) -> Any:
        found = self._memo.get(key)
        if found is not None:
            self._new_memo[key] = found
        return found

    def remember(self, key: str, value: Any) -> None:
        self._new_memo[key] = value

    # -- writing ---------------------------------------------------------------------------------------

    def save(self) -> None:
        """Keep what this run read and checked (and nothing of files gone); skipped without a word when the
        store cannot be written (a read-only checkout) or when nothing changed."""
        # A part this run did not use at all (``mkdocs serve`` checks in memory) is kept as it was.
        read, checked, memo = self._new_read or self._read, self._new_checked or self._checked, self._new_memo or self._memo
        if read == self._read and checked == self._checked and memo == self._memo:
            return
        stored: dict[str, Any] = {"code": code_fingerprint(), "read": read, "checked": checked, "memo": memo}
        try:
            payload = marshal.dumps(stored)
            self.path.parent.mkdir(exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".records.", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(payload)
                os.replace(temp, self.path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except (OSError, ValueError):
            return
        self._read, self._checked, self._memo = read, checked, memo

    def close(self) -> None:
        """``save``, then forget everything: a build goes on for minutes and forks, and at 20,000 records the
        store is a third of a gigabyte."""
        self.save()
        self._read, self._checked, self._memo = {}, {}, {}
        self._new_read, self._new_checked, self._new_memo = {}, {}, {}


def cache_dir(root: Path, name: str, *versions: str) -> Path | None:
    """``<root>/.kb-cache/<name>/<key>``, where another kind of thing kept between runs lives (compiled
    templates), or None when the cache is turned off. The key covers this package's code and ``versions`` (of
    the other programs that shape what is kept), so a change of either starts afresh; the folders of other
    keys are removed (best effort: two builds may run at once)."""
    if not enabled():
        return None
    key = hashlib.sha256(" ".join((code_fingerprint(), *versions)).encode()).hexdigest()[:16]
    parent = root / CACHE_DIR / name
    try:
        for old in parent.iterdir():
            if old.name != key and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass
    return parent / key


def open_store(root: Path) -> RecordStore | None:
    """The store of the knowledge base under ``root``, or None when turned off (``KB_CACHE=off``)."""
    return RecordStore(root) if enabled() else None
