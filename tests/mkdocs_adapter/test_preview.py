"""preview: after any sequence of saves, the site `mkdocs serve` serves equals a clean build, byte for byte.

MkDocs' own functions are driven in this process the way `mkdocs serve` drives them: a full
build in serve mode, then the server's rebuild after each save (kb/preview.py takes it over).
After every save the served folder is compared with a clean build of the same files.
"""

from __future__ import annotations

import filecmp
import os
import re
from pathlib import Path

import pytest

from conftest import make_project

pytestmark = pytest.mark.slow

URL = "http://127.0.0.1:8765/"


class FakeServer:
    """The part of MkDocs' LiveReloadServer the preview uses."""

    def __init__(self, project: Path):
        self._watched_paths = {str(project / "docs"): 1, str(project / "mkdocs.yml"): 1,
                               str(project / "solutions"): 1, str(project / "scripts" / "kb"): 1}
        self.builder = None

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        return content


class Serving:
    def __init__(self, project: Path, config_file: str, site: Path):
        from mkdocs.commands.build import build

        from kb.mkdocs_adapter.preview import current

        self.project, self.config_file, self.site, self.build = project, config_file, site, build
        self.preview = current
        os.chdir(project)
        config = self.config()
        config.plugins.on_startup(command="serve", dirty=False)
        build(config, serve_url=URL)
        self.server = FakeServer(project)
        self.full_builds = 0

        def full_build():
            self.full_builds += 1
            self.build(self.config(), serve_url=URL)

        current.install(self.server, full_build, config)

    def config(self, site: Path | None = None):
        from mkdocs.config import load_config

        config = load_config(str(self.project / self.config_file), site_dir=str(site or self.site))
        config.site_url = URL
        return config

    def save(self, name: str, change) -> None:
        path = self.project / "solutions" / name
        text = path.read_text(encoding="utf-8")
        new = change(text)
        assert new != text
        path.write_text(new, encoding="utf-8")
        self.server.builder()

    def clean_build(self, site: Path) -> None:
        command = self.preview.command
        self.preview.command = "build"  # a plain build: the preview keeps what serving made
        try:
            self.build(self.config(site), serve_url=URL)
        finally:
            self.preview.command = command


def differences(a: Path, b: Path) -> list[str]:
    found = []
    compare = filecmp.dircmp(a, b)

    def walk(c, prefix=""):
        found.extend(prefix + n for n in c.left_only + c.right_only + c.funny_files)
        found.extend(prefix + n for n in c.diff_files)
        for name, sub in c.subdirs.items():
            walk(sub, prefix + name + "/")

    walk(compare)
    return sorted(found)


def same_bytes(a: Path, b: Path) -> list[str]:
    """Files that differ, compared by content (filecmp's shallow check trusts size and time)."""
    bad = []
    left = {p.relative_to(a): p for p in a.rglob("*") if p.is_file()}
    right = {p.relative_to(b): p for p in b.rglob("*") if p.is_file()}
    bad += [str(p) for p in left.keys() ^ right.keys()]
    bad += [str(p) for p in left.keys() & right.keys() if left[p].read_bytes() != right[p].read_bytes()]
    return sorted(bad)


#: (file, what, change, a partial update?) -- a domain left empty removes its print volume: a full rebuild.
EDITS = [
    ("sample-home-visit.yml", "summary", lambda t: t.replace("summary: ", "summary: 改过的概述。", 1), True),
    ("sample-home-visit.yml", "title", lambda t: re.sub(r"(?m)^title: (.*)$", r"title: \1（改名）", t, count=1), True),
    ("sample-home-visit.yml", "law", lambda t: t.replace(
        "  - law: jumin-shenfenzheng-fa\n    article: 第三条第三款", "  - law: xingzheng-xuke-fa\n    article: 第三条第三款", 1),
     True),
    ("sample-draft.yml", "draft summary", lambda t: t.replace("summary: ", "summary: 草稿改了。", 1), True),
    ("sample-home-visit.yml", "domain", lambda t: re.sub(r"(?m)^domain: .*$", "domain: 政务服务", t, count=1), None),
    ("sample-home-visit.yml", "summary again", lambda t: t.replace("summary: ", "summary: 再改。", 1), True),
]


