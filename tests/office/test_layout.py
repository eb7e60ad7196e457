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
            path = column.path[:-1] if column.kind in (L.TIME_VALUE, L.TIME_UNIT) else column.path
            out.add((prefix + ".".join(path)).rstrip(".").removesuffix("[]"))
    return out


def test_every_schema_field_has_a_column():
    rows = next(t for t in schema.reference_tables() if t["name"] == "record")["rows"]
    leaves = {r["path"] for r in rows if not r["type"].startswith("映射")}
    assert leaves - _placed(L.layout(True)) == set()
    assert _placed(L.layout(True)) - leaves == set()


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
        assert set(sheet.headers) - labels <= {"步骤序号", "问题序号", "自测题序号", "材料序号"}, sheet.name
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
        "id": "x", "title": "样例", "status": "published", "time_limit": "即办",
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
    assert rows["办理流程"] == [["x", 1, "受理", "登记", "窗口", 5, "工作日", None],
                            ["x", 2, "办结", "发证", "窗口", None, "即办", None]]
    assert rows["步骤材料"] == [["x", 1, "户口簿"], ["x", 1, "身份证"], ["x", 2, None]]
    assert rows["配合部门"] == [["x", None]]  # present but empty: a row with only the key
    assert rows["所需材料"] == [["x", 1, "户口簿", "否", None, None]]  # 材料序号: materials have a list (basis)
    assert rows["标签"] == [] and rows["升级联络"] == []
