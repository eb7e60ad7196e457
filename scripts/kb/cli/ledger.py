"""Commands on the window's ledger (台账): template, check, link, report."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from .. import clock
from .common import CONTEXT, EXIT_PROBLEMS, EXIT_USAGE, fail, load

CONFIG_OPTION = click.option(
    "--config", "config", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="从哪个 MkDocs 配置读 extra.kb.window（答复、办结时限）等设置，默认项目根目录的 mkdocs.yml。")


def _project(ctx: click.Context, config: Path | None):
    from ..ledger.project import LedgerError, project

    try:
        return project(ctx.obj["root"], config)
    except LedgerError as exc:
        fail(str(exc), exc.code)


def _kb(ctx: click.Context):
    loaded = load(ctx)
    if loaded.problems:
        fail(f"知识库有 {len(loaded.problems)} 个问题，无法核对台账里的一类事编号；请先运行 kb check 并修正。")
    return loaded.kb


def _read(ctx, files: tuple[Path, ...], settings, kb, *, quiet: bool = False):
    """Read and check the ledgers; print every problem and stop (exit 1) when there is one."""
    from ..ledger.check import Vocabulary, read_and_check

    if not files:
        fail("请给出台账文件（.xlsx 或 .csv），如：kb ledger check 台账.xlsx", EXIT_USAGE)
    for path in files:
        if not path.exists():
            fail(f"找不到台账文件：{path}", EXIT_USAGE)
    tables, cases, problems = read_and_check(list(files), Vocabulary.of(kb), settings.window.name)
    if problems and not quiet:
        click.echo("\n".join(map(str, problems)), err=True)
        fail(f"台账有 {len(problems)} 个问题，请先修正（kb ledger check 列出全部问题），没有做任何处理。")
    return tables, cases, problems


@click.group(context_settings=CONTEXT)
def ledger() -> None:
    """“办不成事”窗口的台账：模板、检查、归类建议、统计报告。

    \b
    台账是窗口已经在记的表格：.xlsx 工作簿（工作表“台账”）或 UTF-8 编码的 .csv，表头为
    编号、受理日期、诉求摘要、诉求人类型、领域、涉及部门、成因、处置类型、答复日期、办结日期、
    结果、一类事编号、窗口（顺序不限，可以有其他列）。台账不得写入姓名、身份证号、电话和住址。
    时限纪律取自 mkdocs 配置的 extra.kb.window（默认答复 3 个工作日、办结 5 个工作日）。
    使用说明见站点“窗口台账”页（docs/ledger.md）。
    """


@ledger.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="输出的 .xlsx 文件。")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖（默认不覆盖）。")
@CONFIG_OPTION
@click.pass_context
def template(ctx: click.Context, out: Path, force: bool, config: Path | None) -> None:
    """生成一个空台账（Excel），带下拉列表：诉求人类型、领域、成因、处置类型、结果和一类事编号取自知识库。"""
    from ..ledger.check import Vocabulary
    from ..ledger.template import write_template

    _project(ctx, config)
    if out.suffix.lower() != ".xlsx":
        fail(f"--out 应为 .xlsx 文件，实际为 {out}", EXIT_USAGE)
    if out.exists() and not force:
        fail(f"{out} 已存在，不会覆盖；请换一个文件名，或加 --force 覆盖")
    kb = _kb(ctx)
    try:
        write_template(Vocabulary.of(kb), out)
    except OSError as exc:
        fail(f"无法写入 {out}：{exc.strerror or exc}")
    click.echo(f"已生成空台账 {out}（工作表“台账”，{len(kb.records)} 个一类事编号可选）。填好后运行：kb ledger check {out}")


@ledger.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@CONFIG_OPTION
@click.pass_context
def check(ctx: click.Context, files: tuple[Path, ...], config: Path | None) -> None:
    """检查台账，列出全部问题，每个一行：文件:台账!C12: 诉求摘要: 说明（CSV：文件:12: 列名: 说明）。

    \b
    查：缺列、不是表格文件、不是 UTF-8 的 CSV、没有“台账”工作表；日期（存成数字或文字的、
    不存在的日子）、办结早于受理、已解决却没有办结日期、不在可选值中的值、不存在的一类事编号、
    重复的编号、空的诉求摘要，以及诉求摘要里的个人信息（身份证号、手机号等）。
    退出码：0 没有问题，1 有问题，2 用法错误。
    """
    settings = _project(ctx, config)
    kb = _kb(ctx)
    _, cases, problems = _read(ctx, files, settings, kb, quiet=True)
    if problems:
        click.echo("\n".join(map(str, problems)))
        click.echo(f"{len(files)} 个台账文件，{len(problems)} 个问题。", err=True)
        sys.exit(EXIT_PROBLEMS)
    click.echo(f"{len(files)} 个台账文件，{len(cases)} 件诉求，没有发现问题。", err=True)


@ledger.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json：[{编号, 窗口, suggested, score}]，suggested 为一类事编号或 null。")
@click.option("--write", "write", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="另存一份台账，加一列“建议一类事”（原台账和“一类事编号”列都不改）。")
@CONFIG_OPTION
@click.pass_context
def link(ctx: click.Context, files: tuple[Path, ...], fmt: str, write: Path | None, config: Path | None) -> None:
    """为还没填“一类事编号”的诉求建议所属的一类事（用站点检索的同一套索引和排序）。

    没有足够接近的一类事时答“无”：挂错比不挂更坏。建议只是建议，由窗口人员确认后
    自己填进“一类事编号”；本命令从不改写它。
    """
    from ..ledger.annotate import write_copy
    from ..ledger.link import Linker

    settings = _project(ctx, config)
    kb = _kb(ctx)
    if write is not None:
        if len(files) != 1:
            fail("--write 只能配一个台账文件", EXIT_USAGE)
        if write.exists() or write.resolve() == files[0].resolve():
            fail(f"{write} 已存在，不会覆盖（也不会改原台账）；请换一个文件名")
        if write.suffix.lower() != files[0].suffix.lower():
            fail(f"--write 的扩展名应与台账相同（{files[0].suffix}）", EXIT_USAGE)
    tables, cases, _ = _read(ctx, files, settings, kb)
    linker = Linker(kb)
    out = []
    per_file: dict[str, dict[int, str]] = {}
    for case in cases:
        if case.record:
            continue
        found = linker.suggest(case.summary)
        out.append({"编号": case.number, "窗口": case.window, "suggested": found.record, "score": found.score,
                    "title": found.title})
        if found.record:
            per_file.setdefault(case.file, {})[case.row] = f"{found.record}（{found.title}）"
    if fmt == "json":
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for item in out:
            window = f"（{item['窗口']}）" if item["窗口"] else ""
            target = f"{item['suggested']} {item['title']}" if item["suggested"] else "无（没有足够接近的一类事）"
            click.echo(f"{item['编号']}{window} → {target}\t得分 {item['score']}")
        made = sum(1 for i in out if i["suggested"])
        click.echo(f"{len(out)} 件未归类，{made} 件有建议，{len(out) - made} 件没有足够接近的一类事。", err=True)
    if write is not None:
        try:
            write_copy(files[0], tables[0], per_file.get(tables[0].display, {}), write)
        except OSError as exc:
            fail(f"无法写入 {write}：{exc.strerror or exc}")
        click.echo(f"已另存 {write}（加了“建议一类事”一列；原台账未改动）。", err=True)


def _day(value: str | None, option: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return clock.parse_day(value, option)
    except clock.ClockError as exc:
        fail(str(exc), EXIT_USAGE)


@ledger.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--from", "start", default=None, help="只统计受理日期不早于这一天的（YYYY-MM-DD）。")
@click.option("--to", "end", default=None, help="只统计受理日期不晚于这一天的（YYYY-MM-DD）。")
@click.option("--as-of", "as_of", default=None,
              help=f"以这一天判断“逾期未答复/未办结”（YYYY-MM-DD），默认取环境变量 {clock.ENV}，再默认今天。")
@click.option("--totals-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="把全站合计（收集诉求、已解决、形成一类事，只有数字）写到这个 JSON 文件，供公开版显示。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@CONFIG_OPTION
@click.pass_context
def report(ctx: click.Context, files: tuple[Path, ...], start, end, as_of, totals_out: Path | None, fmt: str,
           config: Path | None) -> None:
    """统计台账：总数、已解决、归入一类事的件数和类数、按时答复和办结、逾期名单，
    按一类事、成因、部门、月份、窗口计数，以及反复出现、尚无一类事的诉求（新记录的候选）。

    多个台账（每个中心或每年一个）合并统计，按“窗口”分开计数。
    """
    from ..ledger.link import Linker
    from ..ledger.report import report as make_report, write_totals

    settings = _project(ctx, config)
    first, last = _day(start, "--from"), _day(end, "--to")
    if first and last and first > last:
        fail(f"--from {first} 晚于 --to {last}", EXIT_USAGE)
    try:
        day = clock.today(as_of)
    except clock.ClockError as exc:
        fail(str(exc), EXIT_USAGE)
    kb = _kb(ctx)
    _, cases, _ = _read(ctx, files, settings, kb)
    data = make_report(cases, settings.window, day, Linker(kb), first, last, {r.id for r in kb.records})
    if totals_out is not None:
        try:
            write_totals(data, totals_out)
        except OSError as exc:
            fail(f"无法写入 {totals_out}：{exc.strerror or exc}")
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(render_text(data, settings.window))


def render_text(data: dict, window) -> str:
    from ..ledger.project import Window

    lines = [
        f"台账统计（截至 {data['as_of']}；答复时限 {Window.limit_text(window.reply)}，办结时限 {Window.limit_text(window.resolve)}，"
        "按国务院节假日安排计算工作日）",
        f"收集诉求 {data['total']} 件，已解决 {data['resolved']} 件，归入一类事 {data['linked']} 件，"
        f"涉及 {data['classes']} 类事。",
        f"按时答复 {data['reply_on_time']} 件，按时办结 {data['resolve_on_time']} 件，逾期 {len(data['overdue'])} 件。",
    ]
    for key, title in (("by_window", "按窗口"), ("by_class", "按一类事"), ("by_cause", "按成因"),
                       ("by_department", "按部门"), ("by_month", "按月份")):
        if data[key]:
            lines.append(f"{title}：" + "；".join(f"{k} {v}" for k, v in data[key].items()))
    if data["overdue_cases"]:
        lines.append("逾期：")
        lines += [f"  {o['编号']}（{o['窗口'] or '未填窗口'}）受理 {o['受理日期']}，答复期限 {o['答复期限']}，"
                  f"办结期限 {o['办结期限']}：{o['情况']}" for o in data["overdue_cases"]]
    if data["suggestible"]:
        lines.append(f"未填一类事编号、但检索能找到所属一类事的 {data['suggestible']} 件：运行 kb ledger link 查看建议。")
    if data["candidates"]:
        lines.append("反复出现、尚无一类事的诉求（新记录的候选）：")
        for group in data["candidates"]:
            lines.append(f"  {group['title']}（{len(group['编号'])} 件：{'、'.join(group['编号'][:8])}"
                         f"{' …' if len(group['编号']) > 8 else ''}）常用说法：{'、'.join(group['aliases']) or '—'}")
            lines.append(f"    {group['kb_new']}")
    if data["calendar_uncovered"]:
        lines.append(f"注意：{'、'.join(map(str, data['calendar_uncovered']))} 年的节假日安排尚未收入日历，按周一至周五计算。")
    return "\n".join(lines)
