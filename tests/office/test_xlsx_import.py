"""office.xlsx_import: export then import gives the same records; kb check's rules named by cell; --update only."""

import difflib
import json
import shutil

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT
from kb.site.edition import Edition
from kb.knowledge import load_knowledge_base
from kb.office import yaml_write
from kb.office.xlsx_import import plan_import
from office_util import VALID, export, import_ok, knowledge_base, problems, records, registry_copy


def _views(root, edition="internal"):
    loaded = load_knowledge_base(root)
    assert loaded.ok, [str(p) for p in loaded.problems]
    return json.dumps(Edition(edition, loaded.kb).views, ensure_ascii=False, sort_keys=True, indent=1)


def _round_trip(root, tmp_path):
    workbook = export(root, tmp_path / "kb.xlsx")
    empty = registry_copy(root, tmp_path)
    plan = import_ok(empty, workbook)
    assert len(plan.changes) == len(records(root)) and all(c.new for c in plan.changes)
    assert records(empty) == records(root)
    assert _views(empty) == _views(root)
    return empty


def test_the_whole_knowledge_base_round_trips(tmp_path):
    root = knowledge_base(tmp_path, ROOT / "solutions")
    before = records(root)
    assert len(before) >= 20
    empty = _round_trip(root, tmp_path)
    for path in (empty / "solutions").glob("*.yml"):
        assert path.read_text(encoding="utf-8").startswith(yaml_write.schema_line() + "\n")


def test_the_fixtures_round_trip(tmp_path):
    # full.yml: every field; minimal.yml: required fields only; yaml-features.yml: block texts, [] lists, "010".
    root = knowledge_base(tmp_path, extra=[VALID / "full.yml", VALID / "minimal.yml", VALID / "yaml-features.yml"])
    _round_trip(root, tmp_path)


# -- the rules of kb check, at the cell --------------------------------------------------------------

def _set(sheet, cell, value):
    return lambda wb: wb[sheet].__setitem__(cell, value)


def _drop_rows(sheet, record_id):
    def change(wb):
        ws = wb[sheet]
        for row in range(ws.max_row, 1, -1):
            if ws.cell(row=row, column=1).value == record_id:
                ws.delete_rows(row)
    return change


RULE_CASES = {
    "a law not in the registry": (_set("办理依据", "B2", "jumin-shenfenzheng"), [
        "bad.xlsx:办理依据!B2: legal_basis[0].law: 法律依据“jumin-shenfenzheng”不在登记表 solutions/_registry/laws.yml 中，"
        "是否应为“jumin-shenfenzheng-fa”？"]),
    "a time limit below its minimum": (_set("办理流程", "F4", 0), [
        "bad.xlsx:办理流程!F4: procedure[1].time_limit.value: 不能小于 1（现为 0）"]),
    "a vocabulary term typed by hand": (_set("事项", "E3", "户口"), [
        "bad.xlsx:事项!E3: domain: “户口”不在领域词表中，可选：户籍证件、不动产登记、社会保险、医疗保障、市场主体登记、安全生产许可、"
        "劳动用工、工程建设审批、矛盾纠纷化解、政务服务"]),
    "review dates out of order": (_set("事项", "AC3", "2020-01-01"), [
        "bad.xlsx:事项!AC3: review.next_review: 下次复核日期（2020-01-01）早于最近复核日期 reviewed_on（2026-11-01）"]),
    "an impossible date": (_set("修订记录", "B2", "2026-02-30"), [
        "bad.xlsx:修订记录!B2: changelog[0].date: “2026-02-30”不是有效日期：2026 年 2 月只有 28 天"]),
    "personal data": (_set("常见问题", "D2", "可以，请拨打 138 1234 5678 预约上门时间。"), [
        "bad.xlsx:常见问题!D2: faq[0].answer: 含有个人信息：疑似手机号码“138…78”，不得写入记录"]),
    "markup": (_set("事项", "C3", "行动不便的群众换领身份证，<b>上门</b>采集。"), [
        "bad.xlsx:事项!C3: summary: 不允许包含 HTML、脚本或字符实体“<b>”，请写纯文本"]),
    "part of a group left empty": (_set("事项", "AD3", None), [
        "bad.xlsx:事项!AD3: statistics.received: 缺少必填字段“received”（受理件数）"]),
    "more solved than received": (_set("事项", "AE3", 13), [
        "bad.xlsx:事项!AE3: statistics.solved: 已解决件数（13）不能多于受理件数（12）"]),
    "a required list with no rows": (_drop_rows("适用情形", "sample-home-visit"), [
        "bad.xlsx:事项!A3: applies_when: 缺少必填字段“applies_when”（适用情形）（在“适用情形”工作表中，编号为“sample-home-visit”的行）"]),
    "a link to no record": (_set("相关事项", "B2", "sample-drafts"), [
        "bad.xlsx:相关事项!B2: related[0]: 相关记录“sample-drafts”不存在"]),
    "an invalid id": (lambda wb: [ws.__setitem__(f"A{r}", "Sample_Home") for ws in wb.worksheets[:1] + wb.worksheets[2:-1]
                                  for r in range(2, ws.max_row + 1) if ws[f"A{r}"].value == "sample-home-visit"], [
        "bad.xlsx:事项!A3: id: 只能由小写字母、数字和单个连字符组成（如 idcard-home-visit），不能含“/”“..”等路径字符"]),
    "an id changed on 事项 only": (_set("事项", "A3", "sample-visit"), None),
}


