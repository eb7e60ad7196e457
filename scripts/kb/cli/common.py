"""What every command group shares: exit codes, the --today option, loading the knowledge base, failing in Chinese."""

from __future__ import annotations

import sys
from datetime import date

import click

from .. import clock
from ..knowledge import load_knowledge_base
from ..ledger.project import LedgerError, kb_options, read_config
from ..records import report
from ..records.model import Loaded
from ..site.settings import centre_setting

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def fail(message: str, code: int = EXIT_PROBLEMS) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(code)


def today_from(value) -> date:
    """The --today option, else $KB_TODAY, else the system date (see kb.clock)."""
    try:
        return clock.today(value.date() if value else None)
    except clock.ClockError as exc:
        fail(str(exc), EXIT_USAGE)


TODAY_OPTION = click.option(
    "--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    help=f"以这一天为“今天”（YYYY-MM-DD），默认取环境变量 {clock.ENV}，再默认系统日期。")


def load(ctx: click.Context, today: date | None = None) -> Loaded:
    root = ctx.obj["root"]
    if not (root / "solutions").is_dir():
        fail(f"在 {root} 下找不到 solutions/ 目录；请在项目根目录运行，或用 --root 指定。", EXIT_USAGE)
    return load_knowledge_base(root, today or today_from(None), centre=site_centre(root))


def site_centre(root) -> dict | None:
    """The centre of the site beside the records (``mkdocs.yml``: ``extra.kb.centre``), whose office data every
    card prints — so ``kb check`` plans cards as the build does. None without a readable one: a broken site
    configuration is the build's to report, not the records'."""
    path = root / "mkdocs.yml"
    if not path.is_file():
        return None
    try:
        return centre_setting(kb_options(read_config(path)), {})[0]
    except (LedgerError, ValueError):
        return None


def require_clean(loaded: Loaded) -> None:
    if loaded.problems:
        click.echo(report.render_text(loaded.problems), err=True)
        fail(f"知识库有 {len(loaded.problems)} 个问题，请先运行 kb check 并修正。")
