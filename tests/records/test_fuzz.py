"""Property-based tests: whatever a record file holds, the checker reports and never raises.

Valid records (tests/fixtures/valid, tests/fixtures/kb/solutions) are mutated at
random, as text (truncated, lines duplicated or dropped, tags, control
characters and HTML injected, random bytes) and as data (keys deleted, values
replaced by other types, lists and mappings swapped), and every result goes
through the same loader and checker as ``kb check``. Each problem must be one
well-formed line: the file, a positive line number, a field and a message in
Chinese. The fast schema predicate must agree with jsonschema on every record.

The examples are derandomised, so a CI run is repeatable and does not flake.
"""

from __future__ import annotations

import random
import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, registry_only, run_kb
from kb.records import schema
from kb.records.load import Document, Sources, load_sources, parse_text, read_document
from kb.records.report import Problem
from kb.records.validate import check_sources

FUZZ = settings(max_examples=800, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
SEEDS = sorted([*(FIXTURES / "valid").glob("*.yml"), *(FIXTURES / "kb" / "solutions").glob("*.yml")])
TEXTS = [p.read_text(encoding="utf-8") for p in SEEDS]
DATA = [yaml.safe_load(t) for t in TEXTS]
REGISTRY = load_sources(FIXTURES / "kb").registry
CHINESE = re.compile(r"[\u4e00-\u9fff]")

# Text that people paste, and that attackers try.
NASTY = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&lt;b&gt;", "javascript:alert(1)", "\u202e", "\x00",
    "\x07", "\x85", "\u2028", "\ufeff", "\t", "\r\n", "!!python/object/apply:os.system ['id']", "!!binary aGk=",
    "&a", "*a", "<<: *a", "%YAML 1.1", "---", "...", "? ", ": ", "- ", "#", "'", '"', "[", "]", "{", "}", "|", ">",
    "@", "`", "13812345678", "11010519491231002X", "王女士", "a@b.cn", "0571-88886666", "２０２６-０２-３０",
    "yes", "0x10", "010", "10:30", ".nan", "~", "null", "1e999", "-1", "5.0", "五", "  ", "\\", "\\u0000", "9" * 5000, "\udc80",
]
TAGS = ["!!python/object/apply:os.system", "!!python/name:os.system", "!!binary", "!!set", "!!omap", "!!str", "!!int",
        "!!float", "!!bool", "!!null", "!!timestamp", "!!map", "!!seq", "!custom", "!", "!<tag:yaml.org,2002:python/object>"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), st.sampled_from(NASTY), st.dates().map(str),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12,
)


def check_text(text: str, name: str = "fuzz") -> list[Problem]:
    doc = Document(path=Path(f"solutions/{name}.yml"), display=f"solutions/{name}.yml")
    parse_text(text, doc)
    return check_document(doc)


def check_document(doc: Document) -> list[Problem]:
    sources = Sources(root=FIXTURES / "kb", records=[doc], registry=REGISTRY)
    problems = check_sources(sources)
    for problem in problems:
        assert isinstance(problem, Problem)
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        assert problem.file and problem.field and problem.message, problem
        assert CHINESE.search(problem.message), problem
        assert "\n" not in str(problem) and "\r" not in str(problem), problem
    if isinstance(doc.data, dict):
        full = not any(schema.validator("record").iter_errors(doc.data))
        assert schema.fast_valid("record")(doc.data) is full, doc.data
    return problems


def test_seeds_are_valid():
    docs = [read_document(path, path.parent.parent) for path in SEEDS]
    assert check_sources(Sources(root=FIXTURES / "kb", records=docs, registry=REGISTRY)) == []


# -- mutations of the text ------------------------------------------------------------
@st.composite
def text_mutations(draw) -> str:
    text = draw(st.sampled_from(TEXTS))
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["truncate", "insert", "duplicate", "drop", "tag", "indent", "replace"]))
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        if kind == "truncate":
            joined = "\n".join(lines)
            lines = joined[: draw(st.integers(0, len(joined)))].split("\n")
        elif kind == "insert":
            line = lines[at]
            cut = draw(st.integers(0, len(line)))
            extra = draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=20)))
            lines[at] = line[:cut] + extra + line[cut:]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "drop":
            del lines[at]
        elif kind == "tag":
            lines[at] = lines[at].replace(": ", f": {draw(st.sampled_from(TAGS))} ", 1)
        elif kind == "indent":
            lines[at] = draw(st.sampled_from([" ", "  ", "\t", "   "])) + lines[at]
        else:
            key = lines[at].split(":", 1)[0]
            lines[at] = f"{key}: {draw(st.sampled_from(NASTY))}"
    return "\n".join(lines)


@FUZZ
@given(text_mutations())
def test_mutated_text_is_reported_never_raised(text):
    check_text(text)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list(":-[]{}#&*!|>'\"%@`,? \n\t\\~") + list("ab1中文") + ["\x00", "\u202e"]), max_size=80))
def test_random_yaml_like_text(text):
    check_text(text)


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=300), st.sampled_from([b"", "\ufeff".encode(), b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"]))
def test_random_bytes(raw, prefix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "solutions" / "fuzz.yml"
        path.parent.mkdir()
        path.write_bytes(prefix + raw)
        check_document(read_document(path, Path(tmp)))


# -- mutations of the data ------------------------------------------------------------
def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, path + (index,))


def _get(value, path):
    for part in path:
        value = value[part]
    return value


@st.composite
def data_mutations(draw):
    data = yaml.safe_load(yaml.safe_dump(draw(st.sampled_from(DATA))))  # a deep copy
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = _get(data, path[:-1]), path[-1]
        kind = draw(st.sampled_from(["delete", "replace", "swap", "wrap", "rename"]))
        if kind == "delete":
            del parent[last]
        elif kind == "replace":
            parent[last] = draw(values)
        elif kind == "swap":
            old = parent[last]
            parent[last] = ({str(i): v for i, v in enumerate(old)} if isinstance(old, list)
                            else list(old.values()) if isinstance(old, dict) else [old])
        elif kind == "wrap":
            parent[last] = {"value": parent[last]} if draw(st.booleans()) else [parent[last], parent[last]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=12)) + str(last)] = parent.pop(last)
    return data


@FUZZ
@given(data_mutations())
def test_mutated_data_is_reported_never_raised(data):
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    problems = check_text(text)
    assert problems or isinstance(data, dict)


@FUZZ
@given(values)
def test_random_documents(value):
    check_text(yaml.safe_dump(value, allow_unicode=True))


def test_cli_never_shows_a_traceback(tmp_path):
    # The same inputs through the real command: exit 1 with lines, never a traceback.
    rng = random.Random(20260416)
    root = registry_only(tmp_path / "kb")
    for index in range(60):
        text = rng.choice(TEXTS)
        cut = rng.randrange(len(text))
        noise = rng.choice(NASTY) if index % 3 else bytes(rng.randrange(256) for _ in range(20)).decode("latin-1")
        (root / "solutions" / f"fuzz-{index:02d}.yml").write_bytes((text[:cut] + noise + text[cut:]).encode("utf-8", "surrogatepass"))
    result = run_kb("--root", str(root), "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stdout
    for line in result.stdout.splitlines():
        assert re.match(r"^solutions/fuzz-\d\d\.yml:[1-9][0-9]*: \S.*?: .*[\u4e00-\u9fff]", line), line
