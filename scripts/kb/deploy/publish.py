"""Releases: publish both editions into a new folder, then switch ``current`` in one rename.

Layout of a publishing target ``DIR`` (contract: DESIGN.md, "Deployment")::

    DIR/current -> releases/20260130-140501      the symlink the web server reads through
    DIR/releases/20260130-140501/public/         mkdocs build
    DIR/releases/20260130-140501/internal/       mkdocs build -f mkdocs.internal.yml
    DIR/releases/.partial-20260130-150002/       a publish under way (never served)
    DIR/.kb-history                              the releases that were live, oldest first, one a line
    DIR/.kb-publish.lock                         one publish or rollback at a time

A publish checks the knowledge base, builds both editions into a hidden partial
folder, renames it into place only when both builds succeeded, points a new
temporary symlink at it and renames that over ``current`` (``os.replace``: a
reader sees the old release or the new one, never a mixture), and only then
removes releases beyond ``keep`` -- never the one ``current`` points at. Any
failure or interruption (Ctrl-C, ``kill``) removes what this publish made and
leaves ``current`` and every previous release as they were; a publish killed
outright (``kill -9``) leaves a hidden partial folder that the next publish
removes. Both renames stay inside ``DIR``; ``releases/`` on another file system
than ``current`` is refused, because a rename across devices is a copy, not an
atomic switch. The pattern is Capistrano's ``releases/`` + ``current``.

Rollback follows the history of what was live, not the order of the names: a
publish pushes its release onto ``.kb-history``, a rollback pops the live one and
points ``current`` at the one below it. So after publish A, publish B, rollback
(to A), publish C, a rollback goes back to A -- never to B, the release that was
abandoned. Pruning keeps the last ``keep`` releases of that history (the live one
is the last) and removes every other release, so it never deletes one a rollback
would go to. The history is rewritten in one rename after the switch; if the two
disagree (a crash in between, a target published by an older kb without a
history, a link changed by hand), ``current`` wins: see :func:`_history`.

Errors are :class:`DeployError` with a Chinese message (and optional detail
lines); nothing is changed when one is raised before the switch.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

RELEASES = "releases"
CURRENT = "current"
LOCK = ".kb-publish.lock"
HISTORY = ".kb-history"
PARTIAL = ".partial-"
TRASH = ".trash-"
DEFAULT_KEEP = 5
# (edition folder, MkDocs configuration) -- both editions go into every release.
EDITIONS = (("public", "mkdocs.yml"), ("internal", "mkdocs.internal.yml"))

_STAMP = re.compile(r"^(\d{8}-\d{6})(?:-(\d+))?$")


class DeployError(Exception):
    """A publish or rollback that cannot go ahead; ``details`` are extra lines (a build log, problems)."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details


class Interrupted(DeployError):
    """Ctrl-C or SIGTERM during a publish; what it made has been removed."""


@dataclass(frozen=True)
class Target:
    """A publishing target: ``root`` (DIR), its ``releases/`` folder and its ``current`` symlink."""

    root: Path

    @property
    def releases(self) -> Path:
        return self.root / RELEASES

    @property
    def current(self) -> Path:
        return self.root / CURRENT

    def release_names(self) -> list[str]:
        """Complete releases, oldest first (by stamp, then by the -N suffix of a same-second release)."""
        if not self.releases.is_dir():
            return []
        names = [p.name for p in self.releases.iterdir() if _STAMP.match(p.name) and p.is_dir()]
        return sorted(names, key=_order)

    def current_name(self) -> str | None:
        """The release ``current`` points at (None: no ``current`` yet)."""
        if not os.path.islink(self.current):
            return None
        target = Path(os.readlink(self.current))
        resolved = Path(os.path.normpath(self.root / target))
        if resolved.parent != Path(os.path.normpath(self.releases)) or not _STAMP.match(resolved.name):
            raise DeployError(f"{self.current} 指向 {target}，不是 {self.releases} 里的某个版本；请先手动检查这个链接。")
        return resolved.name


@dataclass(frozen=True)
class Published:
    release: Path
    previous: str | None
    removed: list[str]


def _order(name: str) -> tuple[str, int]:
    match = _STAMP.match(name)
    return match.group(1), int(match.group(2) or 1)


def _new_stamp(existing: list[str], now: _dt.datetime) -> str:
    """A name that sorts after every existing release, even if the clock went back or two publishes share a second."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    if existing:
        last_stamp, last_n = _order(existing[-1])
        if (stamp, 1) <= (last_stamp, last_n):
            return f"{last_stamp}-{last_n + 1}"
    return stamp


def _writable(directory: Path) -> None:
    """Raise unless a file can really be created in ``directory`` (os.access lies for root and read-only mounts)."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".kb-probe-", dir=directory)
    except OSError as exc:
        raise DeployError(f"目录不可写：{directory}（{exc.strerror}）；请换一个目录，或给运行 kb 的用户写权限。") from None
    os.close(fd)
    os.unlink(probe)


