"""bench: the benchmark grows a valid knowledge base and reports sane numbers (no timing thresholds)."""

import io
import json

import pytest
from click.testing import CliRunner

from conftest import make_project
from kb import bench
from kb.cli import main
from kb.model import load_knowledge_base


@pytest.mark.parametrize("n", [1, 2, 7])
def test_grown_knowledge_base_is_valid_and_has_n_records(tmp_path, n):
    project = make_project(tmp_path / "source")
    assert bench.grow(project, tmp_path / "grown", n) == n
    loaded = load_knowledge_base(tmp_path / "grown")
    assert not loaded.problems
    assert len(loaded.kb.records) == n
    titles = [r.title for r in loaded.kb.records]
    assert len(set(titles)) == n


def test_anchor_site_has_one_plain_page_per_record(tmp_path):
    records = [{"id": "a", "title": "甲", "summary": "概述。", "procedure": [{"title": "一", "action": "办"}]}]
    bench.bare_site(records, tmp_path / "anchor")
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
    for _, header, _ in bench.COLUMNS:
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
