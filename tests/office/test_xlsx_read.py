"""office.xlsx_read: every kind of spreadsheet slip is named by its sheet and cell, with its exact message.

Each bad workbook is made in the test from a good export of the fixture
knowledge base (two records: sample-draft on 事项 row 2, sample-home-visit on
row 3), so what is wrong with it is exactly the one change the case makes.
"""

import io
import zipfile
from datetime import datetime

import openpyxl
import pytest
from docx import Document

from kb.office import xlsx_file
from office_util import export, knowledge_base, problems, registry_copy


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("good")
    root = knowledge_base(tmp)
    return export(root, tmp / "good.xlsx"), registry_copy(root, tmp)


def _set(sheet, cell, value):
    return lambda wb: wb[sheet].__setitem__(cell, value)


def _copy_row(wb):
    for cell in wb["事项"][3]:
        wb["事项"].cell(row=4, column=cell.column, value=cell.value)


CELL_CASES = {
    "value not on the drop-down": (_set("事项", "D3", "已经发布"), [
        "bad.xlsx:事项!D3: status: “已经发布”不是可选值，是否应为“已发布”？（可选：草稿、已发布、已停用，请从下拉列表中选择）"]),
    "yes/no not on the drop-down": (_set("所需材料", "D2", "需要"), [
        "bad.xlsx:所需材料!D2: materials[0].required: “需要”不是可选值（可选：是、否，请从下拉列表中选择）"]),
    "an id stored as a number": (_set("相关事项", "B2", 12), [
        "bad.xlsx:相关事项!B2: related[0]: 应为文本，单元格里是数字 12：Excel 会把 0012 这样的编号存成数字 12，去掉开头的 0；"
        "请把单元格设为“文本”格式（或在开头加英文单引号 '）后重新输入"]),
    "a logical value where text belongs": (_set("事项", "B3", True), [
        "bad.xlsx:事项!B3: title: 应为文本，单元格里是逻辑值 TRUE：请把单元格设为“文本”格式后重新输入"]),
    "a date stored as a number": (_set("事项", "AB3", 46128), [
        "bad.xlsx:事项!AB3: review.reviewed_on: 日期被存成了数字 46128（Excel 的日期序号，相当于 2026-04-16）："
        "请把单元格设为“文本”格式，写成 YYYY-MM-DD，如 2025-04-16"]),
    "a date written as other text": (_set("事项", "AB3", "2026/4/16"), [
        "bad.xlsx:事项!AB3: review.reviewed_on: “2026/4/16”应写成 YYYY-MM-DD（年份四位，月、日各两位），如 2025-04-16"]),
    "a date with a time": (_set("事项", "AB3", datetime(2026, 4, 16, 9, 30)), [
        "bad.xlsx:事项!AB3: review.reviewed_on: 日期里带有时间（2026-04-16 09:30:00），只写日期 YYYY-MM-DD"]),
    "a year-month turned into a date": (_set("脱敏个案", "C2", datetime(2026, 4, 1)), [
        "bad.xlsx:脱敏个案!C2: cases[0].date: 应为文本，Excel 把这里的内容当成了日期 2026-04-01：请把单元格设为“文本”格式后重新输入"]),
    "full-width digits in a number": (_set("办理流程", "F4", "５"), [
        "bad.xlsx:办理流程!F4: procedure[1].time_limit.value: “５”是全角数字，请改为半角数字 5"]),
    "full-width digits in a date": (_set("事项", "AC3", "２０２７-０５-０１"), [
        "bad.xlsx:事项!AC3: review.next_review: “２０２７-０５-０１”含有全角数字“２”，请改为半角：2027-05-01"]),
    "full-width letters in an id": (_set("相关事项", "B2", "ｓａｍｐｌｅ-draft"), [
        "bad.xlsx:相关事项!B2: related[0]: “ｓａｍｐｌｅ-draft”含有全角字符“ｓ”，请改为半角：sample-draft"]),
    "a stray space": (_set("常用叫法", "B2", " 老人换身份证"), [
        "bad.xlsx:常用叫法!B2: aliases[0]: “老人换身份证”开头有多余的空格，请删除"]),
    "a trailing space": (_set("事项", "E3", "户籍证件 "), [
        "bad.xlsx:事项!E3: domain: “户籍证件”末尾有多余的空格，请删除"]),
    "a cell of spaces": (_set("事项", "AA3", "   "), [
        "bad.xlsx:事项!AA3: review.owner: 只有空格，没有内容：请清空这个单元格或填写内容"]),
    "a line break in a one-line field": (_set("事项", "B3", "样例：失能人员居民身份证\n换领上门服务"), [
        "bad.xlsx:事项!B3: title: “样例：失能人员居民身份证\\n换领上门服务”中有换行（Alt+Enter），这一项只能写一行，请删除换行"]),
    "a merged cell": (lambda wb: wb["事项"].merge_cells("AA2:AA3"), [
        "bad.xlsx:事项!AA2:AA3: review.owner: 是合并单元格：请取消合并，每个单元格各自填写（合并后只保留左上角单元格的内容，其余内容会丢失）"]),
    "a formula": (_set("事项", "B3", "=B2"), [
        "bad.xlsx:事项!B3: title: 是公式“=B2”：导入只读取填写的内容，不计算公式；请把公式换成它的结果（复制后“选择性粘贴 → 数值”）"]),
    "an error value": (_set("事项", "B3", "#REF!"), [
        "bad.xlsx:事项!B3: title: 是错误值 #REF!：请改正公式或改为填写内容"]),
    "a time limit of 即办 with a number": (_set("办理流程", "F3", 2), [
        "bad.xlsx:办理流程!F3: procedure[0].time_limit.value: 时限单位选了“即办”，这一列应留空"]),
    "a row whose 编号 is on no 事项 row": (_set("常用叫法", "A2", "no-such-record"), [
        "bad.xlsx:常用叫法!A2: id: 编号“no-such-record”不在“事项”工作表中：先在“事项”工作表添加这条记录，或改正编号",
        "bad.xlsx:常用叫法!A3: aliases: 至少需要 2 项，现有 1 项"]),
    "a list row without 编号": (_set("常用叫法", "A2", None), [
        "bad.xlsx:常用叫法!A2: id: 缺少编号：这一行属于哪条记录？请填写“事项”工作表中的编号",
        "bad.xlsx:常用叫法!A3: aliases: 至少需要 2 项，现有 1 项"]),
    "a record on two rows": (_copy_row, [
        "bad.xlsx:事项!A4: id: 编号“sample-home-visit”在第 3 行已经出现过：每条记录只占一行"]),
    "a step out of order": (_set("办理流程", "B4", 3), [
        "bad.xlsx:办理流程!B4: 步骤序号: 应为 2：这是编号“sample-home-visit”的第 2 个步骤（按本工作表中行的先后）；"
        "插入或删除步骤后请重新编排步骤序号，并相应修改“步骤材料”、“办理流程·所依据的条款”、“办理流程·适用情形”工作表"]),
    "a step material of no step": (_set("步骤材料", "B2", 9), [
        "bad.xlsx:步骤材料!B2: 步骤序号: “办理流程”工作表中没有编号为“sample-home-visit”、步骤序号为 9 的行"]),
    "a row with only its 编号 among others": (lambda wb: wb["常用叫法"].append(["sample-home-visit"]), [
        "bad.xlsx:常用叫法!A6: aliases: 这一行只有编号，没有内容：请删除这一行，或填写内容"]),
    "a hidden sheet": (lambda wb: setattr(wb["标签"], "sheet_state", "hidden"), [
        "bad.xlsx:标签: (工作表): 工作表“标签”被隐藏：导入前请取消隐藏并确认其中的内容（隐藏的内容同样会被导入）"]),
    "a renamed sheet": (lambda wb: setattr(wb["办理流程"], "title", "流程"), [
        "bad.xlsx:办理流程: (工作表): 缺少工作表“办理流程”：不要删除或改名导出的工作表（没有内容时保留表头即可）",
        "bad.xlsx:流程: (工作表): 未知的工作表“流程”：是否由“办理流程”改名而来？请改回原名"]),
    "a missing sheet": (lambda wb: wb.remove(wb["标签"]), [
        "bad.xlsx:标签: (工作表): 缺少工作表“标签”：不要删除或改名导出的工作表（没有内容时保留表头即可）"]),
    "one internal sheet of two": (lambda wb: wb.remove(wb["升级联络"]), [
        "bad.xlsx:升级联络: (工作表): 缺少工作表“升级联络”：不要删除或改名导出的工作表（没有内容时保留表头即可）"]),
    "an extra sheet": (lambda wb: wb.create_sheet("我的笔记"), [
        "bad.xlsx:我的笔记: (工作表): 未知的工作表“我的笔记”：导入只认这些工作表：事项、共性成因、常用叫法、适用情形、不适用情形、"
        "办理依据、办理流程、步骤材料、办理流程·所依据的条款、办理流程·适用情形、其他期限、办理情形、收费项目、收费依据条款、送达方式、对应政务服务事项、"
        "配合部门、来源、所需材料、材料依据、所需材料·适用情形、常见问题、常见问题·所依据的条款、培训自测题、"
        "培训自测题·所依据的条款、相关事项、修订记录、标签、脱敏个案、升级联络；请删除这个工作表或把内容移到对应的工作表"]),
    "a renamed header": (_set("办理依据", "C1", "条款"), [
        "bad.xlsx:办理依据!1:1: (表头): 缺少列：条款号（不要删除或改名表头）",
        "bad.xlsx:办理依据!C1: (表头): 未知的列“条款”，是否应为“条款号”？（表头要与导出时一致，不要改名或增加列）"]),
    "a header with a space": (_set("事项", "B1", "标题 "), [
        "bad.xlsx:事项!B1: (表头): 表头“标题 ”前后有多余的空格，请删除"]),
    "a column without a header": (_set("标签", "D5", "备注"), [
        "bad.xlsx:标签!D1: (表头): 这一列有内容但没有表头：请填写表头（见“说明”工作表），或删除这一列"]),
}


