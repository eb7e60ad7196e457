"""kb bench --ledger on a small scale: the numbers it prints are there and add up."""

from __future__ import annotations

from conftest import ROOT
from kb.bench import ledger as bench


def test_the_ledger_benchmark_runs_small(tmp_path):
    result = bench.run(ROOT, rows=300, links=40, progress=lambda message: None)
    ours, base = result["labelled"]["ours"], result["labelled"]["baseline"]
    assert ours["cases"] >= 80 and ours["without_class"] >= ours["cases"] / 4
    assert ours["precision"] >= 0.97 and ours["wrong_on_no_class"] == 0
    assert 0 < base["threshold"] < 1 and base["right"] + base["wrong"] == base["suggested"]
    assert result["report.csv"]["cases"] == result["report.xlsx"]["cases"] == 300
    assert result["link"]["cases"] <= 40
    table = bench.format_table(result)
    assert "精确率" in table and "字符重合" in table and "report 300 行 xlsx" in table


def test_the_baseline_matches_by_shared_characters():
    from kb.knowledge import load_knowledge_base

    plain = bench.OverlapMatcher(load_knowledge_base(ROOT).kb, threshold=0.5)
    assert plain.suggest("临时身份证") == "idcard-temporary"
    assert plain.suggest("的了吗") is None
