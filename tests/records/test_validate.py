"""validate: the rules a schema cannot express, across files."""

import shutil
import time

import pytest
import yaml

from conftest import FIXTURES, registry_only, run_kb
from kb.records.load import load_sources
from kb.records.validate import check_sources

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


def test_a_broken_record_is_the_only_file_blamed(tmp_path):
    """A YAML error in one record does not make the records that refer to it wrong."""
    root = registry_only(tmp_path)
    write(root, "minimal", MINIMAL + "related: [other]\n")
    other = MINIMAL.replace("id: minimal", "id: other").replace("title: ", "title: 另一", 1)
    write(root, "other", other.replace("title: ", 'title: "', 1))  # an unclosed quote
    found = problems(root)
    assert found and all(line.startswith("solutions/other.yml:") for line in found), found
    write(root, "other", "- 一个列表，不是记录\n")
    found = problems(root)
    assert found and all(line.startswith("solutions/other.yml:") for line in found), found


def test_draft_may_cite_a_repealed_law_but_published_may_not(tmp_path):
    root = registry_only(tmp_path)
    write(root, "minimal", MINIMAL.replace("law: xingzheng-xuke-fa", "law: repealed-example"))
    assert problems(root) == []
    published = MINIMAL.replace("law: xingzheng-xuke-fa", "law: repealed-example").replace("status: draft", "status: published")
    write(root, "minimal", published + "fees: 不收费\n")
    assert problems(root) == [
        "solutions/minimal.yml:13: legal_basis[0].law: 引用的《示例已废止条例》已废止（solutions/_registry/laws.yml:24），已发布的记录不能以它为依据"
    ]


def test_summary_of_more_than_three_sentences(tmp_path):
    root = registry_only(tmp_path)
    write(root, "minimal", MINIMAL.replace("summary: 这是一条只含必填字段的合法记录。", "summary: 第一句。第二句。第三句。第四句。"))
    assert problems(root) == ["solutions/minimal.yml:4: summary: 概述应为一到三句话，现有 4 句"]


def test_statistics_solved_cannot_exceed_received(tmp_path):
    root = registry_only(tmp_path)
    write(root, "minimal", MINIMAL + "statistics: {received: 3, solved: 5, as_of: 2026-04-16}\n")
    assert problems(root) == ["solutions/minimal.yml:32: statistics.solved: 已解决件数（5）不能多于受理件数（3）"]


def test_material_names_are_unique_and_their_basis_is_cited_by_the_record(tmp_path):
    root = registry_only(tmp_path)
    write(root, "minimal", MINIMAL + """materials:
  - name: 申请书
    basis: [xingzheng-xuke-fa 第三十条]
  - name: 申请书
    obtain: 窗口领取
    basis: [xingzheng-xuke-fa 第三十一条]
""")
    assert problems(root) == [
        "solutions/minimal.yml:35: materials[1].name: 材料“申请书”重复（第 33 行已有）：同名材料只能分属不同的情形（situations）",
        "solutions/minimal.yml:37: materials[1].basis[0]: 这份材料依据的“xingzheng-xuke-fa 第三十一条”不在本记录的办理依据（legal_basis）中，"
        "是否应为“xingzheng-xuke-fa 第三十条”？",
    ]


def test_deadlines_take_the_time_limit_shape(tmp_path):
    root = registry_only(tmp_path)
    write(root, "minimal", MINIMAL + "deadlines:\n  - title: 不能办理的答复\n    time_limit: {value: 3, unit: 周}\n")
    assert problems(root) == ["solutions/minimal.yml:34: deadlines[0].time_limit.unit: “周”不是可选值，可选：工作日、自然日、小时"]


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
    assert "solutions/_registry/laws.yml:32: laws[3].title: 应为带书名号的全称，如《中华人民共和国行政许可法》" in found
    assert "solutions/_registry/laws.yml:31: laws[3].id: 编号“xingzheng-xuke-fa”重复（第 2 行已登记）" in found
    assert "solutions/_registry/laws.yml:36: laws[3].status: “有效”不是可选值，可选：现行有效、尚未施行、已修订、已废止" in found
    assert "solutions/_registry/laws.yml:37: laws[3].url: 不允许“ftp:”网址，只接受 http:// 或 https:// 开头的网址" in found