def check_target(path: Path) -> Target:
    """Validate a publishing target without changing anything; ``path`` need not exist yet.

    Errors: ``path`` (or a folder above it) is a file; it is not writable; its
    ``releases/`` or ``current`` is not what a publish made; ``releases/`` is on
    another file system (device) than ``current``.
    """
    root = Path(os.path.abspath(path))
    if root.exists() and not root.is_dir():
        raise DeployError(f"--to 指向的是一个文件，不是目录：{root}")
    existing = root
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        raise DeployError(f"--to 的上级 {existing} 是一个文件，不是目录，无法在其中创建 {root}")
    _writable(existing)
    target = Target(root)
    releases = target.releases
    if os.path.lexists(releases):
        if not releases.is_dir():
            raise DeployError(f"{releases} 不是目录；kb publish 把每个版本放在这个目录里，请先移走它。")
        _writable(releases)
        if os.stat(releases).st_dev != os.stat(root).st_dev:
            raise DeployError(
                f"{releases} 与 {target.current} 不在同一个磁盘（文件系统）上：跨磁盘的改名不是原子操作，"
                f"切换版本时网站可能看到一半的内容。请让 releases/ 和 current 位于同一个磁盘"
                f"（不要把 releases/ 做成指向其他磁盘的链接或挂载点），或换一个 --to 目录。"
            )
    if os.path.lexists(target.current) and not os.path.islink(target.current):
        raise DeployError(
            f"{target.current} 已存在但不是符号链接；kb publish 不会覆盖它。请把它移走，"
            f"或换一个 --to 目录。"
        )
    target.current_name()  # a current that points outside releases/ is refused too
    return target


