"""bundle: kb bundle makes a zip that works opened from disk, search included, nothing fetched."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from browser import browser
from conftest import make_project, run_kb
from links import broken_links, broken_search_results

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bundle")
    project = make_project(tmp / "project")
    out = {}
    for edition in ("public", "internal"):
        zip_path = tmp / f"{edition}.zip"
        result = run_kb("--root", str(project), "bundle", "--edition", edition, "--out", str(zip_path))
        assert result.returncode == 0, result.stderr
        assert "index.html" in result.stderr
        folder = tmp / edition
        with zipfile.ZipFile(zip_path) as archive:
            names = archive.namelist()
            archive.extractall(folder)
        tops = {name.split("/")[0] for name in names}
        assert len(tops) == 1, tops  # one folder, so unzipping never scatters files
        out[edition] = folder / tops.pop()
    return project, out


def test_every_link_and_search_result_opens_a_file(bundles):
    _, sites = bundles
    for site in sites.values():
        assert (site / "index.html").is_file() and (site / "guides" / "sample-home-visit.html").is_file()
        assert broken_links(site) == []
        assert broken_search_results(site) == []


def test_editions_keep_their_content(bundles):
    _, sites = bundles
    public = "\n".join(p.read_text(encoding="utf-8", errors="ignore") for p in sites["public"].rglob("*.htm*"))
    internal = (sites["internal"] / "guides" / "sample-home-visit.html").read_text(encoding="utf-8")
    assert "上门前先电话确认家属在场" in internal and "上门前先电话确认家属在场" not in public
    assert not (sites["public"] / "guides" / "sample-draft.html").exists()


def test_search_from_disk_finds_and_opens_a_guide_without_any_request(bundles):
    _, sites = bundles
    site = sites["public"]
    with browser() as chromium:
        page = chromium.new_page(locale="zh-CN")
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto((site / "index.html").as_uri())
        note = page.inner_text("[data-kb-bundle]")
        assert "离线" in note and "公开版" in note
        page.keyboard.press("s")
        page.locator("input.md-search__input").fill("上门换身份证")
        page.wait_for_selector(".md-search-result__item > a", timeout=10_000)
        links = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(a => a.href)")
        assert links[0].endswith("guides/sample-home-visit.html")
        page.goto(links[0])
        assert "失能人员居民身份证换领上门服务" in page.inner_text("h1")
    assert requests and all(url.startswith("file:") for url in requests), [u for u in requests if not u.startswith("file:")]


def test_bad_out_or_broken_knowledge_base_writes_nothing(tmp_path):
    project = make_project(tmp_path / "project")
    result = run_kb("--root", str(project), "bundle", "--out", str(tmp_path / "no" / "such" / "dir" / "kb.zip"))
    assert result.returncode == 1 and "不存在" in result.stderr and "Traceback" not in result.stderr
    result = run_kb("--root", str(project), "bundle", "--out", str(tmp_path))
    assert result.returncode == 1 and "目录" in result.stderr
    keep = tmp_path / "kb.zip"
    keep.write_bytes(b"previous")
    record = project / "solutions" / "sample-home-visit.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("legal_basis:", "legal_basiss:"), encoding="utf-8")
    result = run_kb("--root", str(project), "bundle", "--out", str(keep))
    assert result.returncode == 1 and "sample-home-visit.yml" in result.stderr and "Traceback" not in result.stderr
    assert keep.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
