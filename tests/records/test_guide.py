"""A record that holds a real guide: every defect of the contract is named by file, line and field (issue 24)."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from conftest import FIXTURES, registry_only, run_kb

SAMPLE = FIXTURES / "guide" / "licence-change.yml"


def check(tmp_path, mutate=None, text: str | None = None) -> tuple[int, list[str]]:
    root = registry_only(tmp_path / "kb")
    target = root / "solutions" / SAMPLE.name
    if text is not None:
        target.write_text(text, encoding="utf-8")
    elif mutate is None:
        shutil.copy(SAMPLE, target)
    else:
        record = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
        mutate(record)
        target.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    done = run_kb("--root", str(root), "check")
    assert "Traceback" not in done.stdout + done.stderr
    return done.returncode, [re.sub(r"^solutions/licence-change\.yml:\d+: ", "", line)
                             for line in done.stdout.splitlines() if line.startswith("solutions/licence-change.yml")]


def test_the_sample_with_every_field_of_a_guide_passes(tmp_path):
    assert check(tmp_path) == (0, [])


def _set(path, value):
    def mutate(record):
        target = record
        for key in path[:-1]:
            target = target[key]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return mutate


DEFECTS = [
    # (what, mutation, field named, words of the message)
    ("placeholder", _set(("applies_when", 0), "待填写：其他情形"), "applies_when[0]", "占位文字“待填写”"),
    ("TODO", _set(("summary",), "TODO 写概述。"), "summary", "占位文字“TODO”"),
    ("kind missing", _set(("procedure", 3, "time_limit", "kind"), KeyError), "procedure[3].time_limit", "kind"),
    ("statutory without basis", _set(("statutory_time_limit", "basis"), KeyError), "statutory_time_limit", "basis"),
    ("statutory of kind 承诺", _set(("statutory_time_limit", "kind"), "承诺"), "statutory_time_limit.kind", "法定"),
    ("committed with a basis", _set(("time_limit", "basis"), ["xingzheng-xuke-fa 第四十九条"]), "time_limit.basis",
     "承诺时限不写 basis"),
    ("basis not cited", _set(("statutory_time_limit", "basis"), ["xingzheng-xuke-fa 第八十二条"]),
     "statutory_time_limit.basis[0]", "不在本记录的办理依据"),
    ("fees missing", _set(("fees",), KeyError), "fees", "须写明收费"),
    ("fee without amount", _set(("fees",), [{"name": "工本费", "unit": "元/证", "document": "某价格文件"}]), "fees[0]",
     "amount"),
    ("fee without source", _set(("fees",), [{"name": "工本费", "amount": 20, "unit": "元/证"}]), "fees[0]", "依据"),
    ("required missing", _set(("materials", 1, "required"), KeyError), "materials[1]", "required"),
    ("group of one", _set(("materials", 3, "group"), "另一组"), "materials", "只有这一份材料"),
    ("undeclared situation", _set(("materials", 1, "situations"), ["laoren"]), "materials[1].situations[0]",
     "没有在 situations 中声明"),
    ("same name, same situation", _set(("materials", 3, "name"), "营业执照"), "materials[3].name", "重复"),
    ("article beyond the law", _set(("legal_basis", 0, "article"), "第一百二十条"), "legal_basis[0].article",
     "共 83 条"),
    ("mobile as service phone", _set(("service", "phone"), "13812345678"), "service.phone", "个人信息"),
    ("special step without note", _set(("procedure", 1, "note"), KeyError), "procedure[1].counted", "note"),
    ("chain too long", _set(("procedure", 2, "time_limit", "value"), 9), "procedure[3].time_limit", "超出承诺办结时限"),
    ("committed after statutory", _set(("time_limit", "value"), 25), "time_limit", "比法定办结时限长"),
]


@pytest.mark.parametrize("what, mutate, field, words", DEFECTS, ids=[d[0] for d in DEFECTS])
def test_each_defect_is_refused_with_its_field(tmp_path, what, mutate, field, words):
    code, lines = check(tmp_path, mutate)
    assert code == 1, lines
    assert any(line.startswith(field) and words in line for line in lines), lines


def test_the_same_material_may_appear_once_per_situation(tmp_path):
    def mutate(record):
        record["materials"].append({"name": "申请人身份证件", "required": True, "situations": ["qiye"]})
    assert check(tmp_path, mutate) == (0, [])


def test_a_landline_and_the_hotline_are_a_public_office_s_contact(tmp_path):
    def mutate(record):
        record["service"].update(phone="0571-87654321", complaint_phone="12345", place="某县人民路 88 号政务服务中心")
    assert check(tmp_path, mutate) == (0, [])


def test_a_draft_may_still_hold_placeholders_and_leave_kinds_out(tmp_path):
    def mutate(record):
        record["status"] = "draft"
        record["summary"] = "待补充：用一两句话说明这类事。"
        del record["fees"], record["procedure"][3]["time_limit"]["kind"]
    assert check(tmp_path, mutate) == (0, [])


def test_a_fresh_kb_new_record_cannot_be_published_as_it_is(tmp_path):
    root = registry_only(tmp_path / "kb")
    assert run_kb("--root", str(root), "new", "shiyong-ceshi", "--title", "试用测试事项").returncode == 0
    path = root / "solutions" / "shiyong-ceshi.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: published"), encoding="utf-8")
    done = run_kb("--root", str(root), "check")
    assert done.returncode == 1
    said = done.stdout
    assert "summary: 已发布的记录不能含占位文字“待补充”" in said
    assert "legal_basis[0].provision: 已发布的记录不能含占位文字" in said
    assert "fees: 已发布的记录须写明收费" in said