def test_variant_table_problems_name_the_line(tmp_path):
    root = registry_only(tmp_path)
    (root / "solutions" / "_registry" / "variants.yml").write_text(
        "variants:\n"
        "  - standard: 身份证\n"          # 2
        "    variants: [身分证, 身份证]\n"  # 3
        "  - standard: 户口簿\n"          # 4
        "    variants:\n"
        "      - 户口本子\n"               # 6
        "      - 身分证\n"                # 7
        "      - 身份证\n"                # 8
        "  - standard: 帐户\n"            # 9
        "    variants: [账户]\n"           # 10
        "    remark: 多余\n",              # 11
        encoding="utf-8",
    )
    found = problems(root)
    assert found == [
        "solutions/_registry/variants.yml:3: variants[0].variants[1]: 异体写法“身份证”与规范写法相同",
        "solutions/_registry/variants.yml:6: variants[1].variants[0]: 异体写法“户口本子”有 4 个字，规范写法“户口簿”有 3 个字："
        "只能逐字替换，字数应相同（不同说法请写进同义词表 synonyms.yml）",
        "solutions/_registry/variants.yml:7: variants[1].variants[1]: 异体写法“身分证”重复（第 3 行已有）",
        "solutions/_registry/variants.yml:8: variants[1].variants[2]: “身份证”在第 2 行是规范写法，不能又作异体写法",
        "solutions/_registry/variants.yml:11: variants[2].remark: 未知字段“remark”。可用字段：standard、variants、note",
    ], found


def test_variant_table_is_optional(tmp_path):
    root = registry_only(tmp_path)
    (root / "solutions" / "_registry" / "variants.yml").unlink()
    assert problems(root) == []


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


