"""kb publish / kb rollback on real builds: releases, one-rename switches, failures that change nothing."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import ROOT, make_project, run_kb
from kb.deploy import publish as deploy

pytestmark = pytest.mark.slow


def releases(www: Path) -> list[str]:
    return sorted(p.name for p in (www / "releases").iterdir())


def current(www: Path) -> str:
    return os.readlink(www / "current")


def snapshot(www: Path) -> dict:
    """Everything a failed publish must leave as it was: the link and every file of every release."""
    return {
        "current": current(www) if os.path.lexists(www / "current") else None,
        "files": sorted(str(p.relative_to(www)) for p in www.rglob("*") if p.name != deploy.LOCK),
    }


def publish(project: Path, www: Path, *args: str) -> subprocess.CompletedProcess:
    return run_kb("publish", "--to", str(www), *args, cwd=project)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A project and a target with two releases."""
    base = tmp_path_factory.mktemp("deploy")
    project = make_project(base / "project")
    www = base / "www"
    first = publish(project, www)
    assert first.returncode == 0, first.stderr
    time.sleep(1.1)
    second = publish(project, www)
    assert second.returncode == 0, second.stderr
    return project, www, first, second


@pytest.fixture
def target(published, tmp_path):
    """A private copy of the published target (symlinks kept), for tests that change it."""
    project, www, _, _ = published
    copy = tmp_path / "www"
    shutil.copytree(www, copy, symlinks=True)
    return project, copy


def test_publish_builds_both_editions_and_points_current_at_the_new_release(published):
    project, www, first, second = published
    names = releases(www)
    assert len(names) == 2 and all(re.fullmatch(r"\d{8}-\d{6}", n) for n in names)
    assert current(www) == f"releases/{names[1]}"  # relative: the folder can move
    for edition in ("public", "internal"):
        assert (www / "current" / edition / "index.html").is_file()
    assert (www / "current" / "internal" / "guides" / "sample-draft" / "index.html").is_file()
    assert not (www / "current" / "public" / "guides" / "sample-draft").exists()
    assert f"已发布：{www / 'releases' / names[1]}" in second.stdout
    assert f"上一个版本：{names[0]}" in second.stdout
    # build warnings reach the operator: here the missing site_url, once per edition
    assert second.stderr.count("警告：未设置 site_url") == 2
    assert not [p for p in (www / "releases").iterdir() if p.name.startswith(".")]


def test_rollback_goes_back_one_release_and_says_which(target):
    project, www = target
    older, newer = releases(www)
    result = run_kb("rollback", "--to", str(www))
    assert result.returncode == 0, result.stderr
    assert current(www) == f"releases/{older}"
    assert result.stdout.strip() == f"已回退：current 从 {newer} 改为指向 {older}"
    assert releases(www) == [older, newer]  # nothing deleted
    again = run_kb("rollback", "--to", str(www))
    assert again.returncode == 1 and "已是最早的版本" in again.stderr and "Traceback" not in again.stderr
    assert current(www) == f"releases/{older}"


def test_keep_prunes_only_after_the_switch_and_never_current(target):
    project, www = target
    older, newer = releases(www)
    result = publish(project, www, "--keep", "2")
    assert result.returncode == 0, result.stderr
    names = releases(www)
    assert len(names) == 2 and older not in names and newer in names
    assert current(www) == f"releases/{names[-1]}" and f"删除了较早的版本：{older}" in result.stdout
    # after a rollback, the release current points at survives any pruning
    assert run_kb("rollback", "--to", str(www)).returncode == 0
    assert deploy._prune(deploy.Target(www), []) == [names[-1]]  # only the release rolled back from goes
    assert current(www) == f"releases/{newer}" and releases(www) == [newer]


def test_a_rollback_after_a_rollback_and_a_publish_goes_to_what_was_live(target):
    """Issue #26: publish A, publish B, rollback (to A), publish C -- a rollback now goes to A, not to B."""
    project, www = target
    a, b = releases(www)
    assert run_kb("rollback", "--to", str(www)).returncode == 0
    third = publish(project, www)
    assert third.returncode == 0, third.stderr
    c = current(www).removeprefix("releases/")
    assert f"上一个版本：{a}" in third.stdout
    assert (www / deploy.HISTORY).read_text(encoding="utf-8") == f"{a}\n{c}\n"
    result = run_kb("rollback", "--to", str(www))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"已回退：current 从 {c} 改为指向 {a}"
    assert current(www) == f"releases/{a}"
    assert run_kb("rollback", "--to", str(www)).returncode == 1


def test_a_broken_knowledge_base_changes_nothing(target):
    project, www = target
    before = snapshot(www)
    record = project / "solutions" / "sample-home-visit.yml"
    saved = record.read_text(encoding="utf-8")
    record.write_text(saved.replace("legal_basis:", "legal_basiss:"), encoding="utf-8")
    try:
        result = publish(project, www)
    finally:
        record.write_text(saved, encoding="utf-8")
    assert result.returncode == 1
    assert "solutions/sample-home-visit.yml" in result.stderr and "没有发布" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(www) == before


def test_a_failed_build_removes_the_half_release(target):
    """The public edition builds, the internal one fails: no trace of the release, current as it was."""
    project, www = target
    before = snapshot(www)
    config = project / "mkdocs.internal.yml"
    saved = config.read_text(encoding="utf-8")
    config.write_text(saved + "\nmarkdown_extensions:\n  - no_such_extension_kb\n", encoding="utf-8")
    try:
        result = publish(project, www)
    finally:
        config.write_text(saved, encoding="utf-8")
    assert result.returncode == 1
    assert "错误：内部版构建失败" in result.stderr and "no_such_extension_kb" in result.stderr
    assert "构建公开版" in result.stderr  # the first edition did build
    assert snapshot(www) == before