@contextlib.contextmanager
def _locked(target: Target) -> Iterator[None]:
    target.root.mkdir(parents=True, exist_ok=True)
    with open(target.root / LOCK, "a", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise DeployError(f"另一个 kb publish 或 kb rollback 正在 {target.root} 上运行；请等它结束后再试。") from None
            raise
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM (``kill``) into an exception so the cleanup below runs, as it does for Ctrl-C."""

    def handler(signum, frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _switch(target: Target, name: str) -> None:
    """Point ``current`` at ``releases/name`` in one rename of a new symlink over the old one."""
    temporary = target.root / f".{CURRENT}-{os.getpid()}.tmp"
    if os.path.lexists(temporary):
        os.unlink(temporary)
    os.symlink(f"{RELEASES}/{name}", temporary)  # relative: DIR may be moved or mounted elsewhere
    try:
        os.replace(temporary, target.current)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_dir(target.root)


def _history(target: Target) -> list[str]:
    """The releases that were live, oldest first, ending with the one ``current`` points at ([]: none).

    Entries whose folder is gone are skipped. When the history does not end with ``current``: if
    ``current`` is in it, the entries above it are dropped (a rollback that switched but did not get to
    rewrite the history); if not, ``current`` goes on top (a publish that switched but did not get to
    write it, or a link changed by hand). A target without a history (published before it existed) is
    read as before: every release up to ``current`` in the order of their names."""
    current = target.current_name()
    if current is None:
        return []
    existing = set(target.release_names())
    path = target.root / HISTORY
    try:
        lines = path.read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return [name for name in target.release_names() if _order(name) <= _order(current)]
    except (OSError, UnicodeDecodeError) as exc:
        raise DeployError(f"读不了发布历史 {path}（{exc}）；请检查这个文件，或删掉它（回退将按版本名的先后）。") from None
    names: list[str] = []
    for name in lines:
        if _STAMP.match(name) and name in existing and name not in names:
            names.append(name)
    if current in names:
        return names[:names.index(current) + 1]
    return names + [current]


def _write_history(target: Target, names: list[str]) -> None:
    """Replace ``.kb-history`` in one rename (a reader never sees half a file)."""
    temporary = target.root / f"{HISTORY}-{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write("".join(f"{name}\n" for name in names))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target.root / HISTORY)
    _fsync_dir(target.root)


def _remove(path: Path) -> None:
    """Delete a release folder: first renamed aside (hidden), so a half-deleted folder is never a release."""
    trash = path.with_name(TRASH + path.name)
    os.rename(path, trash)
    shutil.rmtree(trash, ignore_errors=True)


def _clean_stale(target: Target) -> list[str]:
    """Remove what an earlier publish killed outright left behind (safe: we hold the lock)."""
    stale = []
    if target.releases.is_dir():
        for entry in target.releases.iterdir():
            if entry.name.startswith((PARTIAL, TRASH)):
                shutil.rmtree(entry, ignore_errors=True)
                stale.append(entry.name)
    for pattern in (f".{CURRENT}-*.tmp", f"{HISTORY}-*.tmp"):
        for entry in target.root.glob(pattern):
            with contextlib.suppress(OSError):
                entry.unlink()
    return stale


def _die_with_parent() -> Callable[[], None] | None:
    """Linux: make the build get SIGKILL when kb dies, even by ``kill -9``, so no orphan keeps writing a
    partial release. Returns the function to run in the child (prepared here: no imports after fork)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return lambda: prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _build(project: Path, config: str, out: Path) -> tuple[int, str]:
    """``mkdocs build`` of one edition into ``out``; returns (exit code, log).

    The build stays in kb's process group (Ctrl-C in a terminal reaches both),
    is killed when the publish is interrupted, and dies with kb on Linux.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / config), "-d", str(out)],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        preexec_fn=_die_with_parent(),
    )
    try:
        log, _ = process.communicate()
    except BaseException:
        process.kill()
        process.wait()
        raise
    return process.returncode, log


def _warnings(log: str) -> list[str]:
    """MkDocs' warning lines ("WARNING -  message"), without the prefix."""
    return [line.partition("-")[2].strip() for line in log.splitlines() if line.startswith("WARNING")]


def _check_project(project: Path) -> None:
    from ..records import report
    from ..knowledge import load_knowledge_base

    for _, config in EDITIONS:
        if not (project / config).is_file():
            raise DeployError(f"在 {project} 下找不到 {config}；请在项目根目录运行，或用 --root 指定。")
    if not (project / "solutions").is_dir():
        raise DeployError(f"在 {project} 下找不到 solutions/ 目录；请在项目根目录运行，或用 --root 指定。")
    loaded = load_knowledge_base(project)
    if loaded.problems:
        raise DeployError(
            f"知识库有 {len(loaded.problems)} 个问题，没有发布；current 和已有版本都没有改动。请先运行 kb check 并修正。",
            report.render_text(loaded.problems),
        )


def publish(project: Path, to: Path, keep: int = DEFAULT_KEEP, say: Callable[[str], None] = print,
            now: Callable[[], _dt.datetime] = _dt.datetime.now) -> Published:
    """Check, build both editions into a new release under ``to``, switch ``current``, prune beyond ``keep``.

    ``say`` receives progress lines (build warnings included). Raises
    :class:`DeployError` (nothing changed) or :class:`Interrupted` (what this
    publish made is removed).
    """
    if keep < 1:
        raise DeployError(f"--keep 至少为 1（当前版本本身），收到 {keep}")
    project = Path(os.path.abspath(project))
    target = check_target(to)
    _check_project(project)
    with _locked(target), _terminate_as_interrupt():
        target.releases.mkdir(exist_ok=True)
        stale = _clean_stale(target)
        if stale:
            say(f"清理了上次中断的发布留下的半成品：{'、'.join(stale)}")
        previous = target.current_name()
        history = _history(target)
        name = _new_stamp(target.release_names(), now())
        partial = target.releases / f"{PARTIAL}{name}"
        release = target.releases / name
        try:
            partial.mkdir()
            for edition, config in EDITIONS:
                label = "公开版" if edition == "public" else "内部版"
                say(f"构建{label}（{config}）……")
                code, log = _build(project, config, partial / edition)
                if code != 0 or not (partial / edition / "index.html").is_file():
                    raise DeployError(
                        f"{label}构建失败，没有发布；current 和已有版本都没有改动。构建输出见上。",
                        log.strip(),
                    )
                for line in _warnings(log):
                    say(f"{label}：{line}" if "警告" in line else f"{label}警告：{line}")
            os.rename(partial, release)
            _switch(target, name)
        except KeyboardInterrupt:
            raise Interrupted("发布被中断；这次发布建了一半的内容已删除，current 和已有版本都没有改动。") from None
        finally:
            if not _points_at(target, name):  # anything short of a switch leaves no trace
                shutil.rmtree(partial, ignore_errors=True)
                shutil.rmtree(release, ignore_errors=True)
        history = (history + [name])[-keep:]
        _write_history(target, history)
        removed = _prune(target, history)
    return Published(release=release, previous=previous, removed=removed)


def _points_at(target: Target, name: str) -> bool:
    return os.path.islink(target.current) and os.readlink(target.current) == f"{RELEASES}/{name}"


def _prune(target: Target, history: list[str]) -> list[str]:
    """Remove every release but those of ``history`` (what a rollback can go back to) and the live one."""
    keep_names = set(history) | {target.current_name()}
    removed = [name for name in target.release_names() if name not in keep_names]
    for name in removed:
        _remove(target.releases / name)
    return removed


def rollback(to: Path) -> tuple[str, str]:
    """Point ``current`` at the release that was live before it (``.kb-history``); returns (from, to)."""
    target = check_target(to)
    if not target.root.is_dir():
        raise DeployError(f"{target.root} 不存在：这里还没有发布过（kb publish --to {to}）。")
    with _locked(target):
        current = target.current_name()
        if current is None:
            raise DeployError(f"{target.current} 不存在：这里还没有发布过，无从回退。")
        history = _history(target)
        if len(history) < 2:
            raise DeployError(f"current 指向的 {current} 已是最早的版本，没有更早的版本可以回退"
                              f"（发布历史 {target.root / HISTORY} 里没有它之前的版本）。")
        _switch(target, history[-2])
        _write_history(target, history[:-1])
        return current, history[-2]
