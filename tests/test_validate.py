"""validate: the rules a schema cannot express, across files."""

import shutil

from conftest import FIXTURES, registry_only, run_kb
from kb.load import load_sources
from kb.validate import check_sources

MINIMAL = (FIXTURES / "valid" / "minimal.yml").read_text(encoding="utf-8")


def write(root, name, text):
    (root / "solutions" / f"{name}.yml").write_text(text, encoding="utf-8")


def problems(root):
    return [str(p) for p in sorted(check_sources(load_sources(root)))]


def test_duplicate_id_and_title_name_both_files(tmp_path):
    root = registry_only(tmp_path)
    write(root, "one", MINIMAL.replace("id: minimal", "id: one"))
    # same title; id also equal to the other file's id
    write(root, "two", MINIMAL.replace("id: minimal", "id: one"))
    found = problems(root)
    assert "solutions/one.yml:3: title: 标题“最小合法记录示例”与 solutions/two.yml:3 重复" in found
    assert "solutions/two.yml:3: title: 标题“最小合法记录示例”与 solutions/one.yml:3 重复" in found
    assert "solutions/two.yml:2: id: 编号“one”与 solutions/one.yml:2 重复" in found
    assert "solutions/two.yml:2: id: 编号“one”与文件名“two.yml”不一致，应为“two”" in found


def test_related_must_exist_and_not_be_self(tmp_path):
    root = registry_only(tmp_path)
    write(root, "minimal", MINIMAL + "related: [minimal, nowhere]\n")
    found = problems(root)
    assert "solutions/minimal.yml:32: related[0]: 不能把自己列为相关记录" in found
    assert "solutions/minimal.yml:32: related[1]: 相关记录“nowhere”不存在" in found


def test_draft_may_cite_a_repealed_law_but_published_may_not(tmp_path):
    root = registry_only(tmp_path)
    write(root, "minimal", MINIMAL.replace("law: xingzheng-xuke-fa", "law: repealed-example"))
    assert problems(root) == []
    write(root, "minimal", MINIMAL.replace("law: xingzheng-xuke-fa", "law: repealed-example").replace("status: draft", "status: published"))
    assert problems(root) == [
        "solutions/minimal.yml:13: legal_basis[0].law: 引用的《示例已废止条例》已废止（solutions/_registry/laws.yml:20），已发布的记录不能以它为依据"
    ]


def test_summary_of_more_than_three_sentences(tmp_path):
    root = registry_only(tmp_path)
    write(root, "minimal", MINIMAL.replace("summary: 这是一条只含必填字段的合法记录。", "summary: 第一句。第二句。第三句。第四句。"))
    assert problems(root) == ["solutions/minimal.yml:4: summary: 概述应为一到三句话，现有 4 句"]


def test_statistics_solved_cannot_exceed_received(tmp_path):
    root = registry_only(tmp_path)
    write(root, "minimal", MINIMAL + "statistics: {received: 3, solved: 5, as_of: 2026-04-16}\n")
    assert problems(root) == ["solutions/minimal.yml:32: statistics.solved: 已解决件数（5）不能多于受理件数（3）"]


def test_office_channel_may_hold_a_landline_but_not_a_mobile(tmp_path):
    root = registry_only(tmp_path)
    contacts = "internal:\n  contacts:\n    - role: 协调专席\n      department: 政务服务中心\n      channel: 内线 0571-88886666\n"
    write(root, "minimal", MINIMAL + contacts)
    assert problems(root) == []
    write(root, "minimal", MINIMAL + contacts.replace("内线 0571-88886666", "手机 13912345678"))
    assert [p.split(": ", 2)[1] for p in problems(root)] == ["internal.contacts[0].channel"]


def test_registry_problems_are_reported(tmp_path):
    root = registry_only(tmp_path)
    laws = root / "solutions" / "_registry" / "laws.yml"
    laws.write_text(laws.read_text(encoding="utf-8") + "  - id: xingzheng-xuke-fa\n    title: 缺书名号\n    level: 法律\n    issuer: 某机关\n    effective: 2020-01-01\n    status: 有效\n    url: ftp://x\n", encoding="utf-8")
    found = problems(root)
    assert "solutions/_registry/laws.yml:27: laws[3].title: 应为带书名号的全称，如《中华人民共和国行政许可法》" in found
    assert "solutions/_registry/laws.yml:26: laws[3].id: 编号“xingzheng-xuke-fa”重复（第 2 行已登记）" in found
    assert "solutions/_registry/laws.yml:31: laws[3].status: “有效”不是可选值，可选：现行有效、已修订、已废止" in found
    assert "solutions/_registry/laws.yml:32: laws[3].url: 只接受 http:// 或 https:// 开头的网址" in found


def test_missing_registry_file(tmp_path):
    root = registry_only(tmp_path)
    (root / "solutions" / "_registry" / "synonyms.yml").unlink()
    assert problems(root) == ["solutions/_registry/synonyms.yml:1: (文件): 缺少登记表文件"]


def test_yaml_extension_is_flagged(tmp_path):
    root = registry_only(tmp_path)
    (root / "solutions" / "x.yaml").write_text("id: x\n", encoding="utf-8")
    assert problems(root) == ["solutions/x.yaml:1: (文件): 记录文件的扩展名应为 .yml"]


def test_all_problems_in_one_run(tmp_path):
    root = registry_only(tmp_path)
    for name in ("bad-article", "typo-field", "mobile-number", "yaml-syntax", "not-utf8"):
        shutil.copy(FIXTURES / "invalid" / f"{name}.yml", root / "solutions")
    result = run_kb("--root", str(root), "check")
    assert result.returncode == 1
    assert len({line.split(":")[0] for line in result.stdout.splitlines()}) == 5
