"""kb ledger check: every bad cell named as FILE:台账!C12 / FILE:12, in Chinese, exit 0/1/2, never a traceback."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from conftest import FIXTURES, run_kb
from kb.knowledge import load_knowledge_base
from kb.ledger.check import Vocabulary, read_and_check
from kb.ledger.table import COLUMNS
from ledger_helpers import row, write_csv

KB = FIXTURES / "kb"
RECORD = "sample-home-visit"


@pytest.fixture(scope="module")
def vocab():
    return Vocabulary.of(load_knowledge_base(KB).kb)


def lines(vocab, *paths) -> list[str]:
    _, _, problems = read_and_check(list(paths), vocab)
    return [str(p) for p in problems]


def one(tmp_path, vocab, **changes) -> list[str]:
    path = write_csv(tmp_path / "l.csv", [row(**changes)])
    return lines(vocab, path)


def test_a_good_ledger_has_no_problem(tmp_path, vocab):
    path = write_csv(tmp_path / "l.csv", [row(), row(编号="C-002", 一类事编号=RECORD, 结果="", 办结日期="", 答复日期=""),
                                          row(编号="C-003", 成因="服务流程不规范、政策界定不清楚", 结果="未解决", 办结日期="")])
    _, cases, problems = read_and_check([path], vocab)
    assert problems == [] and [c.number for c in cases] == ["C-001", "C-002", "C-003"]
    assert cases[2].causes == ["服务流程不规范", "政策界定不清楚"] and cases[1].record == RECORD


@pytest.mark.parametrize("summary, kind", [
    ("申请人身份证号110101199003071233，说社保断了。", "疑似居民身份证号码"),
    ("联系电话 138 1234 5678，老人身份证过期。", "疑似手机号码"),
    ("王女士反映身份证过期。", "疑似真实姓名"),
    ("住在幸福路18号，身份证过期。", "疑似详细地址"),
])
def test_personal_data_in_the_summary_is_refused(tmp_path, vocab, summary, kind):
    found = one(tmp_path, vocab, 诉求摘要=summary)
    assert len(found) == 1 and found[0].startswith(f"{tmp_path / 'l.csv'}:2: 诉求摘要: 含有个人信息：{kind}"), found


def test_an_18_digit_number_with_a_wrong_check_character_is_no_id_number(tmp_path, vocab):
    assert one(tmp_path, vocab, 诉求摘要="档案编号110101199003071234，身份证过期。") == []


@pytest.mark.parametrize("changes, expected", [
    ({"诉求摘要": ""}, "l.csv:2: 诉求摘要: 诉求摘要不能为空"),
    ({"受理日期": "3月2日"}, "l.csv:2: 受理日期: “3月2日”不是日期，应写成 YYYY-MM-DD"),
    ({"受理日期": "2026/3/2"}, "l.csv:2: 受理日期: “2026/3/2”应写成 YYYY-MM-DD"),
    ({"受理日期": "46083"}, "l.csv:2: 受理日期: “46083”是 Excel 的日期序号，不是日期，相当于 2026-03-02"),
    ({"受理日期": "2026-02-30"}, "l.csv:2: 受理日期: “2026-02-30”不是有效日期：2026 年 2 月只有 28 天"),
    ({"受理日期": ""}, "l.csv:2: 受理日期: 受理日期不能为空"),
    ({"办结日期": "2026-03-01", "答复日期": ""}, "l.csv:2: 办结日期: 办结日期 2026-03-01 早于受理日期 2026-03-02"),
    ({"答复日期": "2026-03-01"}, "l.csv:2: 答复日期: 答复日期 2026-03-01 早于受理日期 2026-03-02"),
    ({"办结日期": ""}, "l.csv:2: 办结日期: 结果为“已解决”，但没有办结日期"),
    ({"结果": ""}, "l.csv:2: 结果: 有办结日期 2026-03-05，但没有填结果"),
    ({"结果": "办好了"}, "l.csv:2: 结果: “办好了”不在可选值之中，可选：已解决、部分解决、未解决"),
    ({"处置类型": "没办法"}, "l.csv:2: 处置类型: “没办法”不在可选值之中"),
    ({"诉求人类型": "单位"}, "l.csv:2: 诉求人类型: “单位”不在可选值之中，可选：个人、企业"),
    ({"领域": "教育"}, "l.csv:2: 领域: “教育”不在可选值之中"),
    ({"成因": "其他"}, "l.csv:2: 成因: “其他”不是六类共性成因之一"),
    ({"成因": "服务流程不规范，政策界定不清楚"}, "l.csv:2: 成因: “服务流程不规范，政策界定不清楚”：几个成因之间请用顿号“、”隔开"),
    ({"一类事编号": "sample-home-vist"}, "l.csv:2: 一类事编号: “sample-home-vist”不是知识库里任何一类事的编号，是否应为“sample-home-visit”？"),
    ({"编号": ""}, "l.csv:2: 编号: 编号不能为空"),
])
def test_each_rule_names_the_cell(tmp_path, vocab, changes, expected):
    found = one(tmp_path, vocab, **changes)
    assert any(line.startswith(f"{tmp_path}/{expected}") for line in found), found


def test_a_duplicated_number_names_both_rows(tmp_path, vocab):
    path = write_csv(tmp_path / "l.csv", [row(), row(诉求摘要="另一件事。")])
    assert lines(vocab, path) == [f"{path}:3: 编号: 编号“C-001”重复：与第 2 行相同，本台账内编号不能重复"]


def test_combined_ledgers_key_cases_by_window_and_number(tmp_path, vocab):
    a = write_csv(tmp_path / "a.csv", [row()])
    b = write_csv(tmp_path / "b.csv", [row()])
    c = write_csv(tmp_path / "c.csv", [row(窗口="乙中心", 诉求摘要="乙中心的同号诉求。")])
    found = lines(vocab, a, b, c)
    assert len(found) == 1 and found[0].startswith(f"{b}:2: 编号: 窗口“甲中心”的编号“C-001”在 {a}:2 已经有了"), found


def test_a_missing_column_is_named(tmp_path, vocab):
    path = write_csv(tmp_path / "l.csv", [row()], columns=[c for c in COLUMNS if c != "诉求摘要"])
    assert lines(vocab, path) == [f"{path}:1: (表头): 缺少列：诉求摘要（表头应有：{'、'.join(COLUMNS)}，顺序不限，可以有其他列）"]


def test_extra_columns_and_any_order_are_fine(tmp_path, vocab):
    path = write_csv(tmp_path / "l.csv", [row(备注="回访满意")], columns=["备注", *reversed(COLUMNS)])
    assert lines(vocab, path) == []


def test_a_gbk_csv_says_so_and_how_to_save_it(tmp_path, vocab):
    path = write_csv(tmp_path / "l.csv", [row()], encoding="gbk")
    [line] = lines(vocab, path)
    assert line.startswith(f"{path}: (文件): CSV 是 GBK") and "CSV UTF-8（逗号分隔）" in line


@pytest.mark.parametrize("content, words", [
    (b"%PDF-1.7 ...", "是 PDF 文件"),
    (b"\x00\x01\x02binary", "不是表格文件"),
    (b"", "文件是空的"),
])
def test_a_file_that_is_not_a_spreadsheet(tmp_path, vocab, content, words):
    path = tmp_path / "l.csv"
    path.write_bytes(content)
    [line] = lines(vocab, path)
    assert line.startswith(f"{path}: (文件): ") and words in line


def test_a_word_document_named_xlsx(tmp_path, vocab):
    path = tmp_path / "l.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    [line] = lines(vocab, path)
    assert "是 Word 文档" in line


def _workbook(path, sheet="台账", rows=()):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(COLUMNS))
    for values in rows:
        ws.append(values)
    wb.save(path)
    return path


def test_a_workbook_without_the_ledger_sheet(tmp_path, vocab):
    path = _workbook(tmp_path / "l.xlsx", sheet="Sheet1")
    [line] = lines(vocab, path)
    assert line.startswith(f"{path}: (文件): 工作簿里没有名为“台账”的工作表（现有：“Sheet1”）")


def test_workbook_cells_are_named_by_sheet_and_cell(tmp_path, vocab):
    good = [row()[c] for c in COLUMNS]
    good[1], good[8], good[9] = date(2026, 3, 2), datetime(2026, 3, 3), date(2026, 3, 5)
    serial = list(good)
    serial[0], serial[1] = "C-002", 46083
    texty = list(good)
    texty[0], texty[2] = "C-003", "电话13812345678"
    path = _workbook(tmp_path / "l.xlsx", rows=[good, serial, texty])
    assert lines(vocab, path) == [
        f"{path}:台账!B3: 受理日期: 日期被存成了数字 46083（Excel 的日期序号，相当于 2026-03-02）："
        "请把单元格设为日期格式，或写成 YYYY-MM-DD，如 2026-03-02",
        f"{path}:台账!C4: 诉求摘要: 含有个人信息：疑似手机号码“138…78”；台账不得写入姓名、身份证号、电话和住址，请删去或改写",
    ]


def test_the_fast_workbook_reader_reads_what_openpyxl_reads(tmp_path):
    from openpyxl import load_workbook

    from kb.ledger.table import _fast_rows

    good = [row()[c] for c in COLUMNS]
    good[1] = date(2026, 3, 2)
    path = _workbook(tmp_path / "l.xlsx", rows=[good, [None, None, "只有摘要", True, 3.5]])
    fast = [cells + [None] * (13 - len(cells)) for _, cells in _fast_rows(path.read_bytes())]
    slow = [list(r) for r in load_workbook(path, read_only=True).active.iter_rows(values_only=True)]
    assert fast == slow


# -- the command ----------------------------------------------------------------------------------------

def test_the_command_exit_codes_and_no_traceback(tmp_path):
    good = write_csv(tmp_path / "good.csv", [row()])
    bad = write_csv(tmp_path / "bad.csv", [row(), row(编号="C-002", 诉求摘要="身份证号110101199003071233。")])
    done = run_kb("--root", str(KB), "ledger", "check", str(good))
    assert done.returncode == 0 and done.stdout == "", done.stderr
    done = run_kb("--root", str(KB), "ledger", "check", str(bad))
    assert done.returncode == 1 and done.stdout.startswith(f"{bad}:3: 诉求摘要: 含有个人信息") and "Traceback" not in done.stderr
    for args in ([], [str(tmp_path / "missing.csv")]):
        done = run_kb("--root", str(KB), "ledger", "check", *args)
        assert done.returncode == 2 and "Traceback" not in done.stderr and done.stderr.startswith("错误：")


def test_a_directory_or_unreadable_file_is_a_clear_problem(tmp_path):
    (tmp_path / "dir.csv").mkdir()
    done = run_kb("--root", str(KB), "ledger", "check", str(tmp_path / "dir.csv"))
    assert done.returncode == 1 and "是一个目录" in done.stdout and "Traceback" not in done.stderr