@pytest.fixture
def keep_cwd(monkeypatch):
    """MkDocs' serve works in the project's folder: come back after the test."""
    monkeypatch.chdir(os.getcwd())


@pytest.mark.parametrize("config_file", ["mkdocs.yml", "mkdocs.internal.yml"])
def test_served_site_equals_a_clean_build_after_every_save(tmp_path, config_file, keep_cwd):
    project = make_project(tmp_path / "p")
    serving = Serving(project, config_file, tmp_path / "served")
    for number, (name, what, change, partial) in enumerate(EDITS):
        full = serving.full_builds
        serving.save(name, change)
        if partial:
            assert serving.full_builds == full, f"the edit of {what} rebuilt everything"
        clean = tmp_path / f"clean{number}"
        serving.clean_build(clean)
        assert same_bytes(tmp_path / "served", clean) == [], f"after the edit of {what}"


def test_a_half_written_record_shows_its_problem_and_the_next_save_recovers(tmp_path, keep_cwd):
    project = make_project(tmp_path / "p")
    serving = Serving(project, "mkdocs.yml", tmp_path / "served")
    guide = tmp_path / "served" / "guides" / "sample-home-visit" / "index.html"
    before = guide.read_bytes()
    serving.save("sample-home-visit.yml", lambda t: t.replace("title: ", 'title: "', 1))
    assert serving.preview.problems and "sample-home-visit.yml" in serving.preview.problems[0]
    assert guide.read_bytes() == before  # the last good page stays served
    shown = serving.server._inject_js_into_html(before, 1).decode("utf-8")
    assert 'role="alert"' in shown and "sample-home-visit.yml:" in shown
    serving.save("sample-home-visit.yml", lambda t: t.replace('title: "', "title: ", 1).replace(
        "summary: ", "summary: 修好了。", 1))
    assert serving.preview.problems == []
    assert "修好了" in guide.read_text(encoding="utf-8")
    assert 'role="alert"' not in serving.server._inject_js_into_html(guide.read_bytes(), 2).decode("utf-8")
    serving.clean_build(tmp_path / "clean")
    assert same_bytes(tmp_path / "served", tmp_path / "clean") == []
    assert serving.full_builds == 0


def test_vocabulary_registry_and_page_changes_rebuild_everything(tmp_path, keep_cwd):
    project = make_project(tmp_path / "p")
    serving = Serving(project, "mkdocs.yml", tmp_path / "served")
    vocab = project / "solutions" / "_registry" / "vocabularies.yml"
    vocab.write_text(vocab.read_text(encoding="utf-8").replace("description: ", "description: 改过。", 1),
                     encoding="utf-8")
    serving.server.builder()
    assert serving.full_builds == 1
    usage = project / "docs" / "usage.md"
    usage.write_text(usage.read_text(encoding="utf-8") + "\n新增的一段说明。\n", encoding="utf-8")
    serving.server.builder()
    assert serving.full_builds == 2
    assert "新增的一段说明" in (tmp_path / "served" / "usage" / "index.html").read_text(encoding="utf-8")
    serving.clean_build(tmp_path / "clean")
    assert same_bytes(tmp_path / "served", tmp_path / "clean") == []


