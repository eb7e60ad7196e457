"""A command-line build runs without the cyclic collector and skips Python's teardown once it succeeded
(kb/mkdocs_adapter/lifetime.py); a failed one exits as MkDocs decides."""

from __future__ import annotations

import gc
from types import SimpleNamespace

import pytest

from conftest import mkdocs_build
from kb.mkdocs_adapter import lifetime


@pytest.fixture(autouse=True)
def _collector_restored():
    enabled = gc.isenabled()
    yield
    lifetime.failed()
    (gc.enable if enabled else gc.disable)()


CLI = ["/venv/bin/mkdocs", "build"]


def _config(*plugins: str):
    return SimpleNamespace(plugins={name: None for name in plugins})


def test_a_successful_build_ends_the_process_at_once():
    exits = []
    lifetime.start("build", CLI)
    assert not gc.isenabled()
    lifetime.succeeded(_config("material/search", "/p/scripts/kb_hooks.py"))
    lifetime.shutdown(exits.append)
    assert exits == [0]


def test_a_failed_build_turns_the_collector_back_on_and_exits_as_usual():
    exits = []
    lifetime.start("build", CLI)
    lifetime.succeeded(_config("search", "kb_hooks.py"))
    lifetime.failed()  # strict mode's abort comes after on_post_build
    assert gc.isenabled()
    lifetime.shutdown(exits.append)
    assert exits == []


def test_a_program_that_builds_in_its_own_process_goes_on_afterwards():
    exits = []
    for argv in (["/venv/bin/kb", "bundle"], ["/repo/scripts/kb/__main__.py"], ["-c"], [""]):
        lifetime.start("build", argv)  # kb bundle calls on_startup("build") and on_shutdown itself
        assert gc.isenabled()
        lifetime.succeeded(_config("search", "kb_hooks.py"))
        lifetime.shutdown(exits.append)
    assert exits == []
    assert lifetime.mkdocs_command_line(["/usr/lib/python3/site-packages/mkdocs/__main__.py", "build"])


def test_serve_and_unknown_plugins_are_left_alone():
    exits = []
    lifetime.start("serve", CLI)
    assert gc.isenabled()
    lifetime.succeeded(_config("search", "kb_hooks.py"))
    lifetime.shutdown(exits.append)
    lifetime.start("build", CLI)
    lifetime.succeeded(_config("search", "kb_hooks.py", "rss"))  # its on_shutdown may have work to do
    lifetime.shutdown(exits.append)
    assert exits == [] and gc.isenabled()


@pytest.mark.slow
def test_the_command_line_build_reports_and_its_status_is_mkdocs_own(project):
    work = project
    done = mkdocs_build(work)
    assert done.returncode == 0, done.stderr
    assert "Documentation built in" in done.stderr  # flushed before the process ended
    assert (work / "site" / "search").is_dir()
    (work / "docs" / "broken-link.md").write_text("# 坏链接\n\n[没有这一页](no-such-page.md)\n", encoding="utf-8")
    strict = mkdocs_build(work, "--strict")  # MkDocs aborts after on_post_build
    assert strict.returncode == 1, strict.stderr
    assert "Aborted with" in strict.stdout + strict.stderr
