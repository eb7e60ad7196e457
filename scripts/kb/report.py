"""Problems found anywhere in the pipeline, and how they are printed.

Every stage collects problems instead of raising, so one run reports all of
them (the check-jsonschema habit). A problem names the file, the line and the
field, so an editor can jump straight to it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

#: Field name used when a problem concerns the file as a whole.
WHOLE_FILE = "(文件)"


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # path as shown to the user, relative to the project root
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


def format_path(path: tuple) -> str:
    """('legal_basis', 0, 'article') -> 'legal_basis[0].article'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or WHOLE_FILE


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Stable, readable order: by file, then line; duplicates dropped."""
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.field, p.message))


def render_text(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in problems)


def render_json(problems: list[Problem]) -> str:
    return json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2)


def summary_line(problems: list[Problem], checked_files: int) -> str:
    if not problems:
        return f"检查通过：{checked_files} 个文件，没有发现问题。"
    files = len({p.file for p in problems})
    return f"发现 {len(problems)} 个问题，涉及 {files} 个文件（共检查 {checked_files} 个文件）。"