@pytest.mark.parametrize("case", list(CELL_CASES))
def test_bad_workbook_is_named_by_cell(case, good, tmp_path):
    workbook, empty = good
    change, expected = CELL_CASES[case]
    wb = openpyxl.load_workbook(workbook)
    change(wb)
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    assert problems(empty, bad) == expected
    assert not list((empty / "solutions").glob("*.yml"))


def _ole(*streams: str) -> bytes:
    """The start of an OLE compound file naming ``streams`` (what the reader looks at: its signature and names)."""
    return xlsx_file._OLE_MAGIC + bytes(504) + b"".join(s.encode("utf-16-le") + bytes(64 - 2 * len(s)) for s in streams)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


FILE_CASES = {
    "an old .xls": (lambda good: _ole("Root Entry", "Workbook", "SummaryInformation"),
                    "是旧版 Excel 97-2003 工作簿（.xls），不是 .xlsx：请在 Excel/WPS 中“另存为 → Excel 工作簿（*.xlsx）”后再导入"),
    "a password-protected workbook": (
        lambda good: _ole("Root Entry", "EncryptionInfo", "EncryptedPackage"),
        "工作簿设有打开密码（已加密），无法读取：请在 Excel/WPS 中打开，在“文件 → 信息 → 保护工作簿 → 用密码进行加密”"
        "（WPS：“文件 → 文档加密”）中清除密码后另存，再导入"),
    "a CSV renamed to .xlsx": (lambda good: "编号,标题\nsample-draft,样例\n".encode("utf-8"),
                               "是纯文本（CSV 或制表符分隔的文本），不是 xlsx 工作簿：CSV 会丢掉下拉列表和文本格式，"
                               "请用 kb export --format xlsx 导出的工作簿编辑"),
    "a GBK CSV": (lambda good: "编号,标题\n".encode("gbk"),
                  "是纯文本（CSV 或制表符分隔的文本），不是 xlsx 工作簿：CSV 会丢掉下拉列表和文本格式，"
                  "请用 kb export --format xlsx 导出的工作簿编辑"),
    "a Word document renamed": (lambda good: _docx(), "是 Word 文档（.docx）改了扩展名，不是 xlsx 工作簿"),
    "a PDF renamed": (lambda good: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "是 PDF 文件，不是 xlsx 工作簿"),
    "some other zip": (lambda good: _zip({"readme.txt": b"hello"}), "是 zip 压缩包，但不是 xlsx 工作簿（可能是其他文件改了扩展名）"),
    "a truncated workbook": (lambda good: good[: len(good) // 2], "文件已损坏（不是完整的 xlsx 压缩包），请重新保存或重新导出"),
    "a workbook with macros": (
        lambda good: _zip({"xl/workbook.xml": b"<workbook/>", "xl/vbaProject.bin": b"\0" * 16}),
        "含有宏（VBA）：请另存为不含宏的 Excel 工作簿（*.xlsx）后再导入"),
    "an empty file": (lambda good: b"", "文件是空的（0 字节），不是 xlsx 工作簿"),
    "a workbook saved as Strict Open XML": (
        lambda good: _strict(good),
        "是以“Strict Open XML 电子表格”格式保存的工作簿，导入读不了这种格式：请在 Excel 中打开，"
        "“文件 → 另存为”，保存类型选“Excel 工作簿 (*.xlsx)”（WPS 选“Excel 文件 (*.xlsx)”）后再导入"),
}


def _strict(good: bytes) -> bytes:
    """The good workbook in the namespaces Excel writes for "Strict Open XML Spreadsheet"."""
    source = zipfile.ZipFile(io.BytesIO(good))
    members = {}
    for name in source.namelist():
        data = source.read(name)
        if name.startswith("xl/") and name.endswith((".xml", ".rels")):
            data = data.replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                                b"http://purl.oclc.org/ooxml/spreadsheetml/main")
            data = data.replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                                b"http://purl.oclc.org/ooxml/officeDocument/relationships")
        members[name] = data
    return _zip(members)


