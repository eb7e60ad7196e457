"""deadline: 办理时限 as dates, by the law's rules; the page's script gives the same dates as Python."""

from datetime import date, timedelta

import chinese_calendar
import pytest

from conftest import make_project, mkdocs_build, run_kb
from kb.counter.calendar import official, statutory_holidays
from kb.counter.deadline import DateOutOfRange, Due, chain, due, long_date

CAL = official()
D = date.fromisoformat
#: The first year the installed chinesecalendar does not cover (read from the package, not written down:
#: its swapped working days are not known, its statutory holidays are), and the first year past the
#: lunar calendar's range (nothing but Monday-Friday is known there).
PENDING = CAL.last_year + 1
UNKNOWN = CAL.statutory_until + 1


def wd(n):
    return {"value": n, "unit": "工作日"}


def cd(n):
    return {"value": n, "unit": "自然日"}


def hours(n):
    return {"value": n, "unit": "小时"}


# -- the rules ------------------------------------------------------------------

@pytest.mark.parametrize("accepted, limit, expected", [
    # the National Day week 2026-10-01..07 is not counted; Saturday 10-10 is a working day
    ("2026-09-29", wd(5), "2026-10-12"),
    ("2026-09-30", wd(1), "2026-10-08"),
    ("2026-10-09", wd(1), "2026-10-10"),  # the swapped Saturday counts
    ("2026-09-18", wd(1), "2026-09-20"),  # ... and so does the swapped Sunday before the holiday
    ("2026-11-27", wd(1), "2026-11-30"),  # an ordinary weekend does not
    # the acceptance day is not counted, even when it is itself a working day
    ("2026-11-30", wd(1), "2026-12-01"),
    ("2026-02-13", wd(1), "2026-02-14"),  # 春节 swap: Saturday 02-14 is worked
    ("2026-02-14", wd(1), "2026-02-24"),
    ("2026-04-30", wd(5), "2026-05-11"),  # 劳动节 05-01..05; Saturday 05-09 worked
    # 自然日: the Nth day; a last day on a rest day moves to the next working day
    ("2026-09-29", cd(3), "2026-10-08"),
    ("2026-09-27", cd(3), "2026-09-30"),
    ("2026-10-07", cd(3), "2026-10-10"),  # the swapped Saturday is a working day: it stays
    ("2026-10-07", cd(4), "2026-10-12"),  # Sunday 10-11 moves to Monday
    ("2026-10-03", cd(1), "2026-10-08"),  # a last day inside the holiday week moves past it
    # 即办: the same day, whatever day it is
    ("2026-10-03", "即办", "2026-10-03"),
    # 小时: continuous; the latest day the period can end on
    ("2026-09-30", hours(4), "2026-10-01"),
    ("2026-09-30", hours(24), "2026-10-01"),
    ("2026-09-30", hours(25), "2026-10-02"),
    ("2026-09-30", hours(72), "2026-10-03"),
])
def test_rules(accepted, limit, expected):
    result = due(D(accepted), limit)
    assert result == Due(D(expected)), (accepted, limit)


def test_working_days_agree_with_chinesecalendar_for_every_day_of_2026():
    for offset in range(365):
        start = date(2026, 1, 1) + timedelta(days=offset)
        for n in (1, 3, 5, 10, 20):
            day, left = start, n
            while left:
                day += timedelta(days=1)
                if day.year > 2026:
                    break
                left -= chinese_calendar.is_workday(day)
            if day.year > 2026:
                continue
            assert due(start, wd(n)).date == day, (start, n)


def test_the_issue_case_new_years_day_2027_is_not_a_working_day():
    # 12-30, 12-31, 01-01 (元旦, a Friday: not counted), 01-04, 01-05, 01-06
    assert due(D("2026-12-29"), wd(5)).date == D("2027-01-06")


