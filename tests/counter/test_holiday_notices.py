"""The State Council's notice registered locally (solutions/_registry/holidays.yml): it extends the calendar the
day it is published, and kb check holds it to the rules of any registry file."""

import re
from datetime import date, timedelta

import chinese_calendar

from conftest import ROOT, fixture_copy, registry_only, run_kb
from kb.counter.calendar import Notice, build, for_notices, official, project_calendar, statutory_holidays
from kb.counter.deadline import due
from kb.knowledge import load_knowledge_base

CAL = official()
PENDING = CAL.last_year + 1  # the first year the installed package does not cover (read from it)
FILE = "solutions/_registry/holidays.yml"
#: A made-up 文号 for test notices (year 0000): never a real document.
TEST_DOC = "国办发明电〔0000〕1号"


def write(root, text: str) -> None:
    (root / FILE).write_text(text, encoding="utf-8")


def notice_for(year: int, doc: str = TEST_DOC) -> tuple[str, date, date]:
    """A notice for ``year``: the statutory holidays as the law gives them, 国庆节 stretched to 10-07 by one
    bridging week and the Saturday after it worked. Returns (YAML, a bridging weekday, the swapped Saturday)."""
    spans: dict[str, list[date]] = {}
    for day, name in statutory_holidays(year):
        spans.setdefault(name, []).append(day)
    saturday = next(d for d in (date(year, 10, 8) + timedelta(days=i) for i in range(7)) if d.weekday() == 5)
    lines = ["notices:", f"  - year: {year}", f"    doc_number: {doc}", "    holidays:"]
    for name, days in spans.items():
        last = date(year, 10, 7) if name == "国庆节" else max(days)
        lines += [f"      - name: {name}", f"        from: {min(days).isoformat()}", f"        to: {last.isoformat()}"]
        if name == "国庆节":
            lines.append(f"        workdays: [{saturday.isoformat()}]")
    bridge = next(d for d in (date(year, 10, 4) + timedelta(days=i) for i in range(4)) if d.weekday() < 5)
    return "\n".join(lines) + "\n", bridge, saturday


def test_a_registered_notice_is_counted_the_day_it_is_published(tmp_path):
    root = fixture_copy(tmp_path)
    text, bridge, saturday = notice_for(PENDING)
    write(root, text)
    result = run_kb("--root", str(root), "check")
    assert result.returncode == 0, result.stdout + result.stderr

    loaded = load_knowledge_base(root)
    cal = for_notices(loaded.kb.holiday_notices)
    assert cal.covers(date(PENDING, 6, 1)) and cal.last_year == PENDING and not cal.pending(PENDING)
    assert cal.pending(PENDING + 1) and cal.statutory_until == CAL.statutory_until
    assert not cal.is_workday(bridge) and CAL.is_workday(bridge)  # the notice's bridging day
    assert cal.is_workday(saturday) and not CAL.is_workday(saturday)  # its swapped Saturday
    assert TEST_DOC in cal.source and TEST_DOC in cal.script()
    assert project_calendar(root) == (cal, [])

    # the site's calendar table (what the page counts with) is the same calendar
    from kb.site.edition import Edition
    from kb.site.pages import SiteBuilder, SiteSettings

    builder = SiteBuilder(Edition("public", loaded.kb), SiteSettings(today=date(PENDING, 9, 30)))
    assert builder.calendar_asset().render().content == cal.script()
    assert builder.calendar is cal and builder.deadline_panel(builder.edition.views[0])["calendar"] is cal

    # kb deadline reads it: no warning for that year, the swapped Saturday counts
    before = saturday - timedelta(days=1)
    result = run_kb("--root", str(root), "deadline", before.isoformat(), "1", "工作日")
    assert result.returncode == 0 and result.stdout.startswith(saturday.isoformat()) and result.stderr == ""
    assert due(before, {"value": 1, "unit": "工作日"}, cal).date == saturday


def test_the_documented_example_is_the_real_2026_notice_and_agrees_with_the_package(tmp_path):
    """docs/operators.md shows 国办发明电〔2025〕7号 (2026); 2026 is in the package, so kb check compares it
    day by day: the example an operator copies is right."""
    operators = (ROOT / "docs" / "operators.md").read_text(encoding="utf-8")
    (example,) = [b for b in re.findall(r"```yaml\n(.*?)```", operators, re.S) if "notices:" in b]
    assert "国办发明电〔2025〕7号" in example and "year: 2026" in example
    root = registry_only(tmp_path / "kb")
    write(root, example)
    result = run_kb("--root", str(root), "check")
    assert result.returncode == 0, result.stdout
    notice = Notice.from_entry(load_knowledge_base(root).kb.holiday_notices[0])
    for day in (date(2026, 1, 1) + timedelta(days=i) for i in range(365)):
        assert notice.is_workday(day) == chinese_calendar.is_workday(day), day
    assert build((notice,)) == CAL  # a year the package has changes nothing