@pytest.fixture(scope="module")
def fixture_export(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rules")
    root = knowledge_base(tmp)
    return export(root, tmp / "good.xlsx"), registry_copy(root, tmp)


@pytest.mark.parametrize("case", list(RULE_CASES))
def test_record_rules_are_named_by_cell(case, fixture_export, tmp_path):
    workbook, empty = fixture_export
    change, expected = RULE_CASES[case]
    wb = openpyxl.load_workbook(workbook)
    change(wb)
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    found = problems(empty, bad)
    if expected is None:  # the record's rows now belong to no record: one line for them, at the first
        assert found[-1] == ("bad.xlsx:共性成因!A4: id: 编号“sample-home-visit”不在“事项”工作表中（共 22 行用了这个编号，在“共性成因”、"
                             "“常用叫法”、“适用情形”、“不适用情形”、“办理依据”、“办理流程”、“步骤材料”、“其他期限”、“配合部门”、“来源”、“所需材料”、“材料依据”、"
                             "“常见问题”、“培训自测题”、“相关事项”、“修订记录”、“脱敏个案”、“升级联络”工作表）："
                             "先在“事项”工作表添加这条记录，或改正编号")
        assert all(p.startswith("bad.xlsx:事项!A3: ") and "缺少必填字段" in p for p in found[:-1])
    else:
        assert found == expected
    assert not list((empty / "solutions").glob("*.yml"))


def test_a_clash_with_a_record_on_disk_names_both(fixture_export, tmp_path):
    workbook, empty = fixture_export
    root = registry_copy(empty, tmp_path, "clash")
    other = (FIXTURES / "kb" / "solutions" / "sample-draft.yml").read_text(encoding="utf-8")
    (root / "solutions" / "other.yml").write_text(other.replace("id: sample-draft", "id: other"), encoding="utf-8")
    title_line = 1 + other.splitlines().index(next(line for line in other.splitlines() if line.startswith("title:")))
    assert problems(root, workbook) == [
        f"kb.xlsx:事项!B2: title: 标题“{records(root)['other']['title']}”与 solutions/other.yml:{title_line} 重复",
        f"solutions/other.yml:{title_line}: title: 标题“{records(root)['other']['title']}”与 kb.xlsx:事项!B2 重复",
    ] if workbook.name == "kb.xlsx" else [
        f"good.xlsx:事项!B2: title: 标题“{records(root)['other']['title']}”与 solutions/other.yml:{title_line} 重复",
        f"solutions/other.yml:{title_line}: title: 标题“{records(root)['other']['title']}”与 good.xlsx:事项!B2 重复",
    ]


# -- existing records --------------------------------------------------------------------------------

def test_existing_records_change_only_with_update(tmp_path):
    root = knowledge_base(tmp_path)
    workbook = export(root, tmp_path / "kb.xlsx")
    path = root / "solutions" / "sample-draft.yml"
    path.write_text(path.read_text(encoding="utf-8") + "# 手写的注释\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in (root / "solutions").glob("*.yml")}
    assert problems(root, workbook) == [
        "kb.xlsx:事项!A2: id: 已有记录 solutions/sample-draft.yml：导入不加 --update 时只新增记录，不动已有记录；"
        "要按工作簿更新已有记录请加 --update（没有改动的记录不会重写）",
        "kb.xlsx:事项!A3: id: 已有记录 solutions/sample-home-visit.yml：导入不加 --update 时只新增记录，不动已有记录；"
        "要按工作簿更新已有记录请加 --update（没有改动的记录不会重写）",
    ]
    plan = plan_import(root, workbook, update=True)
    assert plan.ok and plan.changes == [] and plan.unchanged == ["sample-draft", "sample-home-visit"]
    assert {p.name: p.read_bytes() for p in (root / "solutions").glob("*.yml")} == before


def test_update_lists_each_change_and_keeps_the_diff_small(tmp_path):
    root = knowledge_base(tmp_path)
    workbook = export(root, tmp_path / "kb.xlsx")
    wb = openpyxl.load_workbook(workbook)
    wb["事项"]["C3"] = "行动不便、无法到窗口的群众换领居民身份证，由户籍窗口派员上门采集人像和指纹。"
    wb["办理流程"]["F4"] = 3
    wb["标签"].append(["sample-home-visit", "上门服务"])
    wb["常见问题"].delete_rows(2)
    wb.save(workbook)
    path = root / "solutions" / "sample-home-visit.yml"
    old = path.read_text(encoding="utf-8")
    plan = plan_import(root, workbook, update=True)
    assert plan.ok and [c.record_id for c in plan.changes] == ["sample-home-visit"]
    assert plan.changes[0].fields == [
        "summary：“行动不便、无法到窗口的群众换领居民身份证，由户籍窗口派员上门采集信息。” → "
        "“行动不便、无法到窗口的群众换领居民身份证，由户籍窗口派员上门采集人像和指纹。”",
        "procedure[1].time_limit.value：5 → 3",
        "- faq[0].question：“家属可以代办吗？”",
        "- faq[0].answer：“指纹和人像必须本人采集，家属可以代为预约和领取。”",
        "+ tags[0]：“上门服务”",
    ]
    assert path.read_text(encoding="utf-8") == old  # planning writes nothing
    import_ok(root, workbook, update=True)
    new = path.read_text(encoding="utf-8")
    assert records(root)["sample-home-visit"]["procedure"][1]["time_limit"] == {"value": 3, "unit": "工作日", "kind": "承诺"}
    assert new.splitlines()[0] == yaml_write.schema_line()
    assert load_knowledge_base(root).ok
    # the file keeps its field order: only the changed fields move in the diff
    old_keys = [line.split(":")[0] for line in old.splitlines() if line[:1].isalpha()]
    new_keys = [line.split(":")[0] for line in new.splitlines() if line[:1].isalpha()]
    assert [k for k in new_keys if k in old_keys] == [k for k in old_keys if k in new_keys]


def test_a_public_workbook_adds_but_never_changes(tmp_path):
    root = knowledge_base(tmp_path)
    workbook = export(root, tmp_path / "public.xlsx", "public")
    assert problems(root, workbook, update=True) == [
        "public.xlsx:事项!A2: id: 已有记录 solutions/sample-home-visit.yml：公开版工作簿不含内部信息、个案和草稿，"
        "不能用来修改已有记录；请用 kb export --format xlsx --edition internal 导出内部版工作簿修改"]
    empty = registry_copy(root, tmp_path)
    shutil.copy(root / "solutions" / "sample-draft.yml", empty / "solutions")  # the public record links to it
    import_ok(empty, workbook)
    public = {k: v for k, v in records(root)["sample-home-visit"].items() if k not in ("internal", "cases")}
    assert records(empty)["sample-home-visit"] == {**public, "related": []}  # the public view names no draft


def test_a_new_record_from_rows(tmp_path):
    root = knowledge_base(tmp_path)
    workbook = export(root, tmp_path / "kb.xlsx")
    wb = openpyxl.load_workbook(workbook)
    cells = {"编号": "idcard-lost-abroad", "标题": "在国外丢失居民身份证回国补领",
             "概述": "在国外丢失居民身份证的群众回国后到户籍窗口补领。", "状态": "草稿", "领域": "户籍证件",
             "难办类型": "群众实际困难", "承诺时限": 60, "时限单位": "自然日", "时限性质": "承诺", "收费": "不收费",
             "牵头部门": "公安机关户籍窗口", "复核责任": "户籍管理科", "最近复核日期": "2026-12-01", "下次复核日期": "2027-06-01"}
    wb["事项"].append([cells.get(c.value) for c in wb["事项"][1]])
    rows = {"共性成因": [["服务流程不规范"]], "常用叫法": [["国外丢了身份证"], ["回国补身份证"]],
            "适用情形": [["在国外丢失居民身份证，回国后需要补领"]],
            "办理依据": [["jumin-shenfenzheng-fa", "第十一条第一款", "居民身份证丢失的，应当申请补领"]],
            "办理流程": [[1, "受理补领", "户籍窗口受理补领申请，采集人像和指纹", "公安机关户籍窗口", None, "即办"]],
            "步骤材料": [[1, "居民户口簿"]], "来源": [["《中华人民共和国居民身份证法》", "全国人民代表大会常务委员会", "2011-10-29"]]}
    for sheet, values in rows.items():
        for value in values:
            wb[sheet].append(["idcard-lost-abroad", *value])
    wb.save(workbook)
    plan = import_ok(root, workbook, update=True)
    assert [(c.record_id, c.new) for c in plan.changes] == [("idcard-lost-abroad", True)]
    text = (root / "solutions" / "idcard-lost-abroad.yml").read_text(encoding="utf-8")
    keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    order = yaml_write.field_order()
    assert keys == sorted(keys, key=order.index)
    assert "procedure:\n  - title: 受理补领\n" in text and "    time_limit: 即办\n    materials:\n      - 居民户口簿\n" in text
    assert load_knowledge_base(root).ok


# -- random valid records survive export -> import -------------------------------------------------

# Text from plain Chinese characters that no personal-data or markup rule can match, plus forms that
# trip spreadsheets and YAML (numbers as text, formulas, quotes, colons, 即办).
_CHARS = "办理窗口材料申请部门受理核验服务事项依据流程时限复核说明内容情况条件结果问题答复提交审查确认，、（）《》“”：；"
_TRICKY = ["0012", "010", "true", "yes", "null", "1e5", "10:30", "=SUM(A1)", "- 开头", "#开头", "a: b", "'引号'",
           "即办", "TRUE", "2026-04-16", "-1"]


def _text(low: int, high: int, lines: bool = False):
    alphabet = _CHARS + ("\n" if lines else "")
    plain = st.text(alphabet, min_size=low, max_size=min(high, 40)).filter(
        lambda t: t == t.strip() and (not t or t[0] != "\n"))
    tricky = st.sampled_from([t for t in _TRICKY if low <= len(t) <= high])
    return st.one_of(plain, tricky) if any(low <= len(t) <= high for t in _TRICKY) else plain


_DATE = st.dates(min_value=__import__("datetime").date(2000, 1, 1)).map(lambda d: d.isoformat())
_TIME = st.one_of(st.just("即办"), st.fixed_dictionaries({"value": st.integers(1, 3650),
                                                        "unit": st.sampled_from(["工作日", "自然日", "小时"]),
                                                        "kind": st.just("承诺")},
                                                       optional={"document": st.sampled_from(["本中心服务承诺", "0012"])}))
_IDS = ["a", "b0", "huanling", "buling-2"]
#: The committed limit of a record: short enough never to pass a statutory 3650 自然日.
_COMMITTED = st.one_of(st.just("即办"), st.fixed_dictionaries(
    {"value": st.integers(1, 300), "unit": st.sampled_from(["工作日", "自然日", "小时"]), "kind": st.just("承诺")},
    optional={"document": st.sampled_from(["本中心服务承诺", "0012"])}))


def _optional(**fields):
    """A mapping strategy where each field may be absent (the absent and the present case both round-trip)."""
    return st.fixed_dictionaries({}, optional=fields)


@st.composite
def _record(draw, index: int):
    step = st.fixed_dictionaries(
        {"title": _text(2, 40), "action": _text(4, 600, True), "department": _text(2, 60), "time_limit": _TIME},
        optional={"materials": st.lists(_text(2, 100), max_size=3), "output": _text(1, 200),
                  "counted": st.booleans(), "note": _text(2, 200)})
    reviewed = draw(_DATE)
    received = draw(st.integers(0, 10_000))
    record = {
        "id": f"r{index}-{draw(st.sampled_from(['a', 'b0', '0012']))}",
        "title": f"第{_CN[index]}类{draw(_text(2, 20))}",
        "summary": draw(st.text(_CHARS.replace("，", ""), min_size=10, max_size=60)),
        "status": draw(st.sampled_from(["draft", "published", "retired"])),
        "domain": draw(st.sampled_from(["户籍证件", "社会保险", "政务服务"])),
        "category": draw(st.sampled_from(["群众实际困难", "新情况新业态"])),
        "causes": draw(st.lists(st.sampled_from(["服务流程不规范", "政策界定不清楚", "改革政策衔接不畅"]), min_size=1, max_size=3,
                                unique=True)),
        "aliases": draw(st.lists(_text(2, 40), min_size=2, max_size=4, unique=True)),
        "applies_when": draw(st.lists(_text(4, 300, True), min_size=1, max_size=3)),
        "legal_basis": draw(st.lists(st.fixed_dictionaries({
            "law": st.sampled_from(["xingzheng-xuke-fa", "jumin-shenfenzheng-fa"]),
            "article": st.sampled_from(["第一条", "第十一条第一款", "第3条第2款第1项"]),
            "provision": _text(8, 400, True)}), min_size=1, max_size=3)),
        "procedure": draw(st.lists(step, min_size=1, max_size=3)),
        "time_limit": draw(_COMMITTED),
        "departments": draw(st.fixed_dictionaries({"lead": _text(2, 60)},
                                                  optional={"cooperating": st.lists(_text(2, 60), max_size=2, unique=True)})),
        "review": {"owner": draw(_text(2, 60)), "reviewed_on": reviewed, "next_review": draw(_DATE.filter(lambda d: d >= reviewed))},
        "sources": draw(st.lists(st.fixed_dictionaries(
            {"title": _text(2, 120), "publisher": _text(2, 60), "date": st.one_of(_DATE, st.just("未注明"))},
            optional={"url": st.sampled_from(["https://www.example.gov.cn/a?b=1#c", "http://example.org/x"])}),
            min_size=1, max_size=2)),
    }
    record.update(draw(_optional(
        not_applicable=st.lists(_text(4, 300, True), max_size=2),
        disposition=st.sampled_from(["办不了", "很难办", "不给办"]),
        materials=st.lists(st.fixed_dictionaries({"name": _text(2, 100), "required": st.booleans()}, optional={
            "note": _text(1, 300, True),
            "copies": _optional(original=st.integers(0, 20), copy=st.integers(0, 20)).filter(bool),
            "form": st.sampled_from(["纸质", "电子", "纸质或电子"]),
            "blank_form": st.sampled_from(["https://www.example.gov.cn/form.docx", "http://example.org/x?y=1"])}),
            max_size=2, unique_by=lambda m: m["name"]),  # kb check: names are unique (the notice ticks them)
        service=_optional(place=_text(2, 120), hours=_text(2, 120), phone=st.sampled_from(["12345", "0571-12345678"]),
                          complaint_phone=st.sampled_from(["12345", "010"]), visits=st.integers(0, 10),
                          online_url=st.sampled_from(["https://zwfw.example.gov.cn/"])).filter(bool),
        result=st.fixed_dictionaries({"name": _text(2, 60)}, optional={
            "delivery": st.lists(_text(2, 20), min_size=1, max_size=3, unique=True)}),
        items=st.lists(st.fixed_dictionaries({"name": _text(2, 80)}, optional={
            "code": st.sampled_from(["330100-GA-0001", "0012", "ABCD"])}), min_size=1, max_size=2),
        faq=st.lists(st.fixed_dictionaries({"question": _text(4, 200), "answer": _text(4, 800, True)}), max_size=2),
        self_check=st.lists(st.fixed_dictionaries({"question": _text(4, 300), "answer": _text(2, 800, True)}), max_size=2),
        changelog=st.lists(st.fixed_dictionaries({"date": _DATE, "change": _text(2, 300, True)}), max_size=2),
        tags=st.lists(_text(1, 20), max_size=3, unique=True),
        statistics=st.fixed_dictionaries({"received": st.just(received), "solved": st.integers(0, received),
                                          "as_of": _DATE}),
        cases=st.lists(st.fixed_dictionaries({
            "ref": st.sampled_from(["FY-2026-001", "0012"]), "date": st.sampled_from(["2026-04", "1999-12"]),
            "region": _text(2, 40), "summary": _text(4, 800, True), "outcome": _text(2, 400, True)}), max_size=2),
        internal=st.fixed_dictionaries({}, optional={
            "contacts": st.lists(st.fixed_dictionaries({"role": _text(2, 60), "department": _text(2, 60),
                                                        "channel": _text(2, 120)}, optional={"when": _text(1, 200)}),
                                 max_size=2),
            "staff_notes": _text(1, 2000, True), "risk_notes": _text(1, 2000, True)}).filter(bool),
    )))
    for step in record["procedure"]:  # the chain rule: a step with a number may be a stage not counted
        if step["time_limit"] != "即办" or step.get("counted") is False:
            step["counted"] = False
            step["note"] = step.get("note") or draw(_text(2, 200))
    # each step, answer and self-check question may say which of the record's citations it rests on
    cited = list(dict.fromkeys(f"{e['law']} {e['article']}" for e in record["legal_basis"]))
    for entry in record["legal_basis"]:
        if draw(st.booleans()):
            entry["upcoming"] = False
    fee_fields = {"name": _text(2, 60), "amount": st.one_of(st.integers(0, 1_000_000), st.sampled_from([0.5, 12.5, 80.0])),
                  "unit": st.sampled_from(["元/证", "元/件", "0012"])}
    fee = st.one_of(  # a fee says where it comes from: an article of the legal basis, or a price document
        st.fixed_dictionaries({**fee_fields, "basis": st.lists(st.sampled_from(cited), min_size=1, max_size=len(cited),
                                                                unique=True)}, optional={"note": _text(2, 200)}),
        st.fixed_dictionaries({**fee_fields, "document": _text(4, 200)}, optional={"note": _text(2, 200)}))
    record["fees"] = draw(st.one_of(st.just("不收费"), st.lists(fee, min_size=1, max_size=2)))
    if draw(st.booleans()):  # a statutory limit: kind 法定 with the article that states it
        record["statutory_time_limit"] = {"value": 3650, "unit": "自然日", "kind": "法定",
                                          "basis": draw(st.lists(st.sampled_from(cited), min_size=1,
                                                                 max_size=len(cited), unique=True))}
    if draw(st.booleans()):  # situations, and items that apply to some of them only
        ids = draw(st.lists(st.sampled_from(_IDS), min_size=2, max_size=3, unique=True))
        record["situations"] = [draw(st.fixed_dictionaries({"id": st.just(i), "title": _text(2, 30)},
                                                           optional={"applies_when": _text(2, 200)})) for i in ids]
        for item in record["procedure"] + record.get("materials", []):
            if draw(st.booleans()):
                item["situations"] = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=len(ids), unique=True))
    for item in record["procedure"] + record.get("faq", []) + record.get("self_check", []):
        if draw(st.booleans()):
            item["basis"] = draw(st.lists(st.sampled_from(cited), min_size=1, max_size=len(cited), unique=True))
    return record