def test_a_year_the_calendar_does_not_cover_counts_the_statutory_holidays_and_is_named():
    holidays = {d for d, _ in statutory_holidays(PENDING)}
    after_new_year = next(d for d in (date(PENDING, 1, 2) + timedelta(days=i) for i in range(7))
                          if d.weekday() < 5 and d not in holidays)
    assert due(date(PENDING - 1, 12, 31), wd(1)) == Due(after_new_year, (PENDING,))  # 元旦 skipped
    spring = sorted(d for d, name in statutory_holidays(PENDING) if name == "春节")
    eve = spring[0]
    mon_fri = [d for d in (eve + timedelta(days=i) for i in range(15)) if d.weekday() < 5 and d not in holidays]
    assert due(eve - timedelta(days=1), wd(3)) == Due(mon_fri[2], (PENDING,))  # 除夕 to 初三 skipped
    assert due(date(PENDING - 1, 12, 20), cd(20)).uncovered == (PENDING,)
    assert due(date(PENDING - 1, 12, 20), cd(5)).uncovered == ()
    assert due(D("2003-12-31"), wd(1)) == Due(D("2004-01-02"), ())  # 2004-01-01 is a holiday; 2003 never looked at
    assert due(date(UNKNOWN - 1, 12, 31), wd(1)).uncovered == (UNKNOWN,)


def test_a_last_day_after_the_year_9999_is_refused():
    for limit in (cd(1), wd(1), hours(25)):
        with pytest.raises(DateOutOfRange) as caught:
            due(D("9999-12-31"), limit)
        assert "9999-12-31" in str(caught.value)
    assert isinstance(DateOutOfRange("x"), ValueError)
    assert due(D("9999-12-31"), "即办").date == D("9999-12-31")
    assert due(D("9999-12-30"), cd(1)) == Due(D("9999-12-31"), (9999,))  # a Friday


def test_steps_are_taken_one_after_another():
    steps = chain(D("2026-09-29"), ["即办", wd(1), cd(3), wd(2)])
    assert [s.date.isoformat() for s in steps] == ["2026-09-29", "2026-09-30", "2026-10-08", "2026-10-10"]


@pytest.mark.parametrize("limit", [{"value": 0, "unit": "工作日"}, {"value": 5, "unit": "周"}, "当天", {"value": True, "unit": "工作日"}])
def test_bad_limits_are_refused(limit):
    with pytest.raises(ValueError):
        due(D("2026-01-05"), limit)


def test_long_date():
    assert long_date(D("2026-10-12")) == "2026年10月12日（星期一）"


# -- the command line -----------------------------------------------------------

def test_kb_deadline_prints_the_date():
    result = run_kb("deadline", "2026-09-29", "5", "工作日")
    assert result.returncode == 0 and result.stdout == "2026-10-12（星期一）\n" and result.stderr == ""
    result = run_kb("deadline", "2026-10-03", "即办")
    assert result.returncode == 0 and result.stdout.startswith("2026-10-03")


def test_kb_deadline_warns_past_the_calendar():
    start = date(PENDING - 1, 12, 29)
    result = run_kb("deadline", start.isoformat(), "5", "工作日")
    assert result.returncode == 0 and result.stdout.startswith(due(start, wd(5)).date.isoformat())
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"注意：{PENDING} 年的调休上班日和补假日尚未公布")
    assert "《全国年节及纪念日放假办法》" in lines[0] and "元旦" in lines[0]
    result = run_kb("deadline", f"{UNKNOWN - 1}-12-30", "5", "工作日")
    assert result.returncode == 0
    assert f"注意：{UNKNOWN} 年超出" in result.stderr and "周一至周五" in result.stderr


def test_kb_deadline_past_the_year_9999_is_a_clear_usage_error():
    result = run_kb("deadline", "9999-12-31", "1", "自然日")
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.startswith("错误：") and "9999-12-31" in result.stderr and "超出" in result.stderr
    result = run_kb("deadline", "9999-12-31", "即办")
    assert result.returncode == 0 and result.stdout.startswith("9999-12-31")