def test_bad_notices_are_reported_with_file_line_and_field(tmp_path):
    root = registry_only(tmp_path / "kb")
    last = CAL.last_year  # a year the package covers: the notice must say the same
    national_day = [d for d in chinese_calendar.holidays if d.year == last and d.month == 10]
    first_work = next(d for d in (date(last, 10, 8) + timedelta(days=i) for i in range(10))
                      if chinese_calendar.is_workday(d) and d.weekday() < 5)
    eve = min(d for d, name in statutory_holidays(PENDING) if name == "春节")
    monday = next(d for d in (date(PENDING, 1, 4) + timedelta(days=i) for i in range(7)) if d.weekday() == 0)
    later = PENDING + 2
    text = "\n".join([
        "notices:",
        f"  - year: {last}",                                   # 2
        "    doc_number: 国办发明电〔0000〕2号",
        "    holidays:",
        "      - name: 国庆节",                                  # 5
        f"        from: {min(national_day).isoformat()}",
        f"        to: {first_work.isoformat()}",                 # 7: one working day too many (reported at 5)
        f"  - year: {PENDING}",                                # 8
        "    doc_number: 国办发明电2026-7",                      # 9: not a 文号
        "    holidays:",
        "      - name: 元旦",                                    # 11
        f"        from: {PENDING}-01-01",
        "      - name: 春节",                                    # 13
        f"        from: {(eve + timedelta(days=1)).isoformat()}",  # 14: 除夕 left out
        f"        to: {(eve + timedelta(days=6)).isoformat()}",
        f"        workdays: [{monday.isoformat()}]",             # 16: a Monday is no swapped working day
        f"  - year: {later}",                                  # 17: PENDING + 1 missing
        f"    doc_number: {TEST_DOC}",
        "    holidays:",
        "      - name: 国庆节",                                  # 20
        f"        from: {later}-10-07",
        f"        to: {later}-10-01",                            # 22: ends before it starts
        f"        workdays: [{later}-02-30]",                    # 23
    ]) + "\n"
    write(root, text)
    result = run_kb("--root", str(root), "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert all(re.match(rf"{FILE}:\d+: notices\[\d\][\w\[\].]*: \S", line) for line in lines), lines

    def line(number: int, field: str, *words: str) -> None:
        found = [l for l in lines if l.startswith(f"{FILE}:{number}: {field}: ") and all(w in l for w in words)]
        assert found, (number, field, words, lines)

    w = "一二三四五六日"[first_work.weekday()]
    line(5, "notices[0].holidays[0]", f"{first_work.isoformat()}（星期{w}）本条为放假", "chinesecalendar", "上班")
    line(9, "notices[1].doc_number", "国办发明电〔2025〕7号")
    line(11, "notices[1].holidays", f"缺少 {eve.isoformat()}（春节）", "《全国年节及纪念日放假办法》第二条")
    line(11, "notices[1].holidays", f"（国庆节）")
    line(16, "notices[1].holidays[1].workdays[0]", f"{monday.isoformat()} 是星期一", "调休上班日应为周六或周日")
    line(17, "notices[2].year", f"缺少 {PENDING + 1} 年的通知")
    line(22, "notices[2].holidays[0].to", f"放假结束日期 {later}-10-01 早于开始日期 {later}-10-07")
    line(23, "notices[2].holidays[0].workdays[0]", f"“{later}-02-30”不是有效日期")

    # the same file stops kb deadline (exit 1, the same lines), never a traceback
    result = run_kb("--root", str(root), "deadline", f"{PENDING}-01-04", "1", "工作日")
    assert result.returncode == 1 and result.stdout == "" and "Traceback" not in result.stderr
    assert f"{FILE}:17: notices[2].year: " in result.stderr and "节假日登记表有" in result.stderr


def test_a_day_both_off_and_worked_and_a_repeated_year(tmp_path):
    root = registry_only(tmp_path / "kb")
    text, _, _ = notice_for(PENDING)
    # a weekend day inside the 国庆节 span (10-01 to 10-07), then listed as a working day too
    both = next(d for d in (date(PENDING, 10, 1) + timedelta(days=i) for i in range(7)) if d.weekday() >= 5).isoformat()
    text = text.replace(f"workdays: [", f"workdays: [{both}, ")
    text += f"  - year: {PENDING}\n    doc_number: {TEST_DOC}\n    holidays:\n      - name: 元旦\n        from: {PENDING}-01-01\n"
    write(root, text)
    lines = run_kb("--root", str(root), "check").stdout.splitlines()
    assert any(f"{both} 同时列为放假" in l and ".workdays[0]: " in l for l in lines), lines
    assert any(f"notices[1].year: {PENDING} 年的通知重复（第 2 行已登记）" in l for l in lines), lines
