"""Commands for the counter: the last day of a time limit."""

from __future__ import annotations

from datetime import date

import click

from ..records import report
from .common import EXIT_USAGE, fail


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, metavar="FROM N UNIT")
@click.pass_context
def deadline(ctx: click.Context, args: tuple[str, ...]) -> None:
    """按法定规则算出办理时限的最后一天：FROM 受理日期（YYYY-MM-DD），N 时限数值，UNIT 单位。

    \b
    UNIT 为 工作日、自然日 或 小时；当场办理写 “即办”（不写 N）。
    工作日：受理当日不计，从次日起数 N 个工作日，跳过法定节假日，调休上班的周末算工作日。
    自然日：受理日后第 N 日；最后一天是休息日的，顺延到其后第一个工作日。
    小时：从受理时刻连续计算，不扣休息日；只给日期时按最晚可能的一天，即受理日后第 ⌈N/24⌉ 日。
    国务院办公厅尚未公布某年安排时，这一年按《全国年节及纪念日放假办法》规定的法定节假日休息、
    其余周一至周五为工作日计算，并在标准错误输出提示调休尚未公布；超出农历日历范围的年份按周一至周五计算。
    项目里登记了国务院办公厅通知（solutions/_registry/holidays.yml）的，按登记的安排计算。

    \b
    例：kb deadline 2026-09-29 5 工作日   →  2026-10-12（星期一）
        kb deadline 2026-04-30 即办
    退出码：0 成功，1 节假日登记表有误，2 参数有误（含最后一天超出 9999-12-31）。
    """
    from ..counter.deadline import IMMEDIATE, MAX_VALUE, UNITS, DateOutOfRange, due, uncovered_notes, weekday_name
    from ..counter.calendar import project_calendar

    usage = f"用法：kb deadline FROM N UNIT，例如 kb deadline 2026-09-29 5 工作日（UNIT 可选：{'、'.join(UNITS)}；当场办理写 {IMMEDIATE}）"
    if len(args) not in (2, 3):
        fail(f"参数个数不对。{usage}", EXIT_USAGE)
    try:
        accepted = date.fromisoformat(args[0]) if len(args[0]) == 10 else None
    except ValueError:
        accepted = None
    if accepted is None:
        fail(f"受理日期“{args[0]}”不是有效日期，应为 YYYY-MM-DD，如 2026-09-29", EXIT_USAGE)
    if len(args) == 2:
        if args[1] != IMMEDIATE:
            fail(f"缺少时限单位。{usage}", EXIT_USAGE)
        limit: str | dict = IMMEDIATE
    else:
        number, unit = args[1], args[2]
        if unit not in UNITS:
            fail(f"时限单位“{unit}”不对，可选：{'、'.join(UNITS)}（当场办理写 {IMMEDIATE}，不写数值）", EXIT_USAGE)
        if not number.isascii() or not number.isdigit() or not 1 <= int(number) <= MAX_VALUE:
            fail(f"时限数值“{number}”不对，应为 1 到 {MAX_VALUE} 的整数", EXIT_USAGE)
        limit = {"value": int(number), "unit": unit}
    calendar, problems = project_calendar(ctx.obj["root"])
    if problems:
        click.echo(report.render_text(problems), err=True)
        fail(f"节假日登记表有 {len(problems)} 个问题，请先运行 kb check 并修正。")
    try:
        result = due(accepted, limit, calendar)
    except DateOutOfRange as exc:
        fail(str(exc), EXIT_USAGE)
    click.echo(f"{result.date.isoformat()}（{weekday_name(result.date)}）")
    for note in uncovered_notes(result.uncovered, calendar):
        click.echo(note, err=True)