@pytest.mark.parametrize("args, message", [
    (["2026-02-30", "5", "工作日"], "受理日期“2026-02-30”不是有效日期"),
    (["2026-09-29", "五", "工作日"], "时限数值“五”不对"),
    (["2026-09-29", "0", "工作日"], "时限数值“0”不对"),
    (["2026-09-29", "5", "周"], "时限单位“周”不对，可选：工作日、自然日、小时"),
    (["2026-09-29", "5"], "缺少时限单位"),
    (["2026-09-29"], "参数个数不对"),
])
def test_kb_deadline_usage_errors_exit_2_in_chinese(args, message):
    result = run_kb("deadline", *args)
    assert result.returncode == 2 and result.stderr.startswith("错误：") and message in result.stderr
    assert "Traceback" not in result.stderr


def test_kb_deadline_help_is_chinese():
    result = run_kb("deadline", "--help")
    assert result.returncode == 0 and "受理当日不计" in result.stdout


# -- the page -------------------------------------------------------------------

UNITS = [wd(n) for n in (1, 2, 3, 5, 10, 15, 20, 30, 60)] + [cd(n) for n in (1, 3, 5, 7, 15, 30, 60)] \
    + [hours(n) for n in (1, 24, 25, 48)] + ["即办"]


@pytest.fixture(scope="module")
def guide(tmp_path_factory):
    from browser import browser, visit

    project = make_project(tmp_path_factory.mktemp("deadline") / "project")
    assert mkdocs_build(project).returncode == 0
    with browser() as chromium, visit(chromium, project / "site", "guides/sample-home-visit/") as page:
        yield project, page


def set_accepted(page, day: str):
    page.fill("[data-kb-accepted]", day)
    page.dispatch_event("[data-kb-accepted]", "change")


def span(first: date, last: date) -> list[str]:
    return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


@pytest.mark.browser
def test_the_page_and_python_agree_on_every_start_day_and_unit(guide):
    _, page = guide
    starts = (span(date(2025, 12, 1), date(2027, 1, 31))  # across the package's years
              + span(date(PENDING - 1, 12, 1), date(PENDING + 1, 1, 31))  # the whole first year not covered
              + span(date(UNKNOWN - 1, 11, 1), date(UNKNOWN, 1, 31))  # out of the lunar calendar's range
              + span(date(9999, 10, 1), date(9999, 12, 31)))  # the last days a date can have
    got = page.page.evaluate(
        "([starts, units]) => starts.map(s => units.map(u => window.kbDeadline.due(s, u)))", [starts, UNITS])
    compared = refused = 0
    for start, row in zip(starts, got):
        for limit, answer in zip(UNITS, row):
            try:
                expected = due(D(start), limit)
            except DateOutOfRange:
                assert answer["date"] is None, (start, limit, answer)
                refused += 1
                continue
            assert answer == {"date": expected.date.isoformat(), "uncovered": list(expected.uncovered)}, (start, limit)
            compared += 1
    assert compared + refused == len(starts) * len(UNITS) and refused > 0 and compared > 17_000


@pytest.mark.browser
def test_the_panel_shows_the_total_the_other_limits_and_each_step(guide):
    _, page = guide
    p = page.page
    set_accepted(p, "2026-09-29")
    assert p.get_attribute("[data-kb-due-total]", "datetime") == "2026-11-30"  # 60 自然日 from 09-29: 11-28 is a Saturday
    assert p.inner_text("[data-kb-due-total]") == "2026年11月30日（星期一）"
    assert p.get_attribute('[data-kb-due-extra="1"]', "datetime") == "2026-10-09"  # 3 工作日
    assert p.get_attribute('[data-kb-due-step="1"]', "datetime") == "2026-09-29"  # 即办
    assert p.get_attribute('[data-kb-due-step="2"]', "datetime") == "2026-10-12"  # 5 工作日 after step 1
    assert p.locator("[data-kb-calendar-warning]").is_hidden()
    set_accepted(p, "2026-12-29")
    warning = p.locator("[data-kb-calendar-warning]")
    assert warning.is_visible() == (not CAL.covers(D("2027-01-01")))
    assert p.get_attribute("[data-kb-due-total]", "datetime") == "2027-03-01"  # 02-27 is a Saturday
    set_accepted(p, "2026-10-03")
    assert p.locator("[data-kb-calendar-warning]").is_hidden()