_CN = "一二三四五六七八九十"


@st.composite
def _records(draw):
    out = [draw(_record(i)) for i in range(draw(st.integers(1, 3)))]
    ids = [r["id"] for r in out]
    for record in out:
        others = [i for i in ids if i != record["id"]]
        if others and draw(st.booleans()):
            record["related"] = draw(st.lists(st.sampled_from(others), unique=True, max_size=len(others)))
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow, HealthCheck.data_too_large])
@given(generated=_records())
def test_random_valid_records_survive_export_and_import(generated, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("random")
    root = registry_copy(FIXTURES / "kb", tmp, "kb")
    for record in generated:
        (root / "solutions" / f"{record['id']}.yml").write_text(yaml_write.dump_record(record), encoding="utf-8")
    loaded = load_knowledge_base(root)
    assert loaded.ok, [str(p) for p in loaded.problems]  # the generator makes valid records only
    visible = {r["id"]: r for r in generated if r["status"] != "retired"}
    workbook = export(root, tmp / "kb.xlsx")
    empty = registry_copy(root, tmp)
    for record in generated:
        if record["id"] not in visible:  # not in the internal edition: stays on disk, untouched
            shutil.copy(root / "solutions" / f"{record['id']}.yml", empty / "solutions")
    import_ok(empty, workbook)
    assert records(empty) == {r["id"]: r for r in generated}
    diff = list(difflib.unified_diff(_views(root).splitlines(), _views(empty).splitlines(), lineterm=""))
    assert diff == [], "\n".join(diff)[:3000]


# -- a workbook older than the files ---------------------------------------------------------------

def _edit_on_disk(root, old, new):
    path = root / "solutions" / "sample-home-visit.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _edit_book(book, sheet, cell, value):
    wb = openpyxl.load_workbook(book)
    wb[sheet][cell] = value
    wb.save(book)


def test_a_record_changed_since_the_export_is_not_overwritten(tmp_path):
    root = knowledge_base(tmp_path)
    book = export(root, tmp_path / "kb.xlsx")
    assert openpyxl.load_workbook(book)["导出基线"].sheet_state == "hidden"
    _edit_on_disk(root, "summary: ", "summary: 导出之后别人补的一句。")  # someone else, after the export
    _edit_book(book, "事项", "AA3", "户政管理科")  # the author, in the workbook
    before = records(root)
    found = problems(root, book, update=True)
    assert len(found) == 1 and found[0].startswith("kb.xlsx:事项!A3: id: 已有记录 solutions/sample-home-visit.yml："
                                                   "在工作簿导出之后被改过（summary），导入会把这些修改改回去")
    assert "重新导出工作簿" in found[0] and "--force" in found[0]
    assert records(root) == before
    # --force overwrites, and says which later edit it puts back
    plan = plan_import(root, book, update=True, display="kb.xlsx", force=True)
    assert plan.ok and plan.changes[0].reverted == ["summary"]
    from kb.office.xlsx_import import report_lines
    lines = report_lines(plan, root)
    assert any("注意（--force）：summary 在工作簿导出之后被改过" in line for line in lines)
    assert any(line.strip().startswith("summary：") for line in lines)


def test_a_change_of_layout_only_on_disk_is_no_conflict(tmp_path):
    root = knowledge_base(tmp_path)
    book = export(root, tmp_path / "kb.xlsx")
    path = root / "solutions" / "sample-home-visit.yml"
    path.write_text("# 只加了一行注释\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    _edit_book(book, "事项", "AA3", "户政管理科")
    plan = import_ok(root, book, update=True)
    assert [c.record_id for c in plan.changes] == ["sample-home-visit"]


def test_a_record_created_after_the_export_under_the_same_id_is_not_replaced(tmp_path):
    root = knowledge_base(tmp_path)
    book = export(root, tmp_path / "kb.xlsx")
    ws_book = openpyxl.load_workbook(book)
    ws_book["导出基线"].delete_rows(3)  # as if sample-home-visit had not existed when the workbook was made
    ws_book.save(book)
    _edit_book(book, "事项", "AA3", "户政管理科")
    found = problems(root, book, update=True)
    assert len(found) == 1 and "工作簿导出时还没有这条记录" in found[0]


def test_a_workbook_without_fingerprints_changes_records_only_with_force(tmp_path):
    root = knowledge_base(tmp_path)
    book = export(root, tmp_path / "kb.xlsx")
    wb = openpyxl.load_workbook(book)
    del wb["导出基线"]  # a workbook from before the fingerprints
    wb["事项"]["AA3"] = "户政管理科"
    wb.save(book)
    found = problems(root, book, update=True)
    assert len(found) == 1 and "旧版本 kb export 导出的" in found[0] and "--force" in found[0]
    plan = plan_import(root, book, update=True, display="kb.xlsx", force=True)
    assert plan.ok
    from kb.office.xlsx_import import report_lines
    assert report_lines(plan, root)[0].startswith("注意：kb.xlsx 是旧版本 kb export 导出的工作簿")
    # new records still import without --force
    empty = registry_copy(root, tmp_path)
    assert problems(empty, book) == []


def test_a_damaged_fingerprint_sheet_is_named(tmp_path):
    root = knowledge_base(tmp_path)
    book = export(root, tmp_path / "kb.xlsx")
    _edit_book(book, "导出基线", "C2", "乱填")
    assert problems(root, book, update=True)[0] == (
        "kb.xlsx:导出基线: (工作表): “导出基线”工作表第 2 行被改过：它由 kb export 写入，不要修改")


def test_the_dry_run_shows_where_two_long_texts_differ():
    from kb.office.xlsx_import import describe_changes

    old = "公司章程规定的营业期限到期后，网上办事系统可能把公司识别为营业期限届满而拒绝办理业务，公司想继续经营的可以修改章程。"
    new = old.replace("修改章程", "依法修改章程")
    line, = describe_changes({"summary": old}, {"summary": new})
    before, after = line.split(" → ")
    assert before != after.split("（")[0]  # no longer two identical 40-character prefixes
    assert "可以修改章程" in before and "可以依法修改章程" in after
    assert line.endswith(f"（第 {old.index('修改章程') + 1} 个字起不同）")
