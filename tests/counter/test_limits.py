"""The chain of a record's limits over the official calendar: the fast last day agrees with deadline.due, and a
step that ends after the committed day, or a commitment past the law's, is named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.counter import calendar, limits
from kb.counter.deadline import due
from pathlib import Path

from kb.records.load import Document

CAL = calendar.official()


@settings(max_examples=300, deadline=None)
@given(day=st.dates(date(2025, 1, 1), date(2027, 12, 31)), value=st.integers(1, 400),
       unit=st.sampled_from(["工作日", "自然日", "小时"]))
def test_the_fast_last_day_is_deadline_due(day, value, unit):
    days = limits._Days(CAL, 2026)
    assert days.last_day(day, (value, unit)) == due(day, {"value": value, "unit": unit}, CAL).date
    assert days.last_day(day, "即办") == day


@dataclass
class Rec:
    data: dict
    doc: object

    @property
    def status(self):
        return self.data.get("status")


def record(procedure, committed, statutory=None, situations=None) -> Rec:
    data = {"id": "x", "status": "published", "procedure": procedure, "time_limit": committed}
    if statutory:
        data["statutory_time_limit"] = statutory
    if situations:
        data["situations"] = situations
    return Rec(data, Document(Path("solutions/x.yml"), "solutions/x.yml", data))


def step(title, value=None, unit="工作日", **more):
    return {"title": title, "time_limit": "即办" if value is None else {"value": value, "unit": unit}, **more}


def lines(rec, year=2026):
    return [p.message for p in limits.check([rec], CAL, year)]


def test_steps_that_fit_in_the_commitment_on_every_day_pass():
    rec = record([step("受理"), step("审查", 8), step("送达", 2)], {"value": 10, "unit": "工作日"},
                 {"value": 20, "unit": "工作日"})
    assert lines(rec) == []


def test_the_step_that_overruns_is_named_with_the_first_day_it_does():
    rec = record([step("受理"), step("审查", 9), step("送达", 2)], {"value": 10, "unit": "工作日"})
    [message] = lines(rec)
    assert message.startswith("步骤“送达”超出承诺办结时限：2026-01-01 受理") and "2026年1月16日（星期五）" in message


def test_working_days_against_calendar_days_depend_on_the_holidays():
    """7 working days fit in 10 calendar days except where a holiday lies between: found, and dated."""
    rec = record([step("办理", 7)], {"value": 10, "unit": "自然日"})
    [message] = lines(rec)
    first_bad = next(day for day in (date(2026, 1, 1) + timedelta(n) for n in range(365))
                     if due(day, {"value": 7, "unit": "工作日"}, CAL).date > due(day, {"value": 10, "unit": "自然日"}, CAL).date)
    assert f"{first_bad.isoformat()} 受理" in message


def test_a_commitment_past_the_law_is_refused():
    rec = record([step("办理", 5)], {"value": 30, "unit": "自然日"}, {"value": 20, "unit": "工作日"})
    assert any(m.startswith("承诺办结时限比法定办结时限长") for m in lines(rec))


def test_special_steps_are_left_out_of_the_chain():
    rec = record([step("核查", 30, counted=False), step("决定", 10)], {"value": 10, "unit": "工作日"})
    assert lines(rec) == []


def test_each_situation_is_checked_with_its_own_steps():
    situations = [{"id": "a", "title": "县内"}, {"id": "b", "title": "跨县"}]
    rec = record([step("受理"), step("县内转移", 5, situations=["a"]), step("跨县转移", 12, situations=["b"])],
                 {"value": 10, "unit": "工作日"}, situations=situations)
    [message] = lines(rec)
    assert message.startswith("步骤“跨县转移”（情形“跨县”）超出承诺办结时限")
