"""Commands on the records: check, new, export, import, stats."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..records import report
from ..site.edition import EDITIONS, PUBLIC, Edition
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, TODAY_OPTION, fail, load, require_clean, today_from

@click.command()
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
    loaded = load(ctx, today_from(today))
    problems = loaded.problems + loaded.warnings
    documents = loaded.sources.documents
    if paths:
        selected = set()
        for path in paths:
            if not path.exists():
                fail(f"路径不存在：{path}", EXIT_USAGE)
            target = path.resolve()
            for doc in documents:
                resolved = doc.path.resolve()
                if resolved == target or target in resolved.parents:
                    selected.add(doc.display)
        if not selected:
            fail(f"给出的路径中没有知识库文件（solutions/*.yml 或 solutions/_registry/*.yml）：{' '.join(map(str, paths))}", EXIT_USAGE)
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


@click.command()
@click.option("--edition", type=click.Choice(EDITIONS), default=None,
              help="public 公开版（只含已发布记录，不含内部字段）；internal 内部版（含草稿和内部字段）。"
                   "默认：json 和 docx 为公开版；xlsx 是用来修改记录的，为内部版。")
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx", "docx"]), default="json", show_default=True,
              help="json 输出到标准输出；xlsx 可编辑的 Excel 工作簿（用 kb import 导回）；docx 每条记录一份 Word 工作提示和一份汇编。")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="xlsx：输出的 .xlsx 文件；docx：输出目录；json：不给时输出到标准输出。")
@click.option("--force", is_flag=True, help="输出文件或目录已存在时覆盖（默认不覆盖）。")
@click.pass_context
def export(ctx: click.Context, edition: str | None, fmt: str, out: Path | None, force: bool) -> None:
    """导出一个版本的全部记录：JSON（默认）、Excel 工作簿或 Word 工作提示。

    \b
    json：JSON 数组，legal_basis[].law 展开为登记表中的完整条目，url 为指南页面（相对站点根目录，
          按该版本 mkdocs 配置的 use_directory_urls 写成 guides/<id>/ 或 guides/<id>.html）。
    xlsx：--out FILE.xlsx，“事项”工作表每条记录一行，每个列表一个工作表，带下拉列表和“说明”工作表；
          改好后用 kb import 导回。默认导出内部版（全部字段和草稿，导回时才能修改已有记录）；
          --edition public 的工作簿只能用来新增记录。
    docx：--out DIR，每条记录一份 DIR/<编号>.docx 和一份带目录的汇编；公开版不含任何内部信息。
    """
    if fmt != "json" and out is None:
        fail(f"--format {fmt} 需要用 --out 指定输出{'文件（.xlsx）' if fmt == 'xlsx' else '目录'}", EXIT_USAGE)
    if edition is None:  # a workbook is exported to be edited and imported: only the internal one can change a record
        edition = "internal" if fmt == "xlsx" else PUBLIC
    loaded = load(ctx)
    require_clean(loaded)
    if fmt == "json":
        from ..site.urls import project_urls

        config = "mkdocs.internal.yml" if edition == "internal" and (ctx.obj["root"] / "mkdocs.internal.yml").is_file() \
            else "mkdocs.yml"
        views = Edition(edition, loaded.kb, project_urls(ctx.obj["root"], config)).views
        text = json.dumps(views, ensure_ascii=False, indent=2)
        if out is None:
            click.echo(text)
            return
        from ..office.yaml_write import write_files

        if out.exists() and not force:
            fail(f"{out} 已存在，不会覆盖；请换一个文件名，或加 --force 覆盖")
        try:
            write_files([(out, text + "\n", True)])
        except OSError as exc:
            fail(f"无法写入 {out}：{exc.strerror or exc}")
        return
    if fmt == "xlsx":
        from ..office.xlsx_export import ExportError, write_workbook

        try:
            count = write_workbook(loaded.kb, edition, out, force=force)
        except ExportError as exc:
            fail(str(exc))
        if edition == "internal":
            click.echo(f"已导出 {count} 条记录到 {out}（内部版：全部字段和草稿，只在单位内部传递）。"
                       f"改好后运行：kb import {out} --update --dry-run")
        else:
            click.echo(f"已导出 {count} 条记录到 {out}（公开版：不含内部信息和草稿，只能用来新增记录，导入时不能修改已有记录；"
                       f"修改记录请导出内部版 --edition internal）。新增记录后运行：kb import {out} --dry-run")
        return
    from ..office.docx_export import ExportError as DocxError, write_documents

    try:
        written = write_documents(loaded.kb, edition, out, force=force)
    except DocxError as exc:
        fail(str(exc))
    click.echo(f"已导出 {written.records} 份工作提示和汇编 {written.compilation.name} 到 {out}/（{edition}）。")


@click.command(name="import")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--update", is_flag=True, help="允许修改已有记录（先逐个字段列出改动）；不加时只新增记录。")
@click.option("--dry-run", is_flag=True, help="只检查并列出会新增和修改什么，不写入任何文件。")
@click.option("--force", is_flag=True,
              help="记录在工作簿导出之后被改过（或工作簿是旧版本导出的、没有记下导出时的内容）时，仍用工作簿覆盖；"
                   "会先列出被改回的每一处。")
@click.pass_context
def import_(ctx: click.Context, workbook: Path, update: bool, dry_run: bool, force: bool) -> None:
    """把 kb export --format xlsx 导出并改好的工作簿导回 solutions/<编号>.yml。

    工作簿按 kb check 的全部规则检查，另查表格常见问题（公式、合并单元格、隐藏或改名的工作表、
    存成数字的编号和日期、全角数字、多余的空格和换行、不是 xlsx 的文件等）；
    每个问题一行：文件:工作表!单元格: 字段: 说明。有任何问题时一个文件都不写。
    已有记录只在加 --update 时修改，并先逐个字段列出改动；没有改动的记录不重写。
    记录在工作簿导出之后被别人改过的，不会被覆盖（指出记录和字段），除非加 --force。
    退出码：0 成功，1 有问题（没有写入），2 用法错误。
    """
    from ..office.xlsx_import import apply, plan_import, report_lines

    root = ctx.obj["root"]
    if not (root / "solutions").is_dir():
        fail(f"在 {root} 下找不到 solutions/ 目录；请在项目根目录运行，或用 --root 指定。", EXIT_USAGE)
    if not workbook.is_file():
        fail(f"找不到工作簿文件：{workbook}", EXIT_USAGE)
    plan = plan_import(root, workbook, update=update, display=str(workbook), force=force)
    if plan.problems:
        click.echo("\n".join(str(p) for p in plan.problems))
        fail(f"工作簿有 {len(plan.problems)} 个问题，没有写入任何文件。")
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
        fail(f"{exc.filename} 在导入过程中被别人新建了，没有覆盖；请重新运行导入")
    except OSError as exc:
        fail(f"写入失败：{exc.strerror or exc}（已写好的文件都是完整的）")
    click.echo(f"已写入 {len(plan.changes)} 个文件。下一步：kb check，然后预览或提交。")


@click.command()
@click.option("--within", type=click.IntRange(0, 3650), default=30, show_default=True,
              help="列出在这么多天内到期的复核。")
@TODAY_OPTION
@click.pass_context
def stats(ctx: click.Context, within: int, today) -> None:
    """按状态、领域、难办类型、成因统计记录数，列出到期或即将到期的复核，
    以及依据修订后待复核的记录（引用的条文在登记表中登记了修订，而记录最近一次复核早于修订通过日期）。"""
    from ..stats import compute, render_text

    day = today_from(today)
    loaded = load(ctx, day)
    require_clean(loaded)
    click.echo(render_text(compute(loaded.kb, day, within)))


@click.command()
@click.argument("record_id", metavar="ID")
@click.option("--title", required=True, help="这一类事的名称（中文）。")
@click.option("--domain", default=None, help="所属领域（取自领域词表），默认取词表第一项。")
@click.pass_context
def new(ctx: click.Context, record_id: str, title: str, domain: str | None) -> None:
    """按模板新建一条草稿记录 solutions/ID.yml；文件已存在时绝不覆盖。"""
    from ..records.scaffold import ScaffoldError, write_draft

    root = ctx.obj["root"]
    try:
        path = write_draft(root, record_id, title, domain)
    except ScaffoldError as exc:
        fail(str(exc), exc.code)
    click.echo(f"已新建草稿：{path.relative_to(root) if path.is_relative_to(root) else path}")
    click.echo("下一步：补全各字段（编辑器会按 schema 提示），然后运行 kb check。")