def test_a_save_during_a_full_rebuild_is_not_lost(tmp_path, keep_cwd, monkeypatch):
    """A record saved while a full rebuild runs: the server calls again, and the site shows it.

    The save happens inside the build (at its first rendered page), deterministically: the
    files the build started from differ from the files on disk when it ends.
    """
    from kb.render import Renderer

    project = make_project(tmp_path / "p")
    serving = Serving(project, "mkdocs.yml", tmp_path / "served")
    record = project / "solutions" / "sample-home-visit.yml"
    render = Renderer.render
    saved = []

    def render_and_save_once(self, name, **context):
        if not saved:
            saved.append(name)
            record.write_text(record.read_text(encoding="utf-8").replace("summary: ", "summary: 构建中保存的概述。", 1),
                              encoding="utf-8")
        return render(self, name, **context)

    vocab = project / "solutions" / "_registry" / "vocabularies.yml"
    vocab.write_text(vocab.read_text(encoding="utf-8").replace("description: ", "description: 改过。", 1),
                     encoding="utf-8")
    monkeypatch.setattr(Renderer, "render", render_and_save_once)
    serving.server.builder()  # a full rebuild, during which the record is saved
    monkeypatch.setattr(Renderer, "render", render)
    assert saved and serving.full_builds == 1
    serving.server.builder()  # MkDocs saw the save during the build: it calls again
    guide = tmp_path / "served" / "guides" / "sample-home-visit" / "index.html"
    assert "构建中保存的概述" in guide.read_text(encoding="utf-8")
    serving.clean_build(tmp_path / "clean")
    assert same_bytes(tmp_path / "served", tmp_path / "clean") == []


# -- random sequences of saves ---------------------------------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

RECORDS = ["sample-home-visit", "sample-draft", "full", "minimal"]


def _edit(field: str, value):
    import yaml

    def change(text: str) -> str:
        data = yaml.safe_load(text)
        if field == "summary":
            data["summary"] = value + data["summary"]
        elif field == "title":
            data["title"] = data["title"] + value
        elif field == "aliases":
            data["aliases"] = data["aliases"] + [value]
        elif field == "lead":
            data["departments"]["lead"] = value
        elif field == "law":
            data["legal_basis"][-1]["law"] = value
        elif field == "related":
            data["related"] = [value] if value != data["id"] else []
        else:
            data[field] = value
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    return change


EDIT = st.one_of(
    st.tuples(st.just("summary"), st.sampled_from(["新的开头。", "再补一句。"])),
    st.tuples(st.just("title"), st.sampled_from(["（甲）", "（乙）"])),
    st.tuples(st.just("status"), st.sampled_from(["draft", "published"])),
    st.tuples(st.just("domain"), st.sampled_from(["户籍证件", "政务服务", "社会保险"])),
    st.tuples(st.just("category"), st.sampled_from(["群众实际困难", "跨地区跨部门"])),
    st.tuples(st.just("lead"), st.sampled_from(["公安机关户籍窗口", "政务服务中心", "人力资源社会保障局"])),
    st.tuples(st.just("law"), st.sampled_from(["xingzheng-xuke-fa", "jumin-shenfenzheng-fa"])),
    st.tuples(st.just("related"), st.sampled_from(RECORDS)),
    st.tuples(st.just("aliases"), st.sampled_from(["新叫法甲", "新叫法乙"])),
)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(RECORDS), EDIT), min_size=2, max_size=4),
       config_file=st.sampled_from(["mkdocs.yml", "mkdocs.internal.yml"]))
def test_random_saves_keep_the_served_site_equal_to_a_clean_build(tmp_path_factory, edits, config_file, keep_cwd):
    from conftest import FIXTURES

    tmp = tmp_path_factory.mktemp("random")
    project = make_project(tmp / "p")
    for name in ("full", "minimal"):
        (project / "solutions" / f"{name}.yml").write_text(
            (FIXTURES / "valid" / f"{name}.yml").read_text(encoding="utf-8"), encoding="utf-8")
    serving = Serving(project, config_file, tmp / "served")
    for number, (record, (field, value)) in enumerate(edits):
        path = project / "solutions" / f"{record}.yml"
        text = path.read_text(encoding="utf-8")
        if _edit(field, value)(text) == text:
            continue
        serving.save(f"{record}.yml", _edit(field, value))
        if serving.preview.problems:  # an edit this record does not allow: put it back
            serving.save(f"{record}.yml", lambda _: text)
            assert not serving.preview.problems
        clean = tmp / f"clean{number}"
        serving.clean_build(clean)
        assert same_bytes(tmp / "served", clean) == [], f"after {record}: {field} = {value}"
