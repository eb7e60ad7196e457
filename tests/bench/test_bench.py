"""bench: the benchmark grows a valid knowledge base and reports sane numbers (no timing thresholds)."""

import io
import json

import pytest
from click.testing import CliRunner

from conftest import make_project
from kb import bench
from kb.bench import corpus, searching, tables
from kb.cli import main
from kb.knowledge import load_knowledge_base


@pytest.mark.parametrize("n", [1, 2, 7])
def test_grown_knowledge_base_is_valid_and_has_n_records(tmp_path, n):
    project = make_project(tmp_path / "source")
    assert corpus.grow(project, tmp_path / "grown", n) == n
    loaded = load_knowledge_base(tmp_path / "grown")
    assert not loaded.problems
    assert len(loaded.kb.records) == n
    titles = [r.title for r in loaded.kb.records]
    assert len(set(titles)) == n


def test_anchor_site_has_one_plain_page_per_record(tmp_path):
    records = [{"id": "a", "title": "甲", "summary": "概述。", "procedure": [{"title": "一", "action": "办"}]}]
    corpus.bare_site(records, tmp_path / "anchor")
    page = (tmp_path / "anchor" / "docs" / "guides" / "a.md").read_text(encoding="utf-8")
    assert page.startswith("# 甲\n\n概述。") and "## procedure" in page
    config = (tmp_path / "anchor" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "name: material" in config and "lang: zh" in config and "not_in_nav" in config


@pytest.mark.slow
def test_a_tiny_run_prints_the_table_and_sane_numbers(tmp_path):
    project = make_project(tmp_path / "project")
    out, err = io.StringIO(), io.StringIO()
    report = bench.run([12], project, workdir=tmp_path / "work", repeat=1, json_path=tmp_path / "bench.json",
                       out=out, err=err)
    table = out.getvalue()
    for _, header, _ in tables.COLUMNS:
        assert header in table
    assert "核" in table and "MkDocs" in table  # the machine line
    assert "公开版构建" in err.getvalue()  # progress goes to stderr

    (result,) = report["results"]
    assert result["records"] == 12 and result["public_records"] == 11 and result["internal_records"] == 12
    for key in ("check_s", "public_s", "internal_s", "anchor_s", "ratio"):
        assert 0 < result[key] < 600, key
    assert 1 < result["guide_median_kb"] <= result["guide_max_kb"] < 200
    assert result["search_mb"] > 0 and 100 < result["search_bytes_per_record"] < 1_000_000
    assert result["anchor_search_mb"] > 0
    for key in ("public_peak_mb", "internal_peak_mb", "anchor_peak_mb"):
        assert 20 < result[key] < 4096, key
    assert report["machine"]["cores"] >= 1 and report["machine"]["mkdocs"] != "?"
    assert json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))["results"][0]["records"] == 12
    assert not (tmp_path / "work" / "n12").exists()  # removed unless --keep


def test_bench_needs_at_least_one_size():
    result = CliRunner().invoke(main, ["bench"])
    assert result.exit_code == 2


@pytest.mark.slow
@pytest.mark.browser
def test_pagefind_peer_indexes_a_copy_and_answers_the_same_queries(tmp_path):
    from conftest import ROOT, mkdocs_build
    from kb.search.peer import our_documents

    project = make_project(tmp_path / "project")
    assert mkdocs_build(project).returncode == 0
    cases = [("词", "身份证", "sample-home-visit"), ("词", "老人换身份证", "sample-home-visit"),
             ("繁体", "老人換身份證", "sample-home-visit"), ("拼音", "shenfenzheng", "sample-home-visit")]
    result = searching.peer_comparison(project / "site", tmp_path / "work", ROOT / "tests", cases=cases,
                                   first=["身份证"], progress=lambda _: None)
    ours, peer = result["ours"], result["peer"]
    assert ours["hits"] == 4 and ours["sections"] == {"词": [2, 2], "繁体": [1, 1], "拼音": [1, 1]}
    assert peer["sections"]["词"][0] >= 1  # Pagefind finds the guide by its plain name too
    assert peer["sections"]["拼音"] == [0, 1]  # and knows no pinyin
    # the pages our index lists: the published guide and the hand-written pages
    assert result["peer_pages"] == len(our_documents(project / "site")) >= 2
    for r in (ours, peer):
        assert 0 < r["median_s"] <= r["max_s"] < 15
        assert 0 < r["first_gzip_median"] <= r["first_bytes_median"]
        assert r["index_bytes"] > 0
    assert 0 < peer["data_bytes"] < peer["index_bytes"]
    # Pagefind and its page live in the bench's work folder only, never in the site
    assert (tmp_path / "work" / "peer-pagefind" / "pagefind" / "pagefind.js").is_file()
    assert not (project / "site" / "pagefind").exists() and not list((project / "site").rglob("*pagefind*"))
    table = tables.format_peer(result)
    assert "Pagefind" in table and "前三命中" in table


def test_serve_log_counts_full_builds_and_preview_updates(tmp_path):
    from kb.bench.serve import _builds

    log = tmp_path / "serve.log"
    log.write_text("INFO    -  Documentation built in 15.20 seconds\nINFO    -  预览：已更新，用时 0.41 秒\n"
                   "INFO    -  预览：1 条记录有改动，重新生成 3 个页面\n", encoding="utf-8")
    assert _builds(log) == [15.2, 0.41]
