"""advisories: warnings reach kb check as lines with file and line, and never change the exit code."""

import json

from conftest import fixture_copy, run_kb, set_law
from kb.knowledge import warnings as collect
from kb.knowledge import load_knowledge_base

REVISION = {"adopted": "2026-11-25", "effective": "2027-03-01", "articles": ["第十一条"], "note": "样例修订"}


def test_a_revision_after_the_review_is_a_warning_at_the_citation(tmp_path):
    root = fixture_copy(tmp_path)
    set_law(root, "jumin-shenfenzheng-fa", revisions=[REVISION])
    result = run_kb("--root", str(root), "check")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        "solutions/sample-home-visit.yml:16: legal_basis[0].article: 警告：依据修订后待复核："
        "《中华人民共和国居民身份证法》第十一条（本提示引用第十一条第一款）于 2026-11-25 修订（2027-03-01 起施行），"
        "本工作提示最近一次复核在 2026-11-01，尚未按修订后的条文复核。复核后更新 review.reviewed_on",
        "检查通过：6 个文件，没有发现错误；另有 1 条警告（不影响检查结果和构建，请安排复核）。",
    ]


def test_the_review_after_the_revision_clears_the_warning(tmp_path):
    root = fixture_copy(tmp_path)
    set_law(root, "jumin-shenfenzheng-fa", revisions=[{**REVISION, "adopted": "2026-10-01", "effective": "2026-10-01"}])
    result = run_kb("--root", str(root), "check")
    assert (result.returncode, result.stdout) == (0, "检查通过：6 个文件，没有发现问题。\n")


def test_warnings_in_json_carry_their_severity(tmp_path):
    root = fixture_copy(tmp_path)
    set_law(root, "jumin-shenfenzheng-fa", revisions=[{k: v for k, v in REVISION.items() if k != "articles"}])
    found = json.loads(run_kb("--root", str(root), "check", "--format", "json").stdout)
    assert [(p["file"], p["field"], p["severity"]) for p in found] == [
        ("solutions/sample-home-visit.yml", "legal_basis[0].article", "warning"),
        ("solutions/sample-home-visit.yml", "legal_basis[1].article", "warning"),
    ]


def test_checking_one_file_shows_only_its_warnings(tmp_path):
    root = fixture_copy(tmp_path)
    set_law(root, "jumin-shenfenzheng-fa", revisions=[REVISION])
    other = run_kb("--root", str(root), "check", str(root / "solutions" / "sample-draft.yml"))
    assert (other.returncode, other.stdout) == (0, "检查通过：1 个文件，没有发现问题。\n")
    own = run_kb("--root", str(root), "check", str(root / "solutions" / "sample-home-visit.yml"))
    assert own.returncode == 0 and "警告：依据修订后待复核" in own.stdout


def test_a_source_without_a_check_and_one_checked_over_a_year_ago(tmp_path):
    root = fixture_copy(tmp_path)
    set_law(root, "xingzheng-xuke-fa", verified=None)
    set_law(root, "jumin-shenfenzheng-fa",
            verified={"source": "国家法律法规数据库", "publisher": "全国人大常委会办公厅", "checked_on": "2025-11-01"})
    missing = ("solutions/_registry/laws.yml:2: laws[0].id: 警告：《中华人民共和国行政许可法》没有写明在哪里核对过文本"
               "（verified：核对所用文本、发布者、核对日期），请对照官方文本核对后补上")
    # exactly a year after the check: only the missing one
    assert [str(p) for p in load_knowledge_base(root, "2026-11-01").warnings] == [missing]
    later = [str(p) for p in load_knowledge_base(root, "2026-11-02").warnings]
    assert later[0] == missing and len(later) == 2
    assert later[1].endswith("laws[1].verified.checked_on: 警告：《中华人民共和国居民身份证法》的文本最近一次核对在 2025-11-01，"
                             "已超过 1 年，请重新对照官方文本核对（有修订的登记到 revisions）并更新核对日期")
    result = run_kb("--root", str(root), "check", "--today", "2026-11-02")
    assert result.returncode == 0 and result.stdout.count("警告：") == 2


def test_no_warnings_are_computed_while_there_are_errors(tmp_path):
    root = fixture_copy(tmp_path)
    set_law(root, "jumin-shenfenzheng-fa", revisions=[REVISION])
    (root / "solutions" / "broken.yml").write_text("id: broken\n", encoding="utf-8")
    loaded = load_knowledge_base(root)
    assert loaded.problems and loaded.warnings == []
    result = run_kb("--root", str(root), "check")
    assert result.returncode == 1 and "警告：" not in result.stdout


def test_collect_runs_every_check(tmp_path):
    root = fixture_copy(tmp_path)
    set_law(root, "jumin-shenfenzheng-fa", revisions=[REVISION], verified=None)
    kb = load_knowledge_base(root).kb
    from datetime import date

    messages = [p.message for p in collect(kb, date(2026, 11, 30))]
    assert any(m.startswith("依据修订后待复核") for m in messages)
    assert any("没有写明在哪里核对过文本" in m for m in messages)
