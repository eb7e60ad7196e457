"""kb ledger report: the discipline over the official calendar, the counts, the candidates, the totals file."""

from __future__ import annotations

import json
from datetime import date

import pytest

from conftest import FIXTURES, ROOT, run_kb
from kb.knowledge import load_knowledge_base
from kb.ledger.check import Case, Vocabulary, read_and_check
from kb.ledger.discipline import Discipline
from kb.ledger.link import Linker
from kb.ledger.project import LedgerError, Window, window_of
from kb.ledger.report import TOTALS_KEYS, TotalsError, read_totals, report
from ledger_helpers import row, write_csv


def case(number="C-1", accepted=date(2026, 9, 30), replied=None, closed=None, **more) -> Case:
    return Case("l.csv", 2, number, accepted, more.pop("summary", "一件事"), replied=replied, closed=closed, **more)


def test_the_last_days_follow_the_official_calendar():
    """2026-09-30: 10-01..10-08 are the National Day holidays, 10-10 (a Saturday) a swapped working day.
    A Monday–Friday count would give 10-06 and 10-08; the official one 10-10 and 10-13."""
    reply_by, resolve_by, uncovered = Discipline(Window()).last_days(date(2026, 9, 30))
    assert (reply_by, resolve_by, uncovered) == (date(2026, 10, 10), date(2026, 10, 13), ())


def test_late_and_open_cases_as_of_a_day():
    d = Discipline(Window())
    on_time = d.standing(case(replied=date(2026, 10, 9), closed=date(2026, 10, 13)), date(2026, 12, 1))
    assert not on_time.overdue
    late = d.standing(case(replied=date(2026, 10, 12), closed=date(2026, 10, 14)), date(2026, 12, 1))
    assert late.reason() == "答复超期、办结超期"
    still_open = d.standing(case(), date(2026, 10, 14))
    assert still_open.reason() == "逾期未答复、逾期未办结"
    assert not d.standing(case(), date(2026, 10, 10)).overdue  # the last day itself is still in time
    closed_without_reply = d.standing(case(closed=date(2026, 10, 9)), date(2026, 12, 1))
    assert not closed_without_reply.overdue


def test_the_window_discipline_is_configurable_and_checked():
    window = window_of({"window": {"name": "甲中心", "reply": {"value": 5, "unit": "工作日"},
                                   "resolve": {"value": 15, "unit": "自然日"}}})
    reply_by, resolve_by, _ = Discipline(window).last_days(date(2026, 9, 30))
    assert (window.name, reply_by, resolve_by) == ("甲中心", date(2026, 10, 13), date(2026, 10, 15))
    for bad in ({"reply": 3}, {"resolve": {"value": 0, "unit": "工作日"}}, {"reply": {"value": 3, "unit": "周"}},
                {"respond": {"value": 3, "unit": "工作日"}}, "3 工作日"):
        with pytest.raises(LedgerError):
            window_of({"window": bad})


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base(ROOT).kb


