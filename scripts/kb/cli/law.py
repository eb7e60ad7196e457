"""Commands on the law: impact of a law (or one article) on the guides."""

from __future__ import annotations

import re

import click

from ..site.edition import EDITIONS, Edition
from .common import EXIT_PROBLEMS, EXIT_USAGE, TODAY_OPTION, fail, load, require_clean, today_from

ARTICLE_RE = re.compile(r"第[一二三四五六七八九十百千零〇0-9]+条(第[一二三四五六七八九十0-9]+款)?(第[一二三四五六七八九十0-9]+项)?")

@click.command()
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
    from ..law.impact import impact as article_impact, render_text

    if article is not None and not ARTICLE_RE.fullmatch(article.strip()):
        fail(f"--article “{article}”不是条款号，应写作“第X条”，可带“第X款”“第X项”，如 第十二条", EXIT_USAGE)
    day = today_from(today)
    loaded = load(ctx, day)
    require_clean(loaded)
    kb = loaded.kb
    if law_id not in kb.laws:
        import difflib

        close = difflib.get_close_matches(law_id, list(kb.laws), n=3, cutoff=0.7)
        hint = f"，是否指：{'、'.join(close)}？" if close else "。用 kb export 或查看 solutions/_registry/laws.yml 了解全部编号"
        fail(f"法律依据“{law_id}”不在登记表中{hint}", EXIT_PROBLEMS)
    law = kb.laws[law_id]
    article = article.strip() if article else None
    rows = article_impact(Edition(edition, kb), law_id, article)
    click.echo(render_text(law, rows, day, article), nl=False)