@pytest.mark.parametrize("case", list(FILE_CASES))
def test_not_an_xlsx_workbook(case, good, tmp_path):
    workbook, empty = good
    make, message = FILE_CASES[case]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(make(workbook.read_bytes()))
    assert problems(empty, bad) == [f"bad.xlsx: (文件): {message}"]


def test_over_10_mb_is_not_read(good, tmp_path):
    workbook, empty = good
    bad = tmp_path / "bad.xlsx"
    with bad.open("wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)
    assert problems(empty, bad) == ["bad.xlsx: (文件): 文件过大（10,485,761 字节），工作簿不得超过 10 MB（10,485,760 字节）"]


def test_a_zip_bomb_is_not_unpacked(good, tmp_path, monkeypatch):
    workbook, empty = good
    monkeypatch.setattr(xlsx_file, "MAX_UNPACKED", 1000)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"0" * 5000}))
    assert problems(empty, bad) == ["bad.xlsx: (文件): 解压后过大（5,011 字节，上限 1,000 字节），不予读取"]


def test_problems_sort_by_sheet_then_cell(good, tmp_path):
    workbook, empty = good
    wb = openpyxl.load_workbook(workbook)
    wb["常用叫法"]["B2"] = " 上门"
    wb["事项"]["D3"] = "发布"
    wb["事项"]["B2"] = "=A1"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    assert [p.split(": ")[0] for p in problems(empty, bad)] == ["bad.xlsx:事项!B2", "bad.xlsx:事项!D3", "bad.xlsx:常用叫法!B2"]


