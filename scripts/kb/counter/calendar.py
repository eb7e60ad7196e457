"""The official working-day calendar: the State Council's holidays and swapped working days.

The data comes from the pinned ``chinesecalendar`` package, which transcribes the
notices of the General Office of the State Council (国务院办公厅关于××年部分节假日安排的通知)
year by year, and from the notices an operator registers locally the day one is
published (``solutions/_registry/holidays.yml``, checked by ``kb check``; ``Notice``).
At build time it is reduced to a small table that Python (``kb.deadline``) and the
page (``assets/kb/deadline.js``) read alike:

- ``rest``: Monday–Friday dates that are statutory holidays (法定节假日 and the days added to them);
- ``work``: Saturdays and Sundays that are working days (调休上班);
- ``first_year`` .. ``last_year``: the years whose notice the calendar has;
- ``statutory_until``: after ``last_year`` and up to this year, ``rest`` holds the
  holidays that 《全国年节及纪念日放假办法》 itself fixes (``statutory_holidays``):
  they are rest days whatever the notice will say. Only the swapped working days
  and the make-up days (调休、补假) wait for the notice, and whoever counts with such
  a year is told so (``pending``).

Past ``statutory_until`` (the end of the lunar calendar's range) and before
``first_year`` a date is counted Monday–Friday, and whoever counts with it is told.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import metadata

from ..records.validate import _is_date  # one rule for what a date is, the records'

#: The package the table is built from (pinned in pyproject.toml).
PACKAGE = "chinesecalendar"
#: The lunar calendar and solar terms the statutory holidays are computed from (pinned in pyproject.toml).
LUNAR_PACKAGE = "borax"
#: The law that fixes the holidays, as amended by 国务院令第795号 (2024-11-10), in force from 2025-01-01.
LAW = "《全国年节及纪念日放假办法》"
#: The first year its current holidays apply (春节 from 除夕, 劳动节 two days); earlier years had others.
LAW_SINCE = 2025
#: The holidays of every citizen it fixes (第二条), in order: what the page and the command line name.
LAW_HOLIDAYS = "元旦（1月1日）、春节（农历除夕至正月初三）、清明节、劳动节（5月1日、2日）、端午节、中秋节、国庆节（10月1日至3日）"


@dataclass(frozen=True)
class HolidayCalendar:
    """Working days of the covered years; Monday–Friday outside them."""

    first_year: int
    last_year: int
    rest: frozenset[date] = field(default_factory=frozenset)
    work: frozenset[date] = field(default_factory=frozenset)
    source: str = ""
    #: The last year whose statutory holidays are in ``rest`` (0: none past ``last_year``).
    statutory_until: int = 0

    def covers(self, day: date) -> bool:
        return self.first_year <= day.year <= self.last_year

    def pending(self, year: int) -> bool:
        """A year without its notice yet: the statutory holidays are counted, the swaps are not known."""
        return self.last_year < year <= self.statutory_until

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day (工作日); uncovered years: Monday–Friday less the statutory holidays
        (``rest`` has them only for the ``pending`` years)."""
        if day in self.work:
            return True
        return day.weekday() < 5 and day not in self.rest

    def table(self) -> dict:
        """The table as plain data (ISO dates, sorted): what the page's script reads."""
        return {
            "source": self.source,
            "first_year": self.first_year,
            "last_year": self.last_year,
            "statutory_until": self.statutory_until,
            "rest": sorted(d.isoformat() for d in self.rest),
            "work": sorted(d.isoformat() for d in self.work),
        }

    @classmethod
    def from_table(cls, table: dict) -> "HolidayCalendar":
        return cls(
            first_year=int(table["first_year"]),
            last_year=int(table["last_year"]),
            rest=frozenset(date.fromisoformat(d) for d in table["rest"]),
            work=frozenset(date.fromisoformat(d) for d in table["work"]),
            source=str(table.get("source", "")),
            statutory_until=int(table.get("statutory_until", 0)),
        )

    def script(self) -> str:
        """``assets/kb/calendar.js``: the table as a global the deadline script reads.

        A script file (not JSON fetched at run time) so that it also loads from
        ``file://`` and under ``script-src 'self'``.
        """
        data = json.dumps(self.table(), ensure_ascii=False, separators=(",", ":"))
        return (
            "// The official holiday and swapped-working-day calendar, generated at build time by\n"
            f"// scripts/kb/calendar.py from {self.source}. Do not edit: raise the pin or register\n"
            "// the notice in solutions/_registry/holidays.yml, and rebuild.\n"
            f"window.KB_CALENDAR = {data};\n"
        )


