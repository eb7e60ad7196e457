"""The ``kb`` command: check, export, import, stats, new, impact, bench, publish, rollback, nginx-config.

Errors in the knowledge base are reported as lines and an exit code, never as
a traceback: 0 clean, 1 problems found, 2 usage error.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

import click

from . import clock, report
from .edition import EDITIONS, PUBLIC, Edition
from .model import Loaded, load_knowledge_base

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
ARTICLE_RE = re.compile(r"第[一二三四五六七八九十百千零〇0-9]+条(第[一二三四五六七八九十0-9]+款)?(第[一二三四五六七八九十0-9]+项)?")

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _fail(message: str, code: int = EXIT_PROBLEMS) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(code)


def _today(value) -> date:
    """The --today option, else $KB_TODAY, else the system date (see kb.clock)."""
    try:
        return clock.today(value.date() if value else None)
    except clock.ClockError as exc:
        _fail(str(exc), EXIT_USAGE)


TODAY_OPTION = click.option(
    "--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    help=f"以这一天为“今天”（YYYY-MM-DD），默认取环境变量 {clock.ENV}，再默认系统日期。")


def _load(ctx: click.Context, today: date | None = None) -> Loaded:
    root = ctx.obj["root"]
    if not (root / "solutions").is_dir():
        _fail(f"在 {root} 下找不到 solutions/ 目录；请在项目根目录运行，或用 --root 指定。", EXIT_USAGE)
    return load_knowledge_base(root, today or _today(None))


def _require_clean(loaded: Loaded) -> None:
    if loaded.problems:
        click.echo(report.render_text(loaded.problems), err=True)
        _fail(f"知识库有 {len(loaded.problems)} 个问题，请先运行 kb check 并修正。")


@click.group(context_settings=CONTEXT)
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="项目根目录（含 solutions/ 的目录）。",
)
@click.version_option(package_name="kb-work-prompts", message="kb %(version)s")
@click.pass_context
def main(ctx: click.Context, root: Path) -> None:
    """工作提示知识库的命令行工具：检查、导出、统计、新建记录。"""
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text 每个问题一行；json 便于其他工具读取（每项带 severity：error 或 warning）。")
@TODAY_OPTION
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...], fmt: str, today) -> None:
    """检查知识库，列出全部问题，每个问题一行：文件:行号: 字段: 说明。

    不带 PATHS 时检查整个知识库；给出文件或目录时只报告这些文件的问题
    （唯一性等跨记录检查仍以整个知识库为准）。

    \b
    警告以“警告：”开头，不影响退出码，也不阻止构建：
    - 依据修订后待复核：引用的条文在登记表 revisions 中登记了修订，
      而记录的 review.reviewed_on 早于修订通过日期；
    - 登记表条目没有写明核对来源（verified），或核对日期已超过一年。
    没有错误时才计算警告。退出码：0 没有错误（可能有警告），1 发现错误，2 用法错误。
    """
    loaded = _load(ctx, _today(today))
    problems = loaded.problems + loaded.warnings
    documents = loaded.sources.documents
    if paths:
        selected = set()
        for path in paths:
            if not path.exists():
                _fail(f"路径不存在：{path}", EXIT_USAGE)
            target = path.resolve()
            for doc in documents:
                resolved = doc.path.resolve()
                if resolved == target or target in resolved.parents:
                    selected.add(doc.display)
        if not selected:
            _fail(f"给出的路径中没有知识库文件（solutions/*.yml 或 solutions/_registry/*.yml）：{' '.join(map(str, paths))}", EXIT_USAGE)
        problems = report.sort_problems([p for p in problems if p.file in selected])
        count = len(selected)
    else:
        count = len(documents)
        problems = report.sort_problems(problems)
    if fmt == "json":
        click.echo(report.render_json(problems))
    else:
        if problems:
            click.echo(report.render_text(problems))
        errors = report.errors_of(problems)
        click.echo(report.summary_line(problems, count), err=bool(errors))
    sys.exit(EXIT_PROBLEMS if report.errors_of(problems) else EXIT_OK)


@main.command()
@click.option("--edition", type=click.Choice(EDITIONS), default=PUBLIC, show_default=True,
              help="public 公开版（只含已发布记录，不含内部字段）；internal 内部版（含草稿和内部字段）。")
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx", "docx"]), default="json", show_default=True,
              help="json 输出到标准输出；xlsx 可编辑的 Excel 工作簿（用 kb import 导回）；docx 每条记录一份 Word 工作提示和一份汇编。")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="xlsx：输出的 .xlsx 文件；docx：输出目录；json：不给时输出到标准输出。")
@click.option("--force", is_flag=True, help="输出文件或目录已存在时覆盖（默认不覆盖）。")
@click.pass_context
def export(ctx: click.Context, edition: str, fmt: str, out: Path | None, force: bool) -> None:
    """导出一个版本的全部记录：JSON（默认）、Excel 工作簿或 Word 工作提示。

    \b
    json：JSON 数组，legal_basis[].law 展开为登记表中的完整条目，url 为指南页面（相对站点根目录，
          按该版本 mkdocs 配置的 use_directory_urls 写成 guides/<id>/ 或 guides/<id>.html）。
    xlsx：--out FILE.xlsx，“事项”工作表每条记录一行，每个列表一个工作表，带下拉列表和“说明”工作表；
          改好后用 kb import 导回（修改已有记录请导出内部版：--edition internal）。
    docx：--out DIR，每条记录一份 DIR/<编号>.docx 和一份带目录的汇编；公开版不含任何内部信息。
    """
    if fmt != "json" and out is None:
        _fail(f"--format {fmt} 需要用 --out 指定输出{'文件（.xlsx）' if fmt == 'xlsx' else '目录'}", EXIT_USAGE)
    loaded = _load(ctx)
    _require_clean(loaded)
    if fmt == "json":
        from .urls import project_urls

        config = "mkdocs.internal.yml" if edition == "internal" and (ctx.obj["root"] / "mkdocs.internal.yml").is_file() \
            else "mkdocs.yml"
        views = Edition(edition, loaded.kb, project_urls(ctx.obj["root"], config)).views
        text = json.dumps(views, ensure_ascii=False, indent=2)
        if out is None:
            click.echo(text)
            return
        from .office.yaml_write import write_files

        if out.exists() and not force:
            _fail(f"{out} 已存在，不会覆盖；请换一个文件名，或加 --force 覆盖")
        try:
            write_files([(out, text + "\n", True)])
        except OSError as exc:
            _fail(f"无法写入 {out}：{exc.strerror or exc}")
        return
    if fmt == "xlsx":
        from .office.xlsx_export import ExportError, write_workbook

        try:
            count = write_workbook(loaded.kb, edition, out, force=force)
        except ExportError as exc:
            _fail(str(exc))
        click.echo(f"已导出 {count} 条记录到 {out}（{edition}）。改好后运行：kb import {out} --update --dry-run")
        return
    from .office.docx_export import ExportError as DocxError, write_documents

    try:
        written = write_documents(loaded.kb, edition, out, force=force)
    except DocxError as exc:
        _fail(str(exc))
    click.echo(f"已导出 {written.records} 份工作提示和汇编 {written.compilation.name} 到 {out}/（{edition}）。")


@main.command(name="import")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--update", is_flag=True, help="允许修改已有记录（先逐个字段列出改动）；不加时只新增记录。")
@click.option("--dry-run", is_flag=True, help="只检查并列出会新增和修改什么，不写入任何文件。")
@click.pass_context
def import_(ctx: click.Context, workbook: Path, update: bool, dry_run: bool) -> None:
    """把 kb export --format xlsx 导出并改好的工作簿导回 solutions/<编号>.yml。

    工作簿按 kb check 的全部规则检查，另查表格常见问题（公式、合并单元格、隐藏或改名的工作表、
    存成数字的编号和日期、全角数字、多余的空格和换行、不是 xlsx 的文件等）；
    每个问题一行：文件:工作表!单元格: 字段: 说明。有任何问题时一个文件都不写。
    已有记录只在加 --update 时修改，并先逐个字段列出改动；没有改动的记录不重写。
    退出码：0 成功，1 有问题（没有写入），2 用法错误。
    """
    from .office.xlsx_import import apply, plan_import, report_lines

    root = ctx.obj["root"]
    if not (root / "solutions").is_dir():
        _fail(f"在 {root} 下找不到 solutions/ 目录；请在项目根目录运行，或用 --root 指定。", EXIT_USAGE)
    if not workbook.is_file():
        _fail(f"找不到工作簿文件：{workbook}", EXIT_USAGE)
    plan = plan_import(root, workbook, update=update, display=str(workbook))
    if plan.problems:
        click.echo("\n".join(str(p) for p in plan.problems))
        _fail(f"工作簿有 {len(plan.problems)} 个问题，没有写入任何文件。")
    for line in report_lines(plan, root):
        click.echo(line)
    if dry_run:
        click.echo(f"试运行（--dry-run）：会写入 {len(plan.changes)} 个文件，现在没有写入任何文件。")
        return
    if not plan.changes:
        click.echo("没有需要写入的改动。")
        return
    try:
        apply(plan)
    except FileExistsError as exc:
        _fail(f"{exc.filename} 在导入过程中被别人新建了，没有覆盖；请重新运行导入")
    except OSError as exc:
        _fail(f"写入失败：{exc.strerror or exc}（已写好的文件都是完整的）")
    click.echo(f"已写入 {len(plan.changes)} 个文件。下一步：kb check，然后预览或提交。")


@main.command()
@click.option("--within", type=click.IntRange(0, 3650), default=30, show_default=True,
              help="列出在这么多天内到期的复核。")
@TODAY_OPTION
@click.pass_context
def stats(ctx: click.Context, within: int, today) -> None:
    """按状态、领域、难办类型、成因统计记录数，列出到期或即将到期的复核，
    以及依据修订后待复核的记录（引用的条文在登记表中登记了修订，而记录最近一次复核早于修订通过日期）。"""
    from .stats import compute, render_text

    day = _today(today)
    loaded = _load(ctx, day)
    _require_clean(loaded)
    click.echo(render_text(compute(loaded.kb, day, within)))


@main.command()
@click.argument("law_id")
@click.option("--article", default=None, metavar="第X条",
              help="只看这一条（如 第十二条；带款、项时只看该款、项）。")
@click.option("--edition", type=click.Choice(EDITIONS), default="internal", show_default=True,
              help="在哪个版本里查找引用（internal 含草稿）。")
@TODAY_OPTION
@click.pass_context
def impact(ctx: click.Context, law_id: str, article: str | None, edition: str, today) -> None:
    """列出引用某部法律依据（LAW_ID，登记表中的编号）的全部指南，按条分组。

    \b
    每处引用下列出依据这一条的流程步骤、常见问题解答和自测题：
    - （依据）：该项的 basis 写明依据这一条；
    - （文中提及）：该项的文字提到了这一条（如“行政许可法第二十六条”）。
    引用的条文在修订后尚未复核的，标“待复核”。条文修改后，据此逐项复核。
    """
    from .impact import impact as article_impact, render_text

    if article is not None and not ARTICLE_RE.fullmatch(article.strip()):
        _fail(f"--article “{article}”不是条款号，应写作“第X条”，可带“第X款”“第X项”，如 第十二条", EXIT_USAGE)
    day = _today(today)
    loaded = _load(ctx, day)
    _require_clean(loaded)
    kb = loaded.kb
    if law_id not in kb.laws:
        import difflib

        close = difflib.get_close_matches(law_id, list(kb.laws), n=3, cutoff=0.7)
        hint = f"，是否指：{'、'.join(close)}？" if close else "。用 kb export 或查看 solutions/_registry/laws.yml 了解全部编号"
        _fail(f"法律依据“{law_id}”不在登记表中{hint}", EXIT_PROBLEMS)
    law = kb.laws[law_id]
    article = article.strip() if article else None
    rows = article_impact(Edition(edition, kb), law_id, article)
    click.echo(render_text(law, rows, day, article), nl=False)


@main.command(context_settings={"ignore_unknown_options": True})
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
    from .deadline import IMMEDIATE, MAX_VALUE, UNITS, DateOutOfRange, due, uncovered_notes, weekday_name
    from .calendar import project_calendar

    usage = f"用法：kb deadline FROM N UNIT，例如 kb deadline 2026-09-29 5 工作日（UNIT 可选：{'、'.join(UNITS)}；当场办理写 {IMMEDIATE}）"
    if len(args) not in (2, 3):
        _fail(f"参数个数不对。{usage}", EXIT_USAGE)
    try:
        accepted = date.fromisoformat(args[0]) if len(args[0]) == 10 else None
    except ValueError:
        accepted = None
    if accepted is None:
        _fail(f"受理日期“{args[0]}”不是有效日期，应为 YYYY-MM-DD，如 2026-09-29", EXIT_USAGE)
    if len(args) == 2:
        if args[1] != IMMEDIATE:
            _fail(f"缺少时限单位。{usage}", EXIT_USAGE)
        limit: str | dict = IMMEDIATE
    else:
        number, unit = args[1], args[2]
        if unit not in UNITS:
            _fail(f"时限单位“{unit}”不对，可选：{'、'.join(UNITS)}（当场办理写 {IMMEDIATE}，不写数值）", EXIT_USAGE)
        if not number.isascii() or not number.isdigit() or not 1 <= int(number) <= MAX_VALUE:
            _fail(f"时限数值“{number}”不对，应为 1 到 {MAX_VALUE} 的整数", EXIT_USAGE)
        limit = {"value": int(number), "unit": unit}
    calendar, problems = project_calendar(ctx.obj["root"])
    if problems:
        click.echo(report.render_text(problems), err=True)
        _fail(f"节假日登记表有 {len(problems)} 个问题，请先运行 kb check 并修正。")
    try:
        result = due(accepted, limit, calendar)
    except DateOutOfRange as exc:
        _fail(str(exc), EXIT_USAGE)
    click.echo(f"{result.date.isoformat()}（{weekday_name(result.date)}）")
    for note in uncovered_notes(result.uncovered, calendar):
        click.echo(note, err=True)


@main.command()
@click.argument("record_id", metavar="ID")
@click.option("--title", required=True, help="这一类事的名称（中文）。")
@click.option("--domain", default=None, help="所属领域（取自领域词表），默认取词表第一项。")
@click.pass_context
def new(ctx: click.Context, record_id: str, title: str, domain: str | None) -> None:
    """按模板新建一条草稿记录 solutions/ID.yml；文件已存在时绝不覆盖。"""
    from .scaffold import ScaffoldError, write_draft

    root = ctx.obj["root"]
    try:
        path = write_draft(root, record_id, title, domain)
    except ScaffoldError as exc:
        _fail(str(exc), exc.code)
    click.echo(f"已新建草稿：{path.relative_to(root) if path.is_relative_to(root) else path}")
    click.echo("下一步：补全各字段（编辑器会按 schema 提示），然后运行 kb check。")


@main.command()
@click.option("--edition", type=click.Choice(EDITIONS), default=PUBLIC, show_default=True,
              help="public 公开版；internal 内部版（含草稿和内部信息，只能交给工作人员）。")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="要写出的 zip 文件，如 kb-offline.zip。")
@click.pass_context
def bundle(ctx: click.Context, edition: str, out: Path) -> None:
    """生成离线包：一个 zip，解压后直接打开其中的 index.html 即可查阅和检索（file://，不联网）。

    \b
    用于没有网络的村（社区）便民服务站、培训用的 U 盘。离线包按文件式网址构建
    （use_directory_urls: false），检索在页面里运行，不向任何地方发出请求；
    首页注明是哪个版本、何时生成。知识库有问题时不生成，旧文件保持不变。

    例：kb bundle --edition public --out kb-offline.zip
    """
    from .bundle import BundleError, make_bundle

    loaded = _load(ctx)
    _require_clean(loaded)
    try:
        make_bundle(ctx.obj["root"], edition, out, log=lambda text: click.echo(text, err=True))
    except BundleError as exc:
        _fail(str(exc))


@main.command()
@click.argument("sizes", nargs=-1, required=True, type=click.IntRange(1, 1_000_000), metavar="N [N ...]")
@click.option("--repeat", type=click.IntRange(1, 10), default=2, show_default=True,
              help="每个构建重复几次，取最小值（与外部性能检查相同）。")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="把全部结果（含机器信息、每次运行的耗时）另存为 JSON 文件。")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="放复制出来的知识库和基准站的目录，默认在系统临时目录新建。")
@click.option("--keep", is_flag=True, help="保留复制出来的项目和构建结果（默认测完即删）。")
@click.option("--serve", is_flag=True,
              help="另测 mkdocs serve：改一条记录的概述，计时到页面显示新内容。")
@click.option("--browser", is_flag=True,
              help="另测检索：在无头 Chromium 里输入 10 个词，计时到检索 worker 给出结果"
                   "（需要测试依赖和 Debian chromium）。")
@click.option("--peer", type=click.Choice(["pagefind"]), default=None,
              help="与对照检索并排比较：同一站点另用 Pagefind（扩展版，pagefind[extended]）建索引，"
                   "把 tests/search_queries.yml 的查询在无头 Chromium 里分别输入两边，比较前三命中率、"
                   "首次查询下载量、响应时间和索引大小（只在基准的工作目录里，不进站点）。")
@click.pass_context
def bench(ctx: click.Context, sizes: tuple[int, ...], repeat: int, json_path: Path | None, workdir: Path | None,
          keep: bool, serve: bool, browser: bool, peer: str | None) -> None:
    """性能基准：把知识库复制扩充到 N 条记录，并排测量构建耗时、页面大小、检索索引和内存。

    \b
    对每个 N：
    1. 复制本项目（连同 scripts/，测的是开始时工作区里的代码），保留真实记录，
       再把已发布记录换上新编号、标题和常用叫法，复制到共 N 条；
    2. 测量 kb check 耗时，公开版、内部版完整构建耗时；
    3. 基准站：同样的公开记录写成普通 Markdown 页面，用同一主题和中文检索、
       页面不进导航的空白 Material 站点，测它的构建耗时作对照；
    4. 指南页面大小（最大、中位），检索索引总大小和每条记录的字节数，
       各构建进程的峰值内存；
    5. 加 --peer pagefind：本站检索与 Pagefind 在同一站点、同一查询集上并排比较。

    每项运行 --repeat 次、交替进行，取最小值。表格输出到标准输出，进度输出到标准错误。

    例：kb bench 200 2000 20000 --json bench.json
    """
    from .bench import BenchError, run

    root = ctx.obj["root"]
    if not (root / "solutions").is_dir() or not (root / "mkdocs.yml").is_file():
        _fail(f"在 {root} 下找不到 mkdocs.yml 和 solutions/；请在项目根目录运行，或用 --root 指定。", EXIT_USAGE)
    try:
        run(list(sizes), root, workdir=workdir, repeat=repeat, keep=keep, serve=serve, browser=browser, peer=peer,
            json_path=json_path)
    except (BenchError, RuntimeError, ValueError) as exc:
        _fail(str(exc))


def _deploy_failed(exc) -> None:
    from .deploy import Interrupted

    if exc.details:
        click.echo(exc.details, err=True)
    _fail(str(exc), 130 if isinstance(exc, Interrupted) else EXIT_PROBLEMS)


@main.command()
@click.option("--to", "to", required=True, type=click.Path(path_type=Path), metavar="DIR",
              help="发布目录：版本放在 DIR/releases/<时间>/，网站读 DIR/current（符号链接）。")
@click.option("--keep", type=click.IntRange(1, 1000), default=5, show_default=True,
              help="保留最近几个版本（切换成功后才删除更早的；current 指向的版本永远保留）。")
@click.pass_context
def publish(ctx: click.Context, to: Path, keep: int) -> None:
    """检查知识库，把公开版和内部版构建成一个新版本，再一次切换 DIR/current。

    \b
    1. 检查知识库（同 kb check）；有问题就不发布；
    2. mkdocs build 和 mkdocs build -f mkdocs.internal.yml 构建到隐藏的临时目录
       DIR/releases/.partial-<时间>/，两个都成功才改名为 DIR/releases/<时间>/{public,internal}；
    3. 新建一个符号链接并改名覆盖 DIR/current（一次改名，网站看到的要么是旧版本、要么是新版本）；
    4. 删除最近 --keep 个以外的旧版本。

    任何一步失败或被中断（Ctrl-C、kill），current 和已有版本都保持原样，不留下半成品。
    """
    from .deploy import DeployError, publish as run

    try:
        result = run(ctx.obj["root"], to, keep, say=lambda line: click.echo(line, err=True))
    except DeployError as exc:
        _deploy_failed(exc)
    except OSError as exc:  # a full disk, a permission changed under our feet: nothing was switched
        _fail(f"发布失败（{exc.strerror or exc}：{exc.filename or to}）；current 没有改动。")
    click.echo(f"已发布：{result.release}（current 已指向它）")
    if result.previous:
        click.echo(f"上一个版本：{result.previous}（回退：kb rollback --to {to}）")
    if result.removed:
        click.echo(f"删除了较早的版本：{'、'.join(result.removed)}")


@main.command()
@click.option("--to", "to", required=True, type=click.Path(path_type=Path), metavar="DIR",
              help="kb publish 用过的发布目录。")
def rollback(to: Path) -> None:
    """把 DIR/current 指回上一个版本（一次改名）；再次运行就继续往前退。"""
    from .deploy import DeployError, rollback as run

    try:
        was, now = run(to)
    except DeployError as exc:
        _deploy_failed(exc)
    except OSError as exc:
        _fail(f"回退失败（{exc.strerror or exc}：{exc.filename or to}）；current 没有改动。")
    click.echo(f"已回退：current 从 {was} 改为指向 {now}")


@main.command("nginx-config")
@click.option("--root", "root", required=True, type=click.Path(path_type=Path), metavar="DIR",
              help="kb publish --to 用的发布目录；公开版从 DIR/current/public、内部版从 DIR/current/internal 读取。")
@click.option("--listen", required=True, metavar="HOST:PORT", help="公开版的监听地址，如 0.0.0.0:80。")
@click.option("--internal-listen", required=True, metavar="HOST:PORT",
              help="内部版的监听地址（只给工作人员），如 10.1.2.3:8443。")
@click.option("--htpasswd", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="内部版的账号密码文件（HTTP 基本认证），用 openssl passwd -apr1 或 htpasswd 生成。")
@click.option("--allow", multiple=True, metavar="CIDR",
              help="内部版只许这些地址访问（可多次给出），如 10.1.0.0/16；可代替或配合 --htpasswd。")
@click.option("--satisfy", type=click.Choice(["all", "any"]), default="all", show_default=True,
              help="同时给了 --allow 和 --htpasswd 时：all 地址和密码都要对；any 其一即可。")
@click.option("--base-path", default="/", show_default=True, metavar="PATH",
              help="站点在网址里的路径，如 /zwfw/kb/（须与 mkdocs 配置里 site_url 的路径一致）。")
@click.option("--user", default=None, metavar="NAME",
              help="nginx 以 root 启动时工作进程的用户，如 www-data（须能读发布目录和 htpasswd）。")
@click.option("--prefix", required=True, type=click.Path(path_type=Path), metavar="DIR",
              help="nginx 的 pid、日志和临时文件目录（须已存在），即 nginx -p DIR。")
@click.option("--no-port-check", is_flag=True,
              help="不检查端口是否被占用（例如给正在这些端口上运行的 nginx 换配置）。")
def nginx_config(root: Path, listen: str, internal_listen: str, htpasswd: Path | None, allow: tuple[str, ...],
                 satisfy: str, base_path: str, user: str | None, prefix: Path, no_port_check: bool) -> None:
    """打印一份完整的 nginx.conf（Debian 的 nginx），服务 kb publish 发布的站点。

    \b
    公开版对所有人开放；内部版在另一个地址上，只有输入 htpasswd 里的账号密码
    （和/或来自 --allow 的地址）才能看。每个响应带安全响应头（Content-Security-Policy、
    X-Content-Type-Options、Referrer-Policy、X-Frame-Options），文本 gzip 压缩，
    带指纹的文件长期缓存、页面每次确认，不列目录，用站点自己的 404 页面，
    站点目录之外（.. 和指向外面的符号链接）一概不给。kb publish 切换后不需要 reload。

    例：kb nginx-config --root /srv/kb --listen 0.0.0.0:80 --internal-listen 10.1.2.3:8080
    --htpasswd /etc/nginx/kb.htpasswd --prefix /var/lib/kb-nginx > /etc/kb/nginx.conf
    """
    from .nginx import ConfigError, Options, render

    options = Options(root=root, listen=listen, internal_listen=internal_listen, prefix=prefix, htpasswd=htpasswd,
                      allow=list(allow), satisfy=satisfy, base_path=base_path, user=user,
                      check_ports=not no_port_check)
    try:
        text = render(options)
    except ConfigError as exc:
        _fail(str(exc))
    if not (Path(root) / "current").exists():
        click.echo(f"提示：{Path(root) / 'current'} 还不存在；先运行 kb publish --to {root}。", err=True)
    click.echo(text.rstrip("\n"))


if __name__ == "__main__":  # pragma: no cover
    main()
