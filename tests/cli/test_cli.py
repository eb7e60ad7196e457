"""cli: exit codes, exact messages, export shape, stats, impact and new."""

import json
import shutil

from conftest import FIXTURES, registry_only, run_kb


def fixture_root(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb", root)
    return root


def test_check_clean(tmp_path):
    root = fixture_root(tmp_path)
    result = run_kb("--root", str(root), "check")
    assert (result.returncode, result.stdout, result.stderr) == (0, "检查通过：6 个文件，没有发现问题。\n", "")


def test_check_reports_and_exits_1(tmp_path):
    root = fixture_root(tmp_path)
    shutil.copy(FIXTURES / "invalid" / "bad-article.yml", root / "solutions")
    result = run_kb("--root", str(root), "check")
    assert result.returncode == 1
    assert result.stdout == "solutions/bad-article.yml:14: legal_basis[0].article: 缺少条款号（应为“第X条”，可带“第X款”“第X项”）\n"
    assert result.stderr == "发现 1 个问题，涉及 1 个文件（共检查 7 个文件）。\n"


def test_check_selected_paths_only(tmp_path):
    root = fixture_root(tmp_path)
    shutil.copy(FIXTURES / "invalid" / "bad-article.yml", root / "solutions")
    clean = run_kb("--root", str(root), "check", str(root / "solutions" / "sample-draft.yml"))
    assert clean.returncode == 0 and clean.stdout == "检查通过：1 个文件，没有发现问题。\n"
    bad = run_kb("--root", str(root), "check", str(root / "solutions"))
    assert bad.returncode == 1


def test_check_json_format(tmp_path):
    root = fixture_root(tmp_path)
    shutil.copy(FIXTURES / "invalid" / "bad-article.yml", root / "solutions")
    result = run_kb("--root", str(root), "check", "--format", "json")
    assert json.loads(result.stdout) == [
        {"file": "solutions/bad-article.yml", "line": 14, "field": "legal_basis[0].article",
         "message": "缺少条款号（应为“第X条”，可带“第X款”“第X项”）", "severity": "error"}
    ]


def test_usage_errors_exit_2(tmp_path):
    root = fixture_root(tmp_path)
    assert run_kb("--root", str(root), "check", str(tmp_path / "nope.yml")).returncode == 2
    assert run_kb("--root", str(root), "export", "--edition", "secret").returncode == 2
    assert run_kb("--root", str(root), "frobnicate").returncode == 2
    missing = run_kb("--root", str(tmp_path / "nowhere"), "check")
    assert missing.returncode == 2 and "找不到 solutions/" in missing.stderr


def test_export_public_hides_drafts_and_internal_fields(tmp_path):
    root = fixture_root(tmp_path)
    records = json.loads(run_kb("--root", str(root), "export").stdout)
    assert [r["id"] for r in records] == ["sample-home-visit"]
    record = records[0]
    assert "internal" not in record and "cases" not in record
    assert record["url"] == "guides/sample-home-visit/"
    law = record["legal_basis"][0]["law"]
    assert law["title"] == "《中华人民共和国居民身份证法》" and law["level"] == "法律" and law["status"] == "现行有效"
    assert record["related"] == []  # the related draft is not named publicly


def test_export_internal_has_everything(tmp_path):
    root = fixture_root(tmp_path)
    records = json.loads(run_kb("--root", str(root), "export", "--edition", "internal").stdout)
    assert [r["id"] for r in records] == ["sample-draft", "sample-home-visit"]
    assert records[1]["internal"]["staff_notes"] == "上门前先电话确认家属在场。"
    assert records[1]["cases"][0]["ref"] == "FY-2026-001"


def test_export_refuses_an_invalid_knowledge_base(tmp_path):
    root = fixture_root(tmp_path)
    shutil.copy(FIXTURES / "invalid" / "bad-article.yml", root / "solutions")
    result = run_kb("--root", str(root), "export")
    assert result.returncode == 1 and result.stdout == ""
    assert "bad-article.yml:14" in result.stderr


def test_stats_lists_due_reviews(tmp_path):
    root = fixture_root(tmp_path)
    out = run_kb("--root", str(root), "stats", "--today", "2026-11-22").stdout
    assert "记录总数：2（统计日期 2026-11-22）" in out
    assert "  sample-draft\t样例草稿：行政许可变更跨部门协调\t审批管理科\t2026-12-01\t将到期" in out
    assert "sample-home-visit\t" not in out
    late = run_kb("--root", str(root), "stats", "--today", "2027-06-01").stdout
    assert "sample-home-visit\t样例：失能人员居民身份证换领上门服务\t户籍管理科\t2027-05-01\t已过期" in late


def test_stats_lists_records_awaiting_review_after_a_revision(tmp_path):
    from conftest import set_law

    root = fixture_root(tmp_path)
    quiet = run_kb("--root", str(root), "stats").stdout
    assert "依据修订后待复核：0 条" in quiet and "修订（" not in quiet
    set_law(root, "xingzheng-xuke-fa", revisions=[{"adopted": "2026-11-20", "effective": "2027-01-01"}])
    out = run_kb("--root", str(root), "stats").stdout
    assert "依据修订后待复核：1 条" in out
    assert ("  sample-draft\t样例草稿：行政许可变更跨部门协调\t《中华人民共和国行政许可法》第二十六条第二款 于 2026-11-20 修订"
            "（2027-01-01 施行）\t最近复核 2026-11-01\t审批管理科") in out
    assert not any("sample-home-visit" in line and "修订" in line for line in out.splitlines())


def test_impact(tmp_path):
    root = fixture_root(tmp_path)
    result = run_kb("--root", str(root), "impact", "jumin-shenfenzheng-fa")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "《中华人民共和国居民身份证法》（法律，现行有效）被 1 条指南引用：",
        "第十一条：1 处引用",
        "  sample-home-visit\t第十一条第一款\t样例：失能人员居民身份证换领上门服务\t[published]",
        "第三条：1 处引用",
        "  sample-home-visit\t第三条第三款\t样例：失能人员居民身份证换领上门服务\t[published]",
    ]
    unknown = run_kb("--root", str(root), "impact", "jumin-shenfenzheng")
    assert unknown.returncode == 1
    assert unknown.stderr == "错误：法律依据“jumin-shenfenzheng”不在登记表中，是否指：jumin-shenfenzheng-fa？\n"