def _start_publish(project: Path, www: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kb", "publish", "--to", str(www)],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT / "scripts"), "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a job in a terminal
    )


def _wait_for_partial(www: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any((www / "releases").glob(".partial-*/public*")):
            time.sleep(0.3)  # well inside the build
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("the publish never started building")


@pytest.mark.parametrize("how", ["ctrl-c", "kill"])
def test_an_interrupted_publish_leaves_no_half_release(target, how):
    project, www = target
    before = snapshot(www)
    process = _start_publish(project, www)
    _wait_for_partial(www, process)
    if how == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)  # the terminal sends it to the whole job
    else:
        os.kill(process.pid, signal.SIGTERM)  # `kill PID` reaches kb only
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "发布被中断" in err and "Traceback" not in err
    time.sleep(0.5)  # a build that outlived kb would show up now
    assert snapshot(www) == before


def test_a_publish_killed_outright_is_cleaned_up_by_the_next(target):
    project, www = target
    process = _start_publish(project, www)
    _wait_for_partial(www, process)
    os.kill(process.pid, signal.SIGKILL)  # kb only: its build must not live on and keep writing
    process.wait(timeout=30)
    left = [p.name for p in (www / "releases").glob(".partial-*")]
    assert left, "kill -9 leaves its partial folder (nothing can run)"
    time.sleep(1)
    assert not [line for line in subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout.splitlines()
                if "mkdocs build" in line and str(www) in line], "the build outlived kb"
    before = current(www)
    result = publish(project, www)
    assert result.returncode == 0, result.stderr
    assert f"清理了上次中断的发布留下的半成品：{left[0]}" in result.stderr
    assert not list((www / "releases").glob(".*")) and current(www) != before


def test_one_publish_at_a_time(target):
    project, www = target
    before = snapshot(www)
    with open(www / deploy.LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = publish(project, www)
        rollback = run_kb("rollback", "--to", str(www))
    assert result.returncode == 1 and "正在" in result.stderr and "运行" in result.stderr
    assert rollback.returncode == 1 and "Traceback" not in rollback.stderr
    assert snapshot(www) == before


def test_to_a_file_is_refused(published, tmp_path):
    project = published[0]
    file = tmp_path / "www"
    file.write_text("not a folder", encoding="utf-8")
    result = publish(project, file)
    assert result.returncode == 1
    assert result.stderr.strip() == f"错误：--to 指向的是一个文件，不是目录：{file}"
    assert file.read_text(encoding="utf-8") == "not a folder"


def test_to_a_folder_that_is_not_writable_is_refused(published):
    project = published[0]
    base = Path(tempfile.mkdtemp(prefix="kb-ro-"))
    try:
        www = base / "www"
        www.mkdir()
        if os.geteuid() == 0:  # root writes anywhere: try as nobody, for whom the folder is read-only
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            base.chmod(0o755)
        else:
            command = []
            www.chmod(0o555)
        result = subprocess.run(
            [*command, sys.executable, "-m", "kb", "publish", "--to", str(www)],
            cwd="/", capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "scripts")},
        )
        assert result.returncode == 1, result.stderr
        assert f"错误：目录不可写：{www}" in result.stderr and "Traceback" not in result.stderr
        assert list(www.iterdir()) == []
    finally:
        www.chmod(0o755)
        shutil.rmtree(base)


def test_releases_on_another_disk_than_current_is_refused(target):
    project, www = target
    other = Path(tempfile.mkdtemp(prefix="kb-other-", dir="/dev/shm"))
    try:
        assert os.stat(other).st_dev != os.stat(www).st_dev, "needs /dev/shm on its own file system"
        shutil.move(str(www / "releases"), other / "releases")
        (www / "releases").symlink_to(other / "releases")
        before = snapshot(www)
        result = publish(project, www)
        assert result.returncode == 1
        assert "不在同一个磁盘" in result.stderr and "Traceback" not in result.stderr
        assert snapshot(www) == before and sorted(os.listdir(other / "releases")) == sorted(os.listdir(www / "releases"))
    finally:
        shutil.rmtree(other)


def test_a_current_that_is_not_a_symlink_is_refused(published, tmp_path):
    project = published[0]
    www = tmp_path / "www"
    (www / "current").mkdir(parents=True)
    (www / "current" / "index.html").write_text("hand-made", encoding="utf-8")
    for args in (("publish", "--to", str(www)), ("rollback", "--to", str(www))):
        result = run_kb(*args, cwd=project)
        assert result.returncode == 1 and "不是符号链接" in result.stderr and "Traceback" not in result.stderr
    assert (www / "current" / "index.html").read_text(encoding="utf-8") == "hand-made"
    assert not (www / "releases").exists()


def test_rollback_without_a_release_says_so(tmp_path):
    result = run_kb("rollback", "--to", str(tmp_path / "nothing"))
    assert result.returncode == 1 and "还没有发布过" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "nothing").exists()


def test_release_names_always_sort_after_the_last_one():
    at = dt.datetime(2026, 3, 1, 9, 30, 5)
    assert deploy._new_stamp([], at) == "20260301-093005"
    assert deploy._new_stamp(["20260301-093005"], at) == "20260301-093005-2"  # the same second
    assert deploy._new_stamp(["20260301-093005-9"], at) == "20260301-093005-10"
    assert deploy._new_stamp(["20270101-000000"], at) == "20270101-000000-2"  # the clock went back
    names = ["20260301-093005-10", "20260301-093005", "20260301-093005-9", "20260301-093006"]
    assert sorted(names, key=deploy._order) == ["20260301-093005", "20260301-093005-9", "20260301-093005-10",
                                                  "20260301-093006"]
