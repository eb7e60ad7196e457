"""The benchmark command: kb bench N ...."""

from __future__ import annotations

from pathlib import Path

import click

from .common import EXIT_USAGE, fail

@click.command()
@click.argument("sizes", nargs=-1, type=click.IntRange(1, 1_000_000), metavar="N [N ...]")
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
@click.option("--ledger", is_flag=True,
              help="台账基准：kb ledger report 处理生成的 10 万行台账（CSV 和 xlsx）、kb ledger link 归类 1 万件的耗时，"
                   "与字符重合匹配（对照）并排；以及两者在标注集 tests/ledger_link_cases.yml 上的精确率和召回率。")
@click.option("--ledger-rows", type=click.IntRange(1, 1_000_000), default=100_000, show_default=True,
              help="--ledger：生成的台账行数。")
@click.option("--ledger-links", type=click.IntRange(1, 1_000_000), default=10_000, show_default=True,
              help="--ledger：计时归类的件数（各不相同的诉求摘要）。")
@click.pass_context
def bench(ctx: click.Context, sizes: tuple[int, ...], repeat: int, json_path: Path | None, workdir: Path | None,
          keep: bool, serve: bool, browser: bool, peer: str | None, ledger: bool, ledger_rows: int,
          ledger_links: int) -> None:
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

    --ledger：另测窗口台账（或不给 N 时只测它），见性能基准页的“台账”一节。

    例：kb bench 200 2000 20000 --json bench.json；kb bench --ledger
    """
    from ..bench import run
    from ..bench.builds import BenchError

    root = ctx.obj["root"]
    if not sizes and not ledger:
        fail("请给出记录条数 N（如 kb bench 2000），或用 --ledger 只测台账", EXIT_USAGE)
    if ledger:
        import json

        from ..bench import ledger as ledger_bench

        if not (root / "tests" / "ledger_link_cases.yml").is_file():
            fail(f"找不到标注集 {root / 'tests' / 'ledger_link_cases.yml'}（在项目根目录运行）", EXIT_USAGE)
        try:
            result = ledger_bench.run(root, ledger_rows, ledger_links,
                                      progress=lambda m: click.echo(m, err=True))
        except RuntimeError as exc:
            fail(str(exc))
        click.echo(ledger_bench.format_table(result))
        if json_path and not sizes:
            json_path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
        if not sizes:
            return
    if not (root / "solutions").is_dir() or not (root / "mkdocs.yml").is_file():
        fail(f"在 {root} 下找不到 mkdocs.yml 和 solutions/；请在项目根目录运行，或用 --root 指定。", EXIT_USAGE)
    try:
        run(list(sizes), root, workdir=workdir, repeat=repeat, keep=keep, serve=serve, browser=browser, peer=peer,
            json_path=json_path)
    except (BenchError, RuntimeError, ValueError) as exc:
        fail(str(exc))