def test_new_writes_a_valid_draft_and_never_overwrites(tmp_path):
    root = fixture_root(tmp_path)
    first = run_kb("--root", str(root), "new", "fresh-one", "--title", "新建的一类事", "--domain", "户籍证件")
    assert first.returncode == 0, first.stderr
    path = root / "solutions" / "fresh-one.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../scripts/kb/schema/record.schema.json\n")
    assert "status: draft" in text
    assert run_kb("--root", str(root), "check").returncode == 0
    path.write_text(text + "# 手写的内容\n", encoding="utf-8")
    again = run_kb("--root", str(root), "new", "fresh-one", "--title", "另一个标题")
    assert again.returncode == 1 and "已存在，不会覆盖" in again.stderr
    assert path.read_text(encoding="utf-8").endswith("# 手写的内容\n")


def test_new_rejects_bad_input_before_writing(tmp_path):
    root = fixture_root(tmp_path)
    for args in (["../../x", "--title", "越界的编号"], ["ok-id", "--title", "<b>标</b>题"], ["ok-id", "--title", "领域不对", "--domain", "不存在"]):
        result = run_kb("--root", str(root), "new", *args)
        assert result.returncode == 2, args
        assert result.stderr.startswith("错误：")
    assert not (root / "solutions" / "ok-id.yml").exists()
    dup = run_kb("--root", str(root), "new", "dup-title", "--title", "样例草稿：行政许可变更跨部门协调")
    assert dup.returncode == 1 and "已被 solutions/sample-draft.yml 使用" in dup.stderr


def test_python_dash_m_and_help(tmp_path):
    result = run_kb("--help")
    assert result.returncode == 0
    for command in ("check", "export", "stats", "new", "impact"):
        assert command in result.stdout
