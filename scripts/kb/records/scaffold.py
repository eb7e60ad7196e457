"""``kb new``: a draft record from the template, written without ever overwriting."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from . import privacy
from .load import SOLUTIONS_DIR
from .model import load_knowledge_base
from ..render import Renderer

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
#: A new draft starts by citing the first article (the purpose clause) of a registered law,
#: a real article that the editor replaces with the actual basis before publishing.
PREFERRED_LAW = "xingzheng-xuke-fa"
PLACEHOLDER_ARTICLE = "第一条"


class ScaffoldError(Exception):
    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def write_draft(root: Path, record_id: str, title: str, domain: str | None, today: date | None = None) -> Path:
    if not ID_RE.match(record_id) or len(record_id) > 64:
        raise ScaffoldError(f"编号“{record_id}”无效：只能由小写字母、数字和单个连字符组成，最长 64 个字符", 2)
    title = title.strip()
    if not 4 <= len(title) <= 60:
        raise ScaffoldError("标题应为 4 到 60 个字符", 2)
    if privacy.markup(title) or privacy.personal_data(title):
        raise ScaffoldError("标题不能包含 HTML 或个人信息", 2)
    path = Path(root) / SOLUTIONS_DIR / f"{record_id}.yml"
    if path.exists():
        raise ScaffoldError(f"{SOLUTIONS_DIR}/{record_id}.yml 已存在，不会覆盖；请换一个编号或直接编辑该文件")
    loaded = load_knowledge_base(root)
    vocab = loaded.sources.registry.get("vocabularies")
    vocab = vocab.data if vocab and isinstance(vocab.data, dict) else {}
    domains = [t.get("name") for t in vocab.get("domains", []) if isinstance(t, dict)]
    if domain is None:
        domain = domains[0] if domains else "待补充"
    elif domain not in domains:
        raise ScaffoldError(f"领域“{domain}”不在词表中，可选：{'、'.join(domains)}", 2)
    for doc in loaded.sources.records:
        if isinstance(doc.data, dict) and doc.data.get("title") == title:
            raise ScaffoldError(f"标题“{title}”已被 {doc.display} 使用")
    first = lambda kind: next((t.get("name") for t in vocab.get(kind, []) if isinstance(t, dict)), "待补充")  # noqa: E731
    laws_doc = loaded.sources.registry.get("laws")
    law_ids = [e.get("id") for e in (laws_doc.data or {}).get("laws", []) if isinstance(e, dict)] if laws_doc and isinstance(laws_doc.data, dict) else []
    law = PREFERRED_LAW if PREFERRED_LAW in law_ids or not law_ids else law_ids[0]
    day = today or date.today()
    text = Renderer().render(
        "record.yml.j2",
        id=record_id,
        title=title,
        domain=domain,
        category=first("categories"),
        cause=first("causes"),
        law=law,
        article=PLACEHOLDER_ARTICLE,
        today=day.isoformat(),
        next_review=(day + timedelta(days=180)).isoformat(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{SOLUTIONS_DIR}/{record_id}.yml 已存在，不会覆盖") from None
    return path