@lru_cache(maxsize=None)
def package() -> HolidayCalendar:
    """The calendar of the installed ``chinesecalendar`` package alone (the notices it transcribes).

    Raises ``RuntimeError`` (with the Chinese message to show) when the package is missing.
    """
    try:
        import chinese_calendar
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise RuntimeError(f"缺少节假日日历 {PACKAGE}：请运行 pip install -e . 安装项目依赖") from exc
    holidays, workdays = chinese_calendar.holidays, chinese_calendar.workdays
    years = [d.year for d in holidays]
    return HolidayCalendar(
        first_year=min(years),
        last_year=max(years),
        rest=frozenset(d for d in holidays if d.weekday() < 5),
        work=frozenset(d for d in workdays if d.weekday() >= 5),
        source=f"{PACKAGE} {metadata.version(PACKAGE)}",
    )


def _lunar():
    try:
        from borax.calendars import lunardate
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise RuntimeError(f"缺少农历和节气日历 {LUNAR_PACKAGE}：请运行 pip install -e . 安装项目依赖") from exc
    return lunardate


def statutory_years() -> range:
    """The years whose statutory holidays can be computed: the current law, within the lunar calendar's range."""
    lunar = _lunar()
    return range(max(LAW_SINCE, lunar.MIN_LUNAR_YEAR), lunar.MAX_LUNAR_YEAR + 1)


def statutory_holidays(year: int) -> list[tuple[date, str]]:
    """The days off every citizen has in ``year`` by 《全国年节及纪念日放假办法》第二条 (as amended in 2024):
    元旦 1月1日; 春节 农历除夕 and 正月初一至初三; 清明节 the day of the solar term 清明; 劳动节 5月1日、2日;
    端午节 五月初五; 中秋节 八月十五; 国庆节 10月1日至3日 — thirteen days, in date order.

    What the law leaves to the yearly notice — the make-up day for a holiday on a weekend (补假) and the
    swapped working days (调休) — is not here. Raises ``ValueError`` for a year outside ``statutory_years``.
    """
    years = statutory_years()
    if year not in years:
        raise ValueError(f"{year} 年的法定节假日无法计算：只能计算 {years[0]}–{years[-1]} 年"
                         f"（现行放假办法自 {LAW_SINCE} 年施行，农历和节气数据到 {years[-1]} 年）")
    lunar = _lunar()
    new_year = lunar.LunarDate(year, 1, 1).to_solar_date()  # 正月初一
    days = [(date(year, 1, 1), "元旦")]
    days += [(new_year + timedelta(days=offset), "春节") for offset in (-1, 0, 1, 2)]  # 除夕 is the day before
    days.append((lunar.TermUtils.nth_term_day(year, term_name="清明"), "清明节"))
    days += [(date(year, 5, 1), "劳动节"), (date(year, 5, 2), "劳动节")]
    days.append((lunar.LunarDate(year, 5, 5).to_solar_date(), "端午节"))
    days.append((lunar.LunarDate(year, 8, 15).to_solar_date(), "中秋节"))
    days += [(date(year, 10, day), "国庆节") for day in (1, 2, 3)]
    return sorted(days)


@dataclass(frozen=True)
class Notice:
    """One year's State Council notice, registered locally (``solutions/_registry/holidays.yml``)."""

    year: int
    doc_number: str
    off: frozenset[date]  # every day the notice gives off, weekends inside its spans included
    work: frozenset[date]  # the Saturdays and Sundays it makes working days

    @classmethod
    def from_entry(cls, entry: dict) -> "Notice":
        """A notice from its registry entry (already checked: ``kb.validate``)."""
        off, work = set(), set()
        for holiday in entry["holidays"]:
            first = date.fromisoformat(holiday["from"])
            last = date.fromisoformat(holiday.get("to", holiday["from"]))
            off.update(first + timedelta(days=i) for i in range((last - first).days + 1))
            work.update(date.fromisoformat(d) for d in holiday.get("workdays", []))
        return cls(int(entry["year"]), str(entry["doc_number"]), frozenset(off), frozenset(work))

    def is_workday(self, day: date) -> bool:
        return day in self.work or (day.weekday() < 5 and day not in self.off)


@lru_cache(maxsize=8)
def build(notices: tuple[Notice, ...] = ()) -> HolidayCalendar:
    """The package's calendar, extended by the registered notices of the years after it (one after another,
    as ``kb check`` requires; a notice of a year the package has is only checked against it), then by the
    statutory holidays of the years after that, as far as the lunar calendar goes."""
    base = package()
    rest, work = set(base.rest), set(base.work)
    last, local = base.last_year, []
    for notice in sorted(notices, key=lambda n: n.year):
        if notice.year != last + 1:
            continue
        for day in notice.off:  # a span may begin in December of the year before (元旦)
            work.discard(day)
            if day.weekday() < 5:
                rest.add(day)
        for day in notice.work:
            rest.discard(day)
            work.add(day)
        last = notice.year
        local.append(f"{notice.year} 年 {notice.doc_number}")
    statutory_until, years, year = 0, statutory_years(), last + 1
    while year in years:
        rest.update(day for day, _ in statutory_holidays(year) if day.weekday() < 5)
        statutory_until, year = year, year + 1
    source = base.source + (f"、本地登记的通知（{'、'.join(local)}）" if local else "")
    if statutory_until:
        source += f"；{last + 1}–{statutory_until} 年的法定节假日按{LAW}推算（{LUNAR_PACKAGE} {metadata.version(LUNAR_PACKAGE)}）"
    return HolidayCalendar(base.first_year, last, frozenset(rest), frozenset(work), source, statutory_until)