def test_every_kind_of_problem_is_reported_in_one_run(tmp_path):
    # All invalid examples in one knowledge base: one run reports every line each
    # of them reports alone (plus the duplicate titles they share), and exits 1.
    expected = yaml.safe_load((FIXTURES / "invalid_expected.yml").read_text(encoding="utf-8"))
    root = registry_only(tmp_path)
    for path in (FIXTURES / "invalid").glob("*.yml"):
        shutil.copy(path, root / "solutions")
    result = run_kb("--root", str(root), "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = set(result.stdout.splitlines())
    missing = [line for name in expected for line in expected[name] if line not in lines]
    assert missing == []


def test_duplicate_titles_ignore_width_and_spacing(tmp_path):
    root = registry_only(tmp_path)
    write(root, "one", MINIMAL.replace("id: minimal", "id: one").replace("title: 最小合法记录示例", "title: 最小合法记录示例（二）"))
    write(root, "two", MINIMAL.replace("id: minimal", "id: two").replace("title: 最小合法记录示例", "title: 最小合法 记录示例(二)"))
    assert problems(root) == [
        "solutions/one.yml:3: title: 标题“最小合法记录示例（二）”与 solutions/two.yml:3 重复",
        "solutions/two.yml:3: title: 标题“最小合法 记录示例(二)”与 solutions/one.yml:3 重复",
    ]


@pytest.mark.parametrize(
    "name, record_id, found",
    [
        ("Bad Name", "bad-name", [
            "solutions/Bad Name.yml:1: (文件): 文件名“Bad Name.yml”不是合法的编号：记录文件应命名为“编号.yml”，编号只能由小写字母、数字和单个连字符组成，最长 64 个字符，如改为“bad-name.yml”",
            "solutions/Bad Name.yml:2: id: 编号“bad-name”与文件名“Bad Name.yml”不一致，请把文件改名为“bad-name.yml”",
        ]),
        ("UPPER", "upper", [
            "solutions/UPPER.yml:1: (文件): 文件名“UPPER.yml”不是合法的编号：记录文件应命名为“编号.yml”，编号只能由小写字母、数字和单个连字符组成，最长 64 个字符，如改为“upper.yml”",
            "solutions/UPPER.yml:2: id: 编号“upper”与文件名“UPPER.yml”不一致，请把文件改名为“upper.yml”",
        ]),
        ("snake_case", "snake_case", [
            "solutions/snake_case.yml:1: (文件): 文件名“snake_case.yml”不是合法的编号：记录文件应命名为“编号.yml”，编号只能由小写字母、数字和单个连字符组成，最长 64 个字符，如改为“snake-case.yml”",
            "solutions/snake_case.yml:2: id: 只能由小写字母、数字和单个连字符组成（如 idcard-home-visit），不能含“/”“..”等路径字符",
        ]),
        ("中文名", "minimal", [
            "solutions/中文名.yml:1: (文件): 文件名“中文名.yml”不是合法的编号：记录文件应命名为“编号.yml”，编号只能由小写字母、数字和单个连字符组成，最长 64 个字符",
            "solutions/中文名.yml:2: id: 编号“minimal”与文件名“中文名.yml”不一致，请把文件改名为“minimal.yml”",
        ]),
    ],
)
def test_file_names_that_are_not_ids(tmp_path, name, record_id, found):
    root = registry_only(tmp_path)
    write(root, name, MINIMAL.replace("id: minimal", f"id: {record_id}"))
    assert problems(root) == found


def test_records_in_a_subfolder_are_flagged(tmp_path):
    root = registry_only(tmp_path)
    (root / "solutions" / "drafts").mkdir()
    (root / "solutions" / "drafts" / "x.yml").write_text("id: x\n", encoding="utf-8")
    (root / "solutions" / "empty-folder").mkdir()
    assert problems(root) == ["solutions/drafts/:1: (文件): 子目录 drafts/ 里的记录不会被读取，也不会发布：请把记录直接放在 solutions/ 下"]


def test_uppercase_extension_is_flagged(tmp_path):
    root = registry_only(tmp_path)
    (root / "solutions" / "x.YML").write_text("id: x\n", encoding="utf-8")
    assert problems(root) == ["solutions/x.YML:1: (文件): 记录文件的扩展名应为 .yml"]


def add_law(root, text):
    laws = root / "solutions" / "_registry" / "laws.yml"
    laws.write_text(laws.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_registry_text_is_checked_like_records(tmp_path):
    root = registry_only(tmp_path)
    add_law(root, "  - id: extra\n    title: 《示例<b>条例</b>》\n    level: 法律\n    issuer: 某机关\n    effective: 2020-01-01\n"
                  "    status: 现行有效\n    url: javascript:alert(1)\n    note: \"经办人王先生，电话 13812345678 &amp; \\u202e\"\n")
    vocab = root / "solutions" / "_registry" / "vocabularies.yml"
    vocab.write_text(vocab.read_text(encoding="utf-8").replace("description: 政务服务中心自身的工作机制", "description: <script>x</script>政务服务中心自身的工作机制"), encoding="utf-8")
    synonyms = root / "solutions" / "_registry" / "synonyms.yml"
    synonyms.write_text(synonyms.read_text(encoding="utf-8") + "  - [邮箱, office@example.cn]\n", encoding="utf-8")
    assert problems(root) == [
        "solutions/_registry/laws.yml:32: laws[3].title: 不允许包含 HTML、脚本或字符实体“<b>”，请写纯文本",
        "solutions/_registry/laws.yml:37: laws[3].url: 不允许“javascript:”网址，只接受 http:// 或 https:// 开头的网址",
        "solutions/_registry/laws.yml:38: laws[3].note: 不允许包含 HTML、脚本或字符实体“&amp;”，请写纯文本",
        "solutions/_registry/laws.yml:38: laws[3].note: 含有不可见的控制字符 U+202E（常由复制粘贴带入），请删除",
        "solutions/_registry/laws.yml:38: laws[3].note: 含有个人信息：疑似手机号码“138…78”，不得写入记录",
        "solutions/_registry/laws.yml:38: laws[3].note: 含有个人信息：疑似真实姓名“王先生”（请写成“某先生”“当事人”等），不得写入记录",
        "solutions/_registry/synonyms.yml:4: synonyms[2][1]: 含有个人信息：疑似电子邮箱“off…cn”，不得写入记录",
        "solutions/_registry/vocabularies.yml:34: domains[9].description: 不允许包含 HTML、脚本或字符实体“<script>”，请写纯文本",
    ]


def test_broken_registry_does_not_flood_every_record(tmp_path):
    root = registry_only(tmp_path)
    write(root, "minimal", MINIMAL)
    (root / "solutions" / "_registry" / "laws.yml").write_text("laws: [\n", encoding="utf-8")
    (root / "solutions" / "_registry" / "vocabularies.yml").write_text("- 不是映射\n", encoding="utf-8")
    assert problems(root) == [
        "solutions/_registry/laws.yml:2: (文件): YAML 语法错误：这里缺少内容：可能是括号没有闭合，或逗号、“- ”后面什么都没写（while parsing a flow node did not find expected node content）",
        "solutions/_registry/vocabularies.yml:1: (文件): 应为映射（字段: 值），实际为列表；请对照字段说明",
    ]


def test_every_problem_is_one_well_formed_line(tmp_path):
    root = registry_only(tmp_path)
    # Keys and values with line breaks, bidi overrides and very long text must
    # not break the file:line: field: message format.
    write(root, "minimal", MINIMAL + '"evil\\nkey\\u202e": 1\n"": 2\n' + f"{'k' * 500}: 3\n" + 'status2: "a\\nb"\n')
    result = run_kb("--root", str(root), "check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert "solutions/minimal.yml:32: evil\\nkey\\u202e: 未知字段“evil\\nkey\\u202e”" in lines[0]
    assert lines[1].startswith('solutions/minimal.yml:33: "": 未知字段“”')
    assert lines[2].startswith(f"solutions/minimal.yml:34: {'k' * 40}…: 未知字段“{'k' * 40}…”")


HOSTILE = {
    "a list of mappings": ("aliases: [最小示例, 必填字段]", "aliases: [" + "{}, " * 60_000 + "]"),
    "a list of mixed types": ("aliases: [最小示例, 必填字段]", "aliases: [" + "1, a, " * 40_000 + "]"),
    "many unknown keys": ("departments:\n", "".join(f"k{i}: 1\n" for i in range(25_000)) + "departments:\n"),
    "many phone numbers": ("aliases: [最小示例, 必填字段]", "aliases: [" + "王先生13812345678, " * 12_000 + "]"),
    "a long run of digits": ("summary: 这是一条只含必填字段的合法记录。", "summary: " + "1" * 250_000),
    "an unclosed tag repeated": ("summary: 这是一条只含必填字段的合法记录。", "summary: '" + "<a " * 80_000 + "'"),
    "many aliases": ("aliases: [最小示例, 必填字段]", "aliases: [" + "*a, " * 60_000 + "]\nanchor: &a x"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_take_linear_time(tmp_path, name):
    # About a quarter of the 1 MB limit each: linear work takes a second or two, anything
    # quadratic (pairwise comparisons, backtracking patterns) would take minutes.
    old, new = HOSTILE[name]
    root = registry_only(tmp_path)
    write(root, "minimal", MINIMAL.replace(old, new))
    start = time.perf_counter()
    found = check_sources(load_sources(root))
    assert time.perf_counter() - start < 10
    assert found


def test_basis_must_name_a_citation_of_the_same_record(tmp_path):
    root = registry_only(tmp_path)
    text = MINIMAL.replace("    time_limit: 即办\ntime_limit: 即办", "    time_limit: 即办\n    basis: [xingzheng-xuke-fa 第三十条, xingzheng-xuke-fa 第三十一条]\ntime_limit: 即办")
    text += "faq:\n  - question: 要带什么材料？\n    answer: 按公示的材料目录准备。\n    basis: [xingzheng-xuke-fa 第三十条]\n"
    text += "self_check:\n  - question: 依据是哪一条？\n    answer: 行政许可法第三十条。\n    basis: [jumin-shenfenzheng-fa 第三十条]\n"
    write(root, "minimal", text)
    assert problems(root) == [
        "solutions/minimal.yml:21: procedure[0].basis[1]: 这一步依据的“xingzheng-xuke-fa 第三十一条”不在本记录的办理依据（legal_basis）中，是否应为“xingzheng-xuke-fa 第三十条”？",
        "solutions/minimal.yml:40: self_check[0].basis[0]: 这道自测题依据的“jumin-shenfenzheng-fa 第三十条”不在本记录的办理依据（legal_basis）中，是否应为“xingzheng-xuke-fa 第三十条”？",
    ]


def test_basis_must_have_the_law_id_and_article_form(tmp_path):
    root = registry_only(tmp_path)
    write(root, "minimal", MINIMAL.replace("    time_limit: 即办\ntime_limit: 即办", "    time_limit: 即办\n    basis: [行政许可法第三十条]\ntime_limit: 即办"))
    assert problems(root) == [
        "solutions/minimal.yml:21: procedure[0].basis[0]: 应写作“法律编号 条款号”，与办理依据中的一条相同，如“xingzheng-xuke-fa 第二十六条第二款”",
    ]


def _with_revisions(root, text):
    laws = root / "solutions" / "_registry" / "laws.yml"
    lines = laws.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "id: jumin-shenfenzheng-fa" in line) + 1
    laws.write_text("".join(lines[:at]) + text + "".join(lines[at:]), encoding="utf-8")


def test_revisions_newest_first_and_not_in_force_before_adopted(tmp_path):
    root = registry_only(tmp_path)
    _with_revisions(root, "    revisions:\n"
                          "      - {adopted: 2020-01-01, effective: 2019-12-01}\n"
                          "      - {adopted: 2024-01-01, effective: 2024-03-01, articles: [第十二条]}\n")
    assert problems(root) == [
        "solutions/_registry/laws.yml:15: laws[1].revisions[0].effective: 修订施行日期（2019-12-01）早于修订通过日期（2020-01-01）",
        "solutions/_registry/laws.yml:16: laws[1].revisions[1].adopted: 修订应从新到旧排列：2024-01-01 通过的这次修订比上一项（revisions[0]，2020-01-01）新，请移到它前面",
    ]


def test_revision_articles_name_whole_articles(tmp_path):
    root = registry_only(tmp_path)
    _with_revisions(root, "    revisions:\n      - adopted: 2024-01-01\n        effective: 2024-03-01\n        articles: [第十二条第一款]\n")
    assert problems(root) == [
        "solutions/_registry/laws.yml:17: laws[1].revisions[0].articles[0]: 只写到“条”，如“第十二条”（不写款、项）",
    ]


def test_a_source_check_needs_its_source_publisher_and_date(tmp_path):
    root = registry_only(tmp_path)
    _with_revisions(root, "    verified: {source: 国家法律法规数据库, checked_on: 2026-13-01, url: 'ftp://x'}\n")
    found = problems(root)
    assert "solutions/_registry/laws.yml:14: laws[1].verified.publisher: 缺少必填字段“publisher”（发布者）" in found
    assert any(p.startswith("solutions/_registry/laws.yml:14: laws[1].verified.checked_on: “2026-13-01”不是有效日期") for p in found)
    assert "solutions/_registry/laws.yml:14: laws[1].verified.url: 不允许“ftp:”网址，只接受 http:// 或 https:// 开头的网址" in found