@pytest.mark.browser
def test_the_panel_in_a_year_whose_swapped_working_days_are_not_yet_published(guide):
    _, page = guide
    p = page.page
    warning = p.locator("[data-kb-calendar-warning]")
    eve = min(d for d, name in statutory_holidays(PENDING) if name == "春节")
    accepted = eve - timedelta(days=1)
    set_accepted(p, accepted.isoformat())  # the day before 除夕, in a year the package does not cover
    extra = p.get_attribute('[data-kb-due-extra="1"]', "datetime")  # 3 工作日
    assert extra == due(accepted, wd(3)).date.isoformat()
    mon_fri = [d for d in (accepted + timedelta(days=i) for i in range(1, 10)) if d.weekday() < 5]
    assert D(extra) > mon_fri[2]  # 除夕 to 初三 are rest days, not Monday-Friday working days
    assert warning.is_visible()
    text = warning.inner_text()
    assert f"{PENDING} 年的调休上班日和补假日尚未公布" in text and "《全国年节及纪念日放假办法》" in text
    assert p.locator("[data-kb-calendar-unknown]").is_hidden()
    set_accepted(p, f"{UNKNOWN - 1}-12-30")  # past the lunar calendar's range: Monday-Friday, and said so
    assert p.locator("[data-kb-calendar-unknown]").is_visible()
    assert f"{UNKNOWN} 年超出" in warning.inner_text() and "周一至周五" in warning.inner_text()


@pytest.mark.browser
def test_the_panel_refuses_a_last_day_after_the_year_9999(guide):
    _, page = guide
    p = page.page
    assert p.get_attribute("[data-kb-accepted]", "max") == "9999-12-31"
    set_accepted(p, "9999-12-31")
    total = p.locator("[data-kb-due-total]")
    assert total.get_attribute("datetime") is None
    assert "超出" in total.inner_text() and "10000" not in p.inner_text("[data-kb-deadline]")
    assert p.get_attribute('[data-kb-due-step="1"]', "datetime") == "9999-12-31"  # 即办: the same day
    set_accepted(p, "2026-09-29")
    assert p.get_attribute("[data-kb-due-total]", "datetime") == "2026-11-30"


@pytest.mark.browser
def test_the_panel_opens_on_today_and_matches_the_build(guide):
    project, page = guide
    p = page.page
    page.open("guides/sample-home-visit/")
    today = p.evaluate("() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]; }")
    today = date(*today)
    assert p.input_value("[data-kb-accepted]") == today.isoformat()
    assert p.get_attribute("[data-kb-due-total]", "datetime") == due(today, {"value": 60, "unit": "自然日"}).date.isoformat()
    # the dates written at build time (what a reader without scripts sees) are Python's for the build day
    html = (project / "site" / "guides" / "sample-home-visit" / "index.html").read_text(encoding="utf-8")
    built = html.split('data-kb-accepted value="')[1][:10]
    total = due(D(built), {"value": 60, "unit": "自然日"}).date.isoformat()
    assert f'data-kb-due-total data-kb-unit="自然日" data-kb-value="60" datetime="{total}"' in html


@pytest.mark.browser
def test_the_panel_works_by_keyboard_and_is_labelled(guide):
    _, page = guide
    p = page.page
    page.open("guides/sample-home-visit/")
    field = p.locator("[data-kb-accepted]")
    assert p.evaluate("el => el.labels.length && el.labels[0].textContent.includes('受理日期')", field.element_handle())
    field.focus()
    before = field.input_value()
    p.keyboard.press("ArrowDown")  # changes the focused part of the date (no mouse, no typing order to guess)
    value = field.input_value()
    p.keyboard.press("Tab")
    assert value and value != before and p.get_attribute("[data-kb-due-total]", "datetime") == due(D(value), {"value": 60, "unit": "自然日"}).date.isoformat()
    assert page.foreign_requests() == []