def official() -> HolidayCalendar:
    """The calendar of the installed packages, without local notices."""
    return build(())


def for_notices(entries: list[dict]) -> HolidayCalendar:
    """The calendar with the notices of a knowledge base's ``holidays.yml`` (``KnowledgeBase.holiday_notices``)."""
    return build(tuple(Notice.from_entry(entry) for entry in entries))


def project_calendar(root) -> tuple[HolidayCalendar, list]:
    """The calendar for the project under ``root`` without reading its records (``kb deadline``): the packages'
    and the notices of ``solutions/_registry/holidays.yml`` when there is one — or, when that file has problems,
    the packages' calendar and the problems (the lines ``kb check`` prints)."""
    from pathlib import Path

    from ..records.load import REGISTRY_DIR, REGISTRY_FILES, Sources, read_document
    from ..records.report import sort_problems
    from ..records.validate import Checker

    root = Path(root)
    path = root / REGISTRY_DIR / REGISTRY_FILES["holidays"]
    if not path.is_file():
        return official(), []
    doc = read_document(path, root)
    checker = Checker(Sources(root=root, registry={"holidays": doc}))
    checker.check_registry()
    problems = checker.problems + notice_problems(doc)
    if problems:
        return official(), sort_problems(problems)
    return for_notices(doc.data["notices"]), []


def notice_problems(doc) -> list:
    """What ``kb check`` says about the notices of ``holidays.yml`` beyond its schema (``_NoticeCheck``);
    ``doc`` is the file as read (``kb.load.Document``), None when the project has none."""
    if doc is None or not isinstance(doc.data, dict):
        return []
    check = _NoticeCheck()
    check.check(doc)
    return check.problems


#: A holiday span of a notice longer than this is a typing mistake (the longest so far: ten days, 2020's 春节).
MAX_HOLIDAY_SPAN = 20
#: Days reported one by one when a registered notice disagrees with the package (then a count).
MAX_DISAGREEMENTS = 10


def _weekday(day: date) -> str:
    return "星期" + "一二三四五六日"[day.weekday()]




