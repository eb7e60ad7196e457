"""The store of the last run (.kb-cache/): what is taken from it is exactly what reading and checking finds,
a changed file or registry is read and checked again, and a broken, foreign or unwritable store changes nothing."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys

from conftest import FIXTURES, ROOT, registry_only
from kb.knowledge import load_knowledge_base
from kb.records import store


def _check(root, cache: str = "on") -> str:
    env = {**os.environ, "KB_CACHE": cache, "KB_SHARE_SMALL": "1", "PYTHONPATH": str(ROOT / "scripts")}
    done = subprocess.run([sys.executable, "-m", "kb", "--root", str(root), "check"], capture_output=True, text=True,
                          env=env)
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout + done.stderr


def _with_problems(tmp_path):
    root = registry_only(tmp_path / "kb")
    for source in sorted((FIXTURES / "invalid").glob("*.yml"))[:40] + sorted((FIXTURES / "valid").glob("*.yml")):
        shutil.copy(source, root / "solutions" / source.name)
    return root


def test_a_second_run_from_the_store_says_what_a_fresh_one_says(tmp_path):
    root = _with_problems(tmp_path)
    fresh = _check(root, "off")
    assert not (root / store.CACHE_DIR).exists()  # off: nothing written
    first, second = _check(root), _check(root)
    assert (root / store.CACHE_DIR / store.FILE).is_file()
    assert fresh.count("\n") > 40 and first == fresh and second == fresh


def test_the_model_from_the_store_is_the_model_read_afresh(tmp_path):
    root = shutil.copytree(FIXTURES / "kb", tmp_path / "kb")
    first = load_knowledge_base(root, "2026-12-01")
    again = load_knowledge_base(root, "2026-12-01")
    assert again.sources.store.hits == len(again.sources.records) > 0
    assert [r.data for r in again.kb.records] == [r.data for r in first.kb.records]
    assert [d.lines for d in again.sources.records] == [d.lines for d in first.sources.records]
    assert [str(p) for p in again.warnings] == [str(p) for p in first.warnings]


def test_positions_from_the_store_stay_packed_until_asked_and_are_then_those_read_afresh(tmp_path):
    root = shutil.copytree(FIXTURES / "kb", tmp_path / "kb")
    first = load_knowledge_base(root, "2026-12-01")
    again = load_knowledge_base(root, "2026-12-01")
    for loaded in (first, again):  # read afresh, then checked; taken from the store
        packed = [d for d in loaded.sources.records if "_positions" in d.__dict__ and "lines" not in d.__dict__]
        assert packed and len(packed) == len(loaded.sources.records)  # a clean knowledge base: no line asked for
    for fresh, stored in zip(first.sources.records, again.sources.records):
        assert (stored.strings, stored.key_lines) == (fresh.strings, fresh.key_lines)
        assert "strings" in stored.__dict__  # unpacked on first use
        stored.pack()
        assert "strings" not in stored.__dict__ and stored.line_of(("title",)) == fresh.line_of(("title",)) > 1
    again.sources.forget_positions()
    assert all(d.lines == {} and d.strings == [] for d in again.sources.records)


def test_a_changed_record_and_a_changed_registry_are_checked_again(tmp_path):
    root = shutil.copytree(FIXTURES / "kb", tmp_path / "kb")
    assert "没有发现" in _check(root)
    record = root / "solutions" / "sample-home-visit.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("status: published", "status: 已发布"), encoding="utf-8")
    changed = _check(root)
    assert "solutions/sample-home-visit.yml" in changed and "status" in changed
    assert _check(root) == changed == _check(root, "off")
    shutil.copy(FIXTURES / "kb" / "solutions" / "sample-home-visit.yml", record)
    laws = root / "solutions" / "_registry" / "laws.yml"
    text = laws.read_text(encoding="utf-8")
    assert "articles:" in text
    laws.write_text(text.replace("articles:", "articles: 1\n    old_articles:", 1), encoding="utf-8")
    assert _check(root) == _check(root, "off")


def test_a_broken_or_foreign_store_is_ignored_and_replaced(tmp_path):
    root = shutil.copytree(FIXTURES / "kb", tmp_path / "kb")
    fresh = _check(root, "off")
    path = root / store.CACHE_DIR / store.FILE
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b"\x00not marshal")
    assert _check(root) == fresh
    assert marshal.loads(path.read_bytes())["code"] == store.code_fingerprint()
    # a store of other code: every entry is ignored, even one that would say something else
    stored = marshal.loads(path.read_bytes())
    stored["code"] = "other"
    stored["checked"] = {key: ([("solutions/x.yml", 1, "id", "假的问题", "error")], True) for key in stored["checked"]}
    path.write_bytes(marshal.dumps(stored))
    assert _check(root) == fresh


def test_a_store_that_cannot_be_written_changes_nothing(tmp_path):
    root = shutil.copytree(FIXTURES / "kb", tmp_path / "kb")
    fresh = _check(root, "off")
    shutil.rmtree(root / store.CACHE_DIR, ignore_errors=True)
    (root / store.CACHE_DIR).write_text("a file where the folder would be", encoding="utf-8")
    assert _check(root) == fresh


def test_another_cache_gets_a_folder_per_code_and_versions_and_old_ones_go(tmp_path, monkeypatch):
    first = store.cache_dir(tmp_path, "jinja", "mkdocs 1.6.1")
    assert first.parent == tmp_path / store.CACHE_DIR / "jinja"
    assert store.cache_dir(tmp_path, "jinja", "mkdocs 1.6.1") == first
    first.mkdir(parents=True)
    (first / "kept").write_text("x", encoding="utf-8")
    second = store.cache_dir(tmp_path, "jinja", "mkdocs 1.6.2")
    assert second != first and not first.exists()  # another engine: what the old one compiled goes
    monkeypatch.setenv(store.ENV, "off")
    assert store.cache_dir(tmp_path, "jinja", "mkdocs 1.6.1") is None
