"""kb ledger link: the class a case belongs to by the site's own search, or none; never the staff's column."""

from __future__ import annotations

import csv
import json

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from conftest import ROOT, run_kb
from kb.knowledge import load_knowledge_base
from kb.ledger.link import Linker
from kb.ledger.table import COLUMNS
from ledger_helpers import row, write_csv

CASES = yaml.safe_load((ROOT / "tests" / "ledger_link_cases.yml").read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def linker():
    return Linker(load_knowledge_base(ROOT).kb)


def test_the_labelled_set_is_as_the_issue_asks():
    assert len(CASES) >= 80
    without = sum(1 for c in CASES if c["expect"] is None)
    assert without >= len(CASES) / 4
    ids = {p.stem for p in (ROOT / "solutions").glob("*.yml")}
    assert {c["expect"] for c in CASES if c["expect"]} <= ids


def test_precision_first_on_the_labelled_set(linker):
    """The numbers kb bench --ledger prints (docs/benchmarks.md); a wrong link is worse than none."""
    made = [(c["expect"], linker.suggest(c["summary"]).record) for c in CASES]
    suggested = [(e, s) for e, s in made if s]
    right = sum(1 for e, s in suggested if e == s)
    positives = sum(1 for e, _ in made if e)
    assert right / len(suggested) >= 0.97, [(e, s) for e, s in suggested if e != s]
    assert right / positives >= 0.75
    assert not [s for e, s in made if e is None and s], "a case of no class was linked"


def test_titles_aliases_traditional_and_pinyin_find_their_class(linker):
    assert linker.suggest("群众反映：集资建房等历史遗留住房不动产首次登记（房地一体），在普通窗口没办成。").record == \
        "realestate-collective-housing"
    assert linker.suggest("來電反映老人換身份證，癱瘓在床出不了門").record == "idcard-home-visit"
    assert linker.suggest("劳动仲裁时效过了吗").record == "labour-arbitration-time-limits"


def test_nothing_close_enough_is_none(linker):
    for summary in ("小区门口路灯坏了很久没人修，问找哪个部门。", "咨询公园年票丢失后能否退费", "", "。。。"):
        assert linker.suggest(summary).record is None, summary


def test_the_command_json_and_the_copy_with_suggestions(tmp_path):
    rows = [row(编号="A1", 诉求摘要="父亲瘫痪在床，身份证过期了没法去派出所换领。"),
            row(编号="A2", 诉求摘要="小区路灯坏了没人修。"),
            row(编号="A3", 诉求摘要="临时身份证怎么办", 一类事编号="idcard-temporary")]
    path = write_csv(tmp_path / "l.csv", rows)
    before = path.read_bytes()
    done = run_kb("ledger", "link", str(path), "--format", "json", "--write", str(tmp_path / "out.csv"))
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert [(x["编号"], x["窗口"], x["suggested"]) for x in found] == [("A1", "甲中心", "idcard-home-visit"),
                                                                       ("A2", "甲中心", None)]
    assert all(isinstance(x["score"], (int, float)) for x in found)
    assert path.read_bytes() == before  # the ledger itself is never changed
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as handle:
        copy = list(csv.DictReader(handle))
    assert [r["建议一类事"] for r in copy] == [copy[0]["建议一类事"], "", ""] and copy[0]["建议一类事"].startswith(
        "idcard-home-visit（")
    assert [r["一类事编号"] for r in copy] == ["", "", "idcard-temporary"]  # the staff's column as it was
    done = run_kb("ledger", "link", str(path), "--write", str(tmp_path / "out.csv"))
    assert done.returncode == 1 and "不会覆盖" in done.stderr


def test_the_copy_of_a_workbook_keeps_its_sheets(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(list(COLUMNS))
    ws.append([row(编号="B1", 诉求摘要="退休金这个月停发了，说没做生存认证。")[c] for c in COLUMNS])
    wb.create_sheet("说明").append(["自己的说明"])
    wb.save(tmp_path / "l.xlsx")
    done = run_kb("ledger", "link", str(tmp_path / "l.xlsx"), "--write", str(tmp_path / "out.xlsx"))
    assert done.returncode == 0, done.stderr
    copy = load_workbook(tmp_path / "out.xlsx")
    assert copy.sheetnames == ["台账", "说明"]
    assert copy["台账"]["N1"].value == "建议一类事" and copy["台账"]["N2"].value.startswith("pension-certification-missed")
