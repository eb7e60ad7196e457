"""The ``kb`` command: one group, its commands in one module per concept (records, law, counter, deploy, ledger, bench).

Errors in the knowledge base are reported as lines and an exit code, never as
a traceback: 0 clean, 1 problems found, 2 usage error.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import bench, counter, deploy, law, ledger, records
from .common import CONTEXT


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


for _command in (records.check, records.new, records.export, records.import_, records.stats, law.impact,
                 counter.deadline, deploy.publish, deploy.rollback, deploy.nginx_config, deploy.bundle, bench.bench,
                 ledger.ledger):
    main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    main()
