"""Problems found anywhere in the pipeline, and how they are printed.

Every stage collects problems instead of raising, so one run reports all of
them (the check-jsonschema habit). A problem names the file, the line and the
field, so an editor can jump straight to it.

A problem is an error (the knowledge base is wrong: ``kb check`` exits 1 and
the site is not built) or a warning (something needs a person's attention but
nothing is wrong yet: a record awaiting review after its law was revised, a
source not checked for a year). Warnings print the same way with ``警告：``
before the message, never change an exit code and never stop a build; the
checks that produce them are listed in ``kb.knowledge.WARNINGS``.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, replace

from .privacy import INVISIBLE_CHARS

#: Field name used when a problem concerns the file as a whole.
WHOLE_FILE = "(文件)"

#: Characters that would break the one-line format or hide what a line says:
#: line breaks and tabs, and the invisible ones the checks refuse in records
#: (control characters, bidirectional overrides, zero-width characters, lone
#: surrogates). They are shown as escapes such as ``\n`` and ``\u202e``.
_UNSAFE = re.compile(f"[\t\n{INVISIBLE_CHARS}]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: Keys longer than this are cut in the field column (a pasted paragraph used as a key).
MAX_KEY = 40

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)
#: What a warning's message starts with when printed (one line, as an error).
WARNING_MARK = "警告："


def _escape(match: re.Match) -> str:
    char = match.group(0)
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def printable(text: str) -> str:
    """``text`` with every character that could break or disguise a report line escaped."""
    return _UNSAFE.sub(_escape, text)


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # path as shown to the user, relative to the project root
    line: int
    field: str
    message: str
    severity: str = ERROR  # ERROR or WARNING

    def __post_init__(self) -> None:
        # Messages quote untrusted text (a key, a value, a file name): one
        # problem must stay one line, and the line number a positive integer.
        object.__setattr__(self, "file", printable(str(self.file)) or "(未知文件)")
        object.__setattr__(self, "line", self.line if isinstance(self.line, int) and self.line > 0 else 1)
        object.__setattr__(self, "field", printable(str(self.field)) or WHOLE_FILE)
        object.__setattr__(self, "message", printable(str(self.message)))
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING

    def as_warning(self) -> "Problem":
        return replace(self, severity=WARNING)

    def __str__(self) -> str:
        mark = WARNING_MARK if self.is_warning else ""
        return f"{self.file}:{self.line}: {self.field}: {mark}{self.message}"


def warning(file: str, line: int, field: str, message: str) -> Problem:
    """A problem that asks for attention without failing anything."""
    return Problem(file, line, field, message, WARNING)


def errors_of(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_warning]


def warnings_of(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_warning]


def format_path(path: tuple) -> str:
    """('legal_basis', 0, 'article') -> 'legal_basis[0].article'.

    An empty key shows as ``""`` and an overlong one is cut, so the field
    column is never empty and never a paragraph.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            part = str(part)
            part = '""' if not part else part if len(part) <= MAX_KEY else part[:MAX_KEY] + "…"
            out += ("." if out else "") + part
    return out or WHOLE_FILE


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Stable, readable order: by file, then line; duplicates dropped."""
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.field, p.message))


def render_text(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in problems)


def render_json(problems: list[Problem]) -> str:
    return json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2)


def summary_line(problems: list[Problem], checked_files: int) -> str:
    """The last line of ``kb check``: errors counted as problems, warnings after them."""
    errors, warnings = errors_of(problems), warnings_of(problems)
    extra = f"另有 {len(warnings)} 条警告（不影响检查结果和构建，请安排复核）。" if warnings else ""
    if not errors:
        if warnings:
            return f"检查通过：{checked_files} 个文件，没有发现错误；{extra}"
        return f"检查通过：{checked_files} 个文件，没有发现问题。"
    files = len({p.file for p in errors})
    return f"发现 {len(errors)} 个问题，涉及 {files} 个文件（共检查 {checked_files} 个文件）。{extra}"
