"""plugins: the generated pages with the MkDocs plugins a site may add (tags, git dates, offline)."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from browser import browser, search_from_disk
from conftest import make_project, mkdocs_build
from links import broken_links

pytestmark = pytest.mark.slow

TAGS = ["上门服务", "身份证"]


def add_plugins(project: Path, block: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^plugins:\s*$", "plugins:\n" + block.rstrip("\n"), text, count=1), encoding="utf-8")


def tag_record(project: Path) -> None:
    path = project / "solutions" / "sample-home-visit.yml"
    path.write_text(path.read_text(encoding="utf-8") + "tags:\n" + "".join(f"  - {t}\n" for t in TAGS), encoding="utf-8")


def test_record_tags_feed_materials_tags_plugin(tmp_path):
    project = make_project(tmp_path / "p")
    tag_record(project)
    add_plugins(project, "  - tags\n")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    guide = (project / "site" / "guides" / "sample-home-visit" / "index.html").read_text(encoding="utf-8")
    tags = re.search(r'<nav class="md-tags".*?</nav>', guide, re.S).group(0)
    assert all(t in tags for t in TAGS) and "../../tags/#tag:" in tags
    listing = (project / "site" / "tags" / "index.html").read_text(encoding="utf-8")
    assert "上门服务" in listing and "guides/sample-home-visit/" in listing
    assert broken_links(project / "site") == []


def test_without_the_tags_plugin_tags_stay_out_of_the_page(tmp_path):
    project = make_project(tmp_path / "p")
    tag_record(project)
    assert mkdocs_build(project).returncode == 0
    guide = (project / "site" / "guides" / "sample-home-visit" / "index.html").read_text(encoding="utf-8")
    assert 'class="md-tags"' not in guide and not (project / "site" / "tags").exists()


def git(project: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "kb", "GIT_AUTHOR_EMAIL": "kb@example.invalid",
           "GIT_COMMITTER_NAME": "kb", "GIT_COMMITTER_EMAIL": "kb@example.invalid"}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)


def test_a_guide_is_dated_by_its_records_git_history(tmp_path):
    project = make_project(tmp_path / "p")
    git(project, "init", "-q")
    (project / ".gitignore").write_text("site/\nscripts\n", encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "records", when="2025-03-01T10:00:00+08:00")
    other = project / "solutions" / "sample-draft.yml"
    other.write_text(other.read_text(encoding="utf-8") + "# 改过\n", encoding="utf-8")
    git(project, "commit", "-qam", "one record changed", when="2026-02-14T10:00:00+08:00")
    add_plugins(project, "  - git-revision-date-localized:\n      type: iso_date\n")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    guide = (project / "site" / "guides" / "sample-home-visit" / "index.html").read_text(encoding="utf-8")
    facts = re.search(r'<aside class="md-source-file">.*?</aside>', guide, re.S).group(0)
    assert "2025-03-01" in facts and date.today().isoformat() not in facts


def test_offline_plugin_gives_the_projects_offline_copy(tmp_path):
    project = make_project(tmp_path / "p")
    add_plugins(project, "  - offline\n")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    pages = list(site.rglob("*.html"))
    assert not any(re.search(r'<script[^>]+src="(https?:)?//', p.read_text(encoding="utf-8")) for p in pages)
    assert (site / "guides" / "sample-home-visit.html").is_file()  # file URLs, for opening from disk
    index = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert '"kb":{' in index and "全文" not in index  # the project's sharded index, not the theme's
    assert (site / "assets" / "kb" / "search-worker.page.js").is_file()
    assert 'data-kb-bundle' in (site / "index.html").read_text(encoding="utf-8")
    assert broken_links(site) == []
    with browser() as chromium:
        links, requests = search_from_disk(chromium, site / "index.html", "上门换身份证")
    assert links and links[0].endswith("guides/sample-home-visit.html")
    assert all(url.startswith("file:") for url in requests)