def test_the_report_counts(tmp_path, kb):
    path = write_csv(tmp_path / "l.csv", [
        row(编号="1", 一类事编号="idcard-home-visit", 成因="服务流程不规范、政策界定不清楚", 涉及部门="公安局、民政局"),
        row(编号="2", 一类事编号="idcard-home-visit", 受理日期="2026-04-01", 答复日期="2026-04-01", 办结日期="2026-04-02"),
        row(编号="3", 一类事编号="idcard-temporary", 结果="部分解决", 窗口="乙中心"),
        row(编号="4", 受理日期="2026-09-30", 答复日期="", 办结日期="", 结果="", 诉求摘要="公交卡余额退不出来。"),
        row(编号="5", 受理日期="2026-10-12", 答复日期="", 办结日期="", 结果="", 诉求摘要="又来问公交卡余额退不出来。"),
    ])
    _, cases, problems = read_and_check([path], Vocabulary.of(kb))
    assert problems == []
    data = report(cases, Window(), date(2026, 10, 14), Linker(kb), kb_ids={r.id for r in kb.records})
    assert {k: data[k] for k in ("total", "resolved", "linked", "classes", "reply_on_time", "resolve_on_time")} == \
        {"total": 5, "resolved": 2, "linked": 3, "classes": 2, "reply_on_time": 3, "resolve_on_time": 3}
    assert data["overdue"] == ["4"]  # 5 (accepted 10-12) is open, but its reply-by day 10-15 is not past on 10-14
    assert data["by_class"] == {"idcard-home-visit": 2, "idcard-temporary": 1}
    assert data["by_cause"] == {"服务流程不规范": 5, "政策界定不清楚": 1}
    assert data["by_department"]["公安局"] == 1 and data["by_department"]["公安机关户籍窗口"] == 4
    assert data["by_month"] == {"2026-03": 2, "2026-04": 1, "2026-09": 1, "2026-10": 1}
    assert data["by_window"] == {"甲中心": 4, "乙中心": 1}
    [group] = data["candidates"]
    assert group["编号"] == ["4", "5"] and group["title"] == "公交卡余额退不出来"
    assert group["kb_new"].startswith(f"kb new {group['id']} --title \"公交卡余额退不出来\"")
    assert data["by_class_month"]["idcard-home-visit"] == {"2026-03": 1, "2026-04": 1}
    limited = report(cases, Window(), date(2026, 10, 14), None, start=date(2026, 4, 1), end=date(2026, 9, 30))
    assert limited["total"] == 2 and limited["candidates"] == []


def test_the_command_report_and_its_totals_file(tmp_path):
    a = write_csv(tmp_path / "a.csv", [row(编号="1", 一类事编号="idcard-home-visit")])
    b = write_csv(tmp_path / "b.csv", [row(编号="1", 窗口="乙中心", 受理日期="2026-09-30", 答复日期="", 办结日期="",
                                           结果="")])
    totals = tmp_path / "totals.json"
    done = run_kb("ledger", "report", str(a), str(b), "--as-of", "2026-12-01", "--format", "json", "--totals-out",
                  str(totals))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["total"] == 2 and data["by_window"] == {"乙中心": 1, "甲中心": 1} and data["overdue"] == ["1"]
    assert json.loads(totals.read_text(encoding="utf-8")) == {"total": 2, "resolved": 1, "classes": 1, "linked": 1}
    text = run_kb("ledger", "report", str(a), str(b), "--as-of", "2026-12-01")
    assert text.returncode == 0 and "收集诉求 2 件，已解决 1 件" in text.stdout
    for args in (["--as-of", "明天"], ["--from", "2026-05-01", "--to", "2026-04-01"]):
        done = run_kb("ledger", "report", str(a), *args)
        assert done.returncode == 2 and done.stderr.startswith("错误：") and "Traceback" not in done.stderr


def test_a_totals_file_holds_numbers_only(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"total": 594, "resolved": 585, "classes": 18, "linked": 500}), encoding="utf-8")
    assert read_totals(path) == {"total": 594, "resolved": 585, "classes": 18, "linked": 500}
    for bad in ({"total": 1, "resolved": 1, "classes": 1, "linked": 1, "诉求摘要": "某某"},
                {"total": "594", "resolved": 1, "classes": 1, "linked": 1}, {"total": 1}, ["594"]):
        path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
        with pytest.raises(TotalsError):
            read_totals(path)
    assert set(TOTALS_KEYS) == {"total", "resolved", "classes", "linked"}


def test_a_ledger_with_problems_is_not_counted(tmp_path):
    bad = write_csv(tmp_path / "l.csv", [row(受理日期="2026-13-01")])
    for command in ("report", "link"):
        done = run_kb("--root", str(FIXTURES / "kb"), "ledger", command, str(bad))
        assert done.returncode == 1 and f"{bad}:2: 受理日期: " in done.stderr and "没有做任何处理" in done.stderr
