"""impact: which steps, FAQ answers and self-check answers rest on one article."""

import shutil

from conftest import FIXTURES, fixture_copy, run_kb, set_law
from kb.site.edition import Edition
from kb.law.impact import DECLARED, MENTIONED, impact, reliances
from kb.knowledge import load_knowledge_base

SAMPLE = FIXTURES / "impact" / "impact-sample.yml"


def kb_with_sample(tmp_path):
    root = fixture_copy(tmp_path)
    shutil.copy(SAMPLE, root / "solutions")
    return root


def test_declared_basis_and_mentions_with_the_law_name_or_bare(tmp_path):
    kb = load_knowledge_base(kb_with_sample(tmp_path)).kb
    found = {index: [(r.label, r.how) for r in items] for index, items in reliances(kb.record("impact-sample").data, kb.laws).items()}
    assert found == {
        0: [("流程第 2 步", DECLARED), ("自测题 1", MENTIONED)],  # 《居民身份证法》第十一条第一款
        2: [("流程第 1 步", MENTIONED), ("常见问题 2", MENTIONED)],  # 行政许可法… and a bare 第二十六条第二款
    }
    # "第十一条" alone (FAQ 1) and after an unregistered name ("身份证法", self-check question) are
    # ambiguous: both cited laws have a 第十一条, so nothing is attributed to 行政许可法第十一条.
    assert 1 not in found


def test_impact_groups_citations_by_article_and_filters_one(tmp_path):
    kb = load_knowledge_base(kb_with_sample(tmp_path)).kb
    rows = impact(Edition("internal", kb), "jumin-shenfenzheng-fa")
    assert [(row.key, [c.view["id"] for c in row.citations]) for row in rows] == [
        ("第十一条", ["impact-sample", "sample-home-visit"]),
        ("第三条", ["sample-home-visit"]),
    ]
    only = impact(Edition("internal", kb), "xingzheng-xuke-fa", "第二十六条")
    assert [(row.key, [c.entry["article"] for c in row.citations]) for row in only] == [
        ("第二十六条", ["第二十六条第二款", "第二十六条第二款"]),  # impact-sample and the draft
    ]
    assert impact(Edition("public", kb), "xingzheng-xuke-fa", "第二十六条")[0].citations[0].view["id"] == "impact-sample"
    assert impact(Edition("internal", kb), "xingzheng-xuke-fa", "第九十九条") == []


def test_kb_impact_prints_the_items_under_each_citation(tmp_path):
    root = kb_with_sample(tmp_path)
    set_law(root, "jumin-shenfenzheng-fa", revisions=[{"adopted": "2026-11-25", "effective": "2027-03-01", "articles": ["第十一条"]}])
    result = run_kb("--root", str(root), "impact", "jumin-shenfenzheng-fa", "--article", "第十一条")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "《中华人民共和国居民身份证法》第十一条（法律，现行有效）被 2 条指南引用：",
        "  注意：2026-11-25 通过的修订将于 2027-03-01 施行。",
        "第十一条：2 处引用，其中 2 处待复核",
        "  impact-sample\t第十一条第一款\t样例：依据标注与文中提及\t[published]",
        "    待复核：《中华人民共和国居民身份证法》第十一条（本提示引用第十一条第一款）于 2026-11-25 修订（2027-03-01 起施行），"
        "本工作提示最近一次复核在 2026-11-01，尚未按修订后的条文复核",
        "    流程第 2 步（依据）：换领新证",
        "    自测题 1（文中提及）：身份证法第十一条规定什么？",
        "  sample-home-visit\t第十一条第一款\t样例：失能人员居民身份证换领上门服务\t[published]",
        "    待复核：《中华人民共和国居民身份证法》第十一条（本提示引用第十一条第一款）于 2026-11-25 修订（2027-03-01 起施行），"
        "本工作提示最近一次复核在 2026-11-01，尚未按修订后的条文复核",
    ]


def test_kb_impact_article_usage_errors_and_not_yet_in_force(tmp_path):
    root = kb_with_sample(tmp_path)
    bad = run_kb("--root", str(root), "impact", "xingzheng-xuke-fa", "--article", "26")
    assert bad.returncode == 2 and "“26”不是条款号" in bad.stderr
    none = run_kb("--root", str(root), "impact", "xingzheng-xuke-fa", "--article", "第九十九条")
    assert (none.returncode, none.stdout) == (0, "《中华人民共和国行政许可法》第九十九条（法律，现行有效）被 0 条指南引用：\n")
    set_law(root, "xingzheng-xuke-fa", effective="2027-01-01")
    for record in (root / "solutions").glob("*.yml"):  # cited ahead of its day, as kb check requires
        text = record.read_text(encoding="utf-8")
        record.write_text(text.replace("  - law: xingzheng-xuke-fa\n", "  - law: xingzheng-xuke-fa\n    upcoming: true\n"), encoding="utf-8")
    pending = run_kb("--root", str(root), "impact", "xingzheng-xuke-fa", "--today", "2026-12-31")
    assert pending.stdout.startswith("《中华人民共和国行政许可法》（法律，现行有效，尚未施行（2027-01-01 起施行））被 2 条指南引用：")
    later = run_kb("--root", str(root), "impact", "xingzheng-xuke-fa", "--today", "2027-01-01")
    assert later.stdout.startswith("《中华人民共和国行政许可法》（法律，现行有效）被 2 条指南引用：")
