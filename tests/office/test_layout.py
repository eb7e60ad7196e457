"""office.layout: every record field has one place in the workbook, derived from the schema."""

from kb.records import schema
from kb.office import layout as L


def _placed(lay: L.Layout) -> set[str]:
    """Field paths in the field reference's notation (``procedure[].time_limit``) that have a column."""
    out = set()
    lists = {s.list_path for s in lay.sheets}
    for sheet in lay.sheets:
        path = sheet.list_path
        prefix = "".join(f"{p}[]." if path[: i + 1] in lists else f"{p}." for i, p in enumerate(path))
        for column in sheet.columns:
            path = column.limit if column.limit is not None else column.path
            out.add((prefix + ".".join(path)).rstrip(".").removesuffix("[]"))
    return out


def test_every_schema_field_has_a_column():
    rows = next(t for t in schema.reference_tables() if t["name"] == "record")["rows"]
    leaves = {r["path"] for r in rows if not r["type"].startswith("映射")}
    assert leaves - _placed(L.layout(True)) == set()
    # the reference lists "不收费 or a list" as one field; the workbook has the list's own columns too
    assert _placed(L.layout(True)) - leaves == {"fees[].name", "fees[].amount", "fees[].unit", "fees[].document",
                                                "fees[].note", "fees[].basis"}


def test_a_time_limit_takes_value_unit_kind_basis_and_document_columns():
    lay = L.layout(True)
    by_header = {c.header: c for c in lay.records.columns}
    committed = [c.header for c in lay.records.columns if c.limit == ("time_limit",)]
    statutory = [c.header for c in lay.records.columns if c.limit == ("statutory_time_limit",)]
    # the committed limit keeps the headers older workbooks have; the statutory one is named after its label
    assert committed == ["承诺时限", "时限单位", "时限性质", "时限依据", "承诺文件"]
    assert statutory == ["法定办结时限", "法定办结时限单位", "法定办结时限性质", "法定办结时限依据", "法定办结时限承诺文件"]
    assert by_header["时限性质"].kind == L.CHOICE and by_header["时限性质"].shown_choices == ["法定", "承诺"]
    assert by_header["时限依据"].kind == L.JOINED and by_header["时限依据"].path == ("time_limit", "basis")
    step = [c.header for c in lay.sheet("办理流程").columns]
    assert step[3:] == ["步骤时限", "时限单位", "时限性质", "时限依据", "承诺文件", "步骤结果", "计入承诺时限", "步骤说明"]


def test_new_fields_of_a_real_guide_have_their_places():
    lay = L.layout(True)
    fees = next(c for c in lay.records.columns if c.path == ("fees",))
    assert (fees.header, fees.kind, fees.shown_choices) == ("收费", L.CONST, ["不收费"])
    assert lay.sheet("收费项目").headers == ["编号", "收费项目序号", "收费项目名称", "金额", "计费单位", "收费文件", "减免说明"]
    assert lay.sheet("收费依据条款").parent == "收费项目"
    assert next(c for c in lay.sheet("收费项目").columns if c.header == "金额").kind == L.NUMBER
    assert [c.header for c in lay.records.columns if c.path[0] in ("service", "result")] == [
        "办理地点", "办理时间", "咨询电话", "监督投诉电话", "网上办理", "到现场次数", "结果名称"]
    assert lay.sheet("送达方式").list_path == ("result", "delivery")
    assert lay.sheet("办理情形").headers == ["编号", "情形编号", "情形名称", "情形说明"]
    assert lay.sheet("对应政务服务事项").headers == ["编号", "事项名称", "事项编码"]
    assert lay.sheet("办理流程·适用情形").parent == "办理流程"
    assert lay.sheet("所需材料·适用情形").parent == "所需材料"
    materials = [c.header for c in lay.sheet("所需材料").columns]
    assert materials[-5:] == ["可替代组", "原件份数", "复印件份数", "材料形式", "空白表格"]
    form = next(c for c in lay.sheet("所需材料").columns if c.header == "材料形式")
    assert form.shown_choices == ["纸质", "电子", "纸质或电子"]
    counted = next(c for c in lay.sheet("办理流程").columns if c.header == "计入承诺时限")
    upcoming = next(c for c in lay.sheet("办理依据").columns if c.header == "尚未施行")
    assert counted.shown_choices == upcoming.shown_choices == ["是", "否"]