def test_a_chart_sheet_is_named(good, tmp_path):
    from openpyxl.chart import BarChart, Reference

    workbook, empty = good
    wb = openpyxl.load_workbook(workbook)
    chart = BarChart()
    chart.add_data(Reference(wb["事项"], min_col=14, min_row=1, max_row=3), titles_from_data=True)
    wb.create_chartsheet("图表").add_chart(chart)
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    assert problems(empty, bad) == ["bad.xlsx:图表: (工作表): “图表”是图表工作表，不是表格：导入只读表格，请删除它"]


def _with_sheet_xml(workbook, change) -> bytes:
    """The workbook with the first sheet's XML passed through ``change`` (what openpyxl will not write)."""
    source = zipfile.ZipFile(workbook)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            out.writestr(item, change(data) if item.filename == "xl/worksheets/sheet1.xml" else data)
    return buffer.getvalue()


def test_a_merge_of_whole_columns_is_refused_before_opening(good, tmp_path):
    # openpyxl makes an object per merged cell: C2:C1048576 would take minutes and gigabytes.
    workbook, empty = good
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_with_sheet_xml(workbook, lambda xml: xml.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="C2:D1048576"/></mergeCells>')))
    assert problems(empty, bad) == [
        "bad.xlsx: (文件): 合并单元格的范围过大（共 2,097,150 个单元格），不予读取：请取消合并后再导入"]


def test_a_stray_value_far_down_is_read_without_the_rows_between(good, tmp_path):
    workbook, empty = good
    wb = openpyxl.load_workbook(workbook)
    wb["标签"]["B1048576"] = "上门"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    assert problems(empty, bad) == [
        "bad.xlsx:标签!A1048576: id: 缺少编号：这一行属于哪条记录？请填写“事项”工作表中的编号"]


# -- the fields of a real guide (issue 24): full.yml has every one of them ---------------------------

@pytest.fixture(scope="module")
def full(tmp_path_factory):
    from office_util import VALID

    tmp = tmp_path_factory.mktemp("full")
    root = knowledge_base(tmp, extra=[VALID / "full.yml"])
    return export(root, tmp / "good.xlsx"), registry_copy(root, tmp)


def _col(wb, sheet, header):
    return next(c.column_letter for c in wb[sheet][1] if c.value == header)


def _row(wb, sheet, record_id):
    return next(r for r in range(2, wb[sheet].max_row + 1) if wb[sheet].cell(row=r, column=1).value == record_id)


def _set_at(sheet, header, value, record_id="full"):
    def change(wb):
        wb[sheet][f"{_col(wb, sheet, header)}{_row(wb, sheet, record_id)}"] = value
    return change


GUIDE_CASES = {
    "不收费 and fee items both": (_set_at("事项", "收费", "不收费"), [
        "bad.xlsx:事项!R2: fees: “收费”填了“不收费”，“收费项目”工作表又为这条记录列了收费项目（第 2 行，收费项目!A2）："
        "两处只能填一处——是“不收费”的，删去“收费项目”中这些行；不是的，清空 R2 这个单元格"]),
    "a fee constant that is not one": (_set_at("事项", "收费", "免费"), [
        "bad.xlsx:事项!R2: fees: “免费”不是可选值（可选：不收费，请从下拉列表中选择）"]),
    "a kind not on the drop-down": (_set_at("事项", "法定办结时限性质", "规定"), [
        "bad.xlsx:事项!O2: statutory_time_limit.kind: “规定”不是可选值，是否应为“法定”？（可选：法定、承诺，请从下拉列表中选择）"]),
    "an empty part of a joined basis": (_set_at("事项", "法定办结时限依据", "xingzheng-xuke-fa 第四十二条第一款；"), [
        "bad.xlsx:事项!P2: statutory_time_limit.basis: “xingzheng-xuke-fa 第四十二条第一款；”中有空的一项"
        "（两个“；”之间或开头、末尾没有内容）：几项之间用一个“；”隔开"]),
    "a basis citation not in the record's legal basis": (
        _set_at("事项", "法定办结时限依据", "xingzheng-xuke-fa 第四十二条第一款；xingzheng-xuke-fa 第一条"), None),
    "即办 with a kind": (lambda wb: [_set_at("事项", "承诺时限", None)(wb), _set_at("事项", "时限单位", "即办")(wb)], [
        "bad.xlsx:事项!J2: time_limit.kind: 时限单位选了“即办”，这一列应留空",
        "bad.xlsx:事项!L2: time_limit.document: 时限单位选了“即办”，这一列应留空"]),
    "an amount with its unit": (_set_at("收费项目", "金额", "20元"), [
        "bad.xlsx:收费项目!D2: fees[0].amount: “20元”：这一列只写数字 20，单位写在“计费单位”一列"]),
    "copies not a whole number": (_set_at("所需材料", "原件份数", 1.5), [
        "bad.xlsx:所需材料!H2: materials[0].copies.original: 应为整数，单元格里是 1.5"]),
    "a step counted as maybe": (_set_at("办理流程", "计入承诺时限", "不一定"), [
        "bad.xlsx:办理流程!L2: procedure[0].counted: “不一定”不是可选值（可选：是、否，请从下拉列表中选择）"]),
}


@pytest.mark.parametrize("case", list(GUIDE_CASES))
def test_bad_guide_fields_are_named_by_cell(case, full, tmp_path):
    book, empty = full
    change, expected = GUIDE_CASES[case]
    wb = openpyxl.load_workbook(book)
    change(wb)
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    found = problems(empty, bad)
    if expected is None:  # kb check's own rule, at the cell the value came from
        assert found and all(p.startswith("bad.xlsx:事项!P2: statutory_time_limit.basis[1]: ") for p in found), found
    else:
        assert found == expected
    assert not list((empty / "solutions").glob("*.yml"))
