"""One Jinja environment for every generated page, card and file.

Templates hold presentation; this module only supplies the environment and a
few formatting filters. Autoescaping is on for every template that produces
Markdown or HTML, so text from a record can never become markup: record text
only ever appears inside HTML blocks of the generated Markdown, where the
Markdown processor leaves it alone and the escaped entities show as text.

Links name their target by source path (``{{ law_src(id) | link }}``);
``kb.urls`` turns it into the URL MkDocs gives that file in this build.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

TEMPLATE_DIR = Path(str(resources.files("kb").joinpath("templates")))


def time_limit_text(value: Any) -> str:
    """A limit as people read it: ``{value: 20, unit: 工作日}`` -> ``20 个工作日``; a string (``即办``) as is.
    Pages, cards, the notice and Word share it so a limit reads the same everywhere."""
    if isinstance(value, dict):
        number, unit = value["value"], value["unit"]
        return {"工作日": f"{number} 个工作日", "自然日": f"{number} 日（自然日）", "小时": f"{number} 小时"}[unit]
    return str(value)


def copies_text(copies: Any) -> str:
    """``{original: 1, copy: 2}`` -> ``原件 1 份、复印件 2 份`` (a count of 0 is left out); "" for none."""
    if not isinstance(copies, dict):
        return ""
    parts = [f"{label} {copies[key]} 份" for key, label in (("original", "原件"), ("copy", "复印件")) if copies.get(key)]
    return "、".join(parts)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日")


def date_parts(text: Any) -> list[tuple[str, bool]]:
    """``text`` cut around its dates, as (part, is_date) pairs: a template keeps each date on one line
    (``<span class="kb-date">``) inside a sentence the code wrote (``…于 2026-11-25 修订…``)."""
    text, out, at = str(text), [], 0
    for match in _DATE.finditer(text):
        if match.start() > at:
            out.append((text[at:match.start()], False))
        out.append((match.group(0), True))
        at = match.end()
    if at < len(text):
        out.append((text[at:], False))
    return out


def amount_text(amount: Any) -> str:
    """A fee's amount as people write it: 20, 20.5, 0 (no trailing .0)."""
    if isinstance(amount, float) and amount.is_integer():
        amount = int(amount)
    return str(amount)


def _yaml_scalar(value: Any) -> Markup:
    """A YAML-safe double-quoted scalar (JSON strings are valid YAML)."""
    return Markup(json.dumps(value, ensure_ascii=False))


@jinja2.pass_context
def _link(context, target_src: str) -> str:
    """``{{ guide_src(id) | link }}``: the relative URL from the page being rendered
    (``page_src``) to another page or file, in the build's URL style (``urls``)."""
    return context["urls"].link(target_src, context["page_src"])


def _nginx_string(value: Any) -> str:
    """A double-quoted nginx string. Values are validated before (kb/nginx.py); this is the last guard."""
    text = str(value)
    if any(c in text for c in '"\\$') or any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise ValueError(f"不能放进 nginx 配置的值：{text!r}")
    return f'"{text}"'


def _autoescape(name: str | None) -> bool:
    return not (name or "").endswith((".yml.j2", ".json.j2", ".txt.j2", ".conf.j2"))


class _Environment(jinja2.Environment):
    """Jinja with ``view.title`` looked up as a key first when ``view`` is a plain dict (what every template
    reads): Jinja's own order tries the attribute first, and the failed lookup (an exception per access,
    millions per build) was a tenth of the time spent rendering pages. A dict's key that shares a
    method's name (``items``) is therefore the key's value here, as templates write it (``r["items"]``)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if obj.__class__ is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


@lru_cache(maxsize=None)
def _environment(template_dir: str) -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
        # Markdown's attribute lists use "{#id}", so Jinja comments are "{## ... ##}".
        comment_start_string="{##",
        comment_end_string="##}",
    )
    # tojson keeps Chinese readable; it still escapes < > & ' so the value is inert anywhere.
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
    env.filters["time_limit"] = time_limit_text
    env.filters["copies"] = copies_text
    env.filters["amount"] = amount_text
    env.filters["date_parts"] = date_parts
    env.filters["yaml"] = _yaml_scalar
    env.filters["link"] = _link
    env.filters["nginx_string"] = _nginx_string
    return env


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's own cache of compiled templates (keyed by the template's path, checked against its source), kept
    between runs: compiling the site's and the theme's templates afresh cost about 0.6 s of every build. Like
    Python's ``__pycache__`` it holds code, so it lives in the project's own ``.kb-cache/``; a cache that cannot
    be read or written is no cache (the template is compiled, nothing fails)."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a truncated or foreign file: compile the template instead
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def keep_compiled(env: jinja2.Environment | None, directory: Path | None) -> None:
    """Give ``env`` (this package's templates when None) a cache of compiled templates in ``directory``
    (None: no cache)."""
    env = env if env is not None else _environment(str(TEMPLATE_DIR))
    if directory is None:
        env.bytecode_cache = None
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        env.bytecode_cache = None
        return
    env.bytecode_cache = _CompiledTemplates(str(directory), "%s.jinja")


def check_template_files(check: bool) -> None:
    """Whether this package's templates are checked for a newer file each time one is used (``mkdocs serve``:
    an edited template shows at the next rebuild) or read once (a build: that check was a ``stat`` per include,
    about 56,000 at 2,000 records)."""
    _environment(str(TEMPLATE_DIR)).auto_reload = check


class Renderer:
    """Wraps the Jinja environment; ``render(name, **context)`` returns text."""

    def __init__(self, template_dir: Path | str = TEMPLATE_DIR, globals_: dict | None = None):
        self.env = _environment(str(template_dir))
        self.globals = dict(globals_ or {})

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render({**self.globals, **context})