def test_headers_are_the_fields_labels():
    lay = L.layout(True)
    assert lay.records.headers[:4] == ["编号", "标题", "概述", "状态"]
    labels = set()

    def collect(spec):
        if isinstance(spec, dict):
            if "x-label" in spec:
                labels.add(spec["x-label"])
            for value in spec.values():
                collect(value)
        elif isinstance(spec, list):
            for value in spec:
                collect(value)

    collect(schema.load_schema("record"))
    for sheet in lay.sheets:
        assert sheet.name.split("·")[-1] in labels or sheet.name == L.RECORDS_SHEET
        assert set(sheet.headers) - labels <= {"步骤序号", "问题序号", "自测题序号", "材料序号", "收费项目序号",
                                               "法定办结时限单位", "法定办结时限性质", "法定办结时限依据",
                                               "法定办结时限承诺文件"}, sheet.name
    assert lay.sheet("办理流程").index_header == "步骤序号"
    assert [c.header for c in lay.sheet("步骤材料").keys] == ["编号", "步骤序号"]
    # lists that share a label are told apart by their parent
    assert [s.name for s in lay.sheets if s.name.endswith("所依据的条款")] == [
        "办理流程·所依据的条款", "常见问题·所依据的条款", "培训自测题·所依据的条款"]


def test_choices_come_from_the_schema():
    lay = L.layout(True)
    status = next(c for c in lay.records.columns if c.path == ("status",))
    assert status.choices == (("草稿", "draft"), ("已发布", "published"), ("已停用", "retired"))
    unit = next(c for c in lay.sheet("办理流程").columns if c.kind == L.TIME_UNIT)
    assert unit.shown_choices == ["工作日", "自然日", "小时", "即办"] and unit.const == "即办"
    sources = {c.header: c.source for s in lay.sheets for c in s.columns if c.source}
    assert sources == {"领域": "domains", "难办类型": "categories", "共性成因": "causes",
                       "法律依据编号": "laws", "相关事项": "records"}
    required = next(c for c in lay.sheet("所需材料").columns if c.kind == L.BOOLEAN)
    assert required.shown_choices == ["是", "否"]
    source_date = next(c for c in lay.sheet("来源").columns if c.kind == L.DATE)
    assert source_date.extra == ("未注明",)


def test_public_layout_has_nothing_internal():
    full, public = L.layout(True), L.layout(False)
    assert set(full.names) - set(public.names) == {"脱敏个案", "升级联络"}
    assert set(full.records.headers) - set(public.records.headers) == {"工作人员备注", "容错免责与风险提示"}
    assert not any(c.internal for s in public.sheets for c in s.columns)


def test_rows_of_a_record():
    record = {
        "id": "x", "title": "样例", "status": "published", "time_limit": "即办", "fees": "不收费",
        "statutory_time_limit": {"value": 20, "unit": "工作日", "kind": "法定",
                                 "basis": ["xingzheng-xuke-fa 第四十二条第一款", "minfadian 第二百零一条"]},
        "procedure": [
            {"title": "受理", "action": "登记", "department": "窗口", "time_limit": {"value": 5, "unit": "工作日"},
             "materials": ["户口簿", "身份证"]},
            {"title": "办结", "action": "发证", "department": "窗口", "time_limit": "即办", "materials": []},
        ],
        "departments": {"lead": "窗口", "cooperating": []},
        "materials": [{"name": "户口簿", "required": False}],
    }
    rows = L.rows(L.layout(True), record)
    head = dict(zip(L.layout(True).records.headers, rows["事项"][0]))
    assert (head["编号"], head["状态"], head["承诺时限"], head["时限单位"]) == ("x", "已发布", None, "即办")
    assert (head["时限性质"], head["时限依据"], head["收费"]) == (None, None, "不收费")
    assert (head["法定办结时限"], head["法定办结时限单位"], head["法定办结时限性质"], head["法定办结时限依据"]) == (
        20, "工作日", "法定", "xingzheng-xuke-fa 第四十二条第一款；minfadian 第二百零一条")
    assert rows["收费项目"] == []  # 不收费: on 事项 only
    assert rows["办理流程"] == [["x", 1, "受理", "登记", "窗口", 5, "工作日", None, None, None, None, None, None],
                            ["x", 2, "办结", "发证", "窗口", None, "即办", None, None, None, None, None, None]]
    assert rows["步骤材料"] == [["x", 1, "户口簿"], ["x", 1, "身份证"], ["x", 2, None]]
    assert rows["配合部门"] == [["x", None]]  # present but empty: a row with only the key
    assert rows["所需材料"] == [["x", 1, "户口簿", "否", None, None, None, None, None, None, None]]  # 材料序号: materials have a list (basis)
    assert rows["标签"] == [] and rows["升级联络"] == []