class _NoticeCheck:
    """The rules of ``holidays.yml`` a schema cannot say (the schema checks each value's form: kb.validate)."""

    def __init__(self):
        self.problems: list = []

    def check(self, doc) -> None:
        """The State Council's notices registered locally (kb.calendar.Notice), one per year.

        Every date is real and in the notice's year (a 元旦 span may start in the December before); a span
        ends after it starts; a swapped working day is a Saturday or Sunday and not also a day off; the
        days off include every statutory holiday of that year (《全国年节及纪念日放假办法》第二条); a year
        the package already has must say the same as the package, day by day; the years after the
        package's follow one another, so that the calendar has no hole.
        """
        entries = doc.data.get("notices")
        if not isinstance(entries, list):
            return
        base = package()
        years: dict[int, int] = {}  # year -> line
        where: dict[int, tuple] = {}  # year -> path of its year field
        for index, entry in enumerate(entries):
            year = entry.get("year") if isinstance(entry, dict) else None
            if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 9999:
                continue  # the schema's to report
            path = ("notices", index, "year")
            if year in years:
                self.problems.append(doc.problem(path, f"{year} 年的通知重复（第 {years[year]} 行已登记）"))
                continue
            years[year], where[year] = doc.line_of(path), path
            if year < base.first_year:
                self.problems.append(doc.problem(path, f"{year} 年早于节假日日历的第一年（{base.first_year} 年），"
                                                       "办理期限用不到，请删除这一条"))
                continue
            days = self._notice_days(doc, index, entry, year)
            if days is None:
                continue
            off, work = days
            if year in statutory_years():
                self._notice_against_law(doc, index, year, off)
            if year <= base.last_year:
                self._notice_against_package(doc, index, year, off, work, base)
        expected = base.last_year + 1
        for year in sorted(y for y in years if y > base.last_year):
            if year != expected:
                missing = f"{expected} 年" if expected == year - 1 else f"{expected}–{year - 1} 年"
                self.problems.append(doc.problem(
                    where[year], f"缺少 {missing}的通知：节假日日历按年连续收录（{base.source} 收录到 "
                                 f"{base.last_year} 年），请先登记 {expected} 年的通知"))
                break
            expected += 1

    def _notice_days(self, doc, index: int, entry: dict, year: int):
        """(days off, swapped working days) of one notice, each with the path it is written at; None when a
        span of days off cannot be read (the schema reports a bad date), so that nothing is checked against
        a part of it. A swapped working day in error is reported and left out."""
        holidays = entry.get("holidays")
        if not isinstance(holidays, list):
            return None
        off: dict[date, tuple] = {}
        work: dict[date, tuple] = {}
        readable = True

        def in_year(day: date, path: tuple) -> bool:
            if day.year == year or (day.year == year - 1 and day.month == 12):
                return True
            self.problems.append(doc.problem(path, f"{day.isoformat()} 不在 {year} 年：一条通知只安排这一年的节假日"
                                                   "（元旦假期可从上一年 12 月开始）；请核对年份"))
            return False

        for number, holiday in enumerate(holidays):
            path = ("notices", index, "holidays", number)
            if not isinstance(holiday, dict) or not _is_date(holiday.get("from")) \
                    or not _is_date(holiday.get("to", holiday.get("from"))):
                readable = False
                continue
            first = date.fromisoformat(holiday["from"])
            last = date.fromisoformat(holiday.get("to", holiday["from"]))
            if last < first:
                self.problems.append(doc.problem(path + ("to",), f"放假结束日期 {last.isoformat()} 早于开始日期 "
                                                                 f"{first.isoformat()}"))
                readable = False
                continue
            if (last - first).days >= MAX_HOLIDAY_SPAN:
                self.problems.append(doc.problem(path + ("to",), f"放假区间 {first.isoformat()} 至 {last.isoformat()} "
                                                                 f"共 {(last - first).days + 1} 天，超过 {MAX_HOLIDAY_SPAN} 天，请核对日期"))
                readable = False
                continue
            if not (in_year(first, path + ("from",)) and in_year(last, path + ("to",))):
                readable = False
                continue
            for offset in range((last - first).days + 1):
                off.setdefault(first + timedelta(days=offset), path)
            workdays = holiday.get("workdays")
            for k, value in enumerate(workdays if isinstance(workdays, list) else []):
                if not _is_date(value):
                    continue
                day, where = date.fromisoformat(value), path + ("workdays", k)
                if day.weekday() < 5:
                    self.problems.append(doc.problem(where, f"{value} 是{_weekday(day)}：调休上班日应为周六或周日"
                                                            "（周一至周五本来就上班），请对照通知核对"))
                elif in_year(day, where):
                    work.setdefault(day, where)
        for day in sorted(set(off) & set(work)):
            self.problems.append(doc.problem(
                work.pop(day), f"{day.isoformat()} 同时列为放假（第 {doc.line_of(off[day])} 行的放假区间）和调休上班，"
                               "同一天只能是其中一种，请对照通知核对"))
        return (off, work) if readable else None

    def _notice_against_law(self, doc, index: int, year: int, off: dict) -> None:
        for day, name in statutory_holidays(year):
            if day not in off:
                self.problems.append(doc.problem(
                    ("notices", index, "holidays"),
                    f"放假安排里缺少 {day.isoformat()}（{name}）：{LAW}第二条规定这一天全体公民放假，"
                    "通知的放假区间一定包含它；请对照通知核对日期"))

    def _notice_against_package(self, doc, index: int, year: int, off: dict, work: dict, base) -> None:
        """A year the package has: the notice registered here must say the same, day by day."""
        days = [date(year, 1, 1) + timedelta(days=i) for i in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)]
        days = sorted({*days, *(d for d in [*off, *work] if base.covers(d))})
        differ = []
        for day in days:
            mine = day in work or (day.weekday() < 5 and day not in off)
            if mine != base.is_workday(day):
                differ.append((day, mine))
        differ.sort(key=lambda item: (item[0] not in off and item[0] not in work, item[0]))  # its own lines first
        for day, mine in differ[:MAX_DISAGREEMENTS]:
            where = off.get(day) or work.get(day) or ("notices", index, "holidays")
            self.problems.append(doc.problem(
                where, f"{day.isoformat()}（{_weekday(day)}）本条为{'上班' if mine else '放假'}，而 {base.source} 收录的 "
                       f"{year} 年安排为{'放假' if mine else '上班'}：请对照国务院办公厅通知核对"
                       "（日历包已收录这一年，本条也可以删除）"))
        if len(differ) > MAX_DISAGREEMENTS:
            self.problems.append(doc.problem(("notices", index, "year"), f"另有 {len(differ) - MAX_DISAGREEMENTS} 天与 "
                                                                        f"{base.source} 收录的 {year} 年安排不一致"))
