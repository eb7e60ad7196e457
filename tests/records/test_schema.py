"""schema: valid and invalid example records, each invalid one with its exact messages."""

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, registry_only, run_kb
from kb.records import schema

EXPECTED = yaml.safe_load((FIXTURES / "invalid_expected.yml").read_text(encoding="utf-8"))
INVALID = sorted(p.stem for p in (FIXTURES / "invalid").glob("*.yml"))


def check_one(tmp_path: Path, source: Path):
    root = registry_only(tmp_path / "kb")
    shutil.copy(source, root / "solutions" / source.name)
    return run_kb("--root", str(root), "check")


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "valid").glob("*.yml")))
def test_valid_examples_pass(tmp_path, name):
    result = check_one(tmp_path, FIXTURES / "valid" / name)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("检查通过：5 个文件")


def test_every_invalid_example_has_expectations():
    assert sorted(EXPECTED) == INVALID


@pytest.mark.parametrize("name", INVALID)
def test_invalid_examples_report_exact_messages(tmp_path, name):
    result = check_one(tmp_path, FIXTURES / "invalid" / f"{name}.yml")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines() == EXPECTED[name]


def test_internal_fields_are_declared_in_the_schema():
    assert schema.internal_fields() == ["cases", "internal"]


def test_vocabulary_fields_are_declared_in_the_schema():
    assert schema.vocabulary_fields() == {"domain": "domains", "category": "categories", "causes": "causes"}


def test_every_property_has_a_chinese_description_and_label():
    def walk(spec, path):
        for name, child in spec.get("properties", {}).items():
            resolved = schema._resolve(child, schema.load_schema("record"))
            assert resolved.get("description"), f"{path}{name} has no description"
            assert resolved.get("x-label"), f"{path}{name} has no x-label"
            yield from walk(resolved, f"{path}{name}.")
            items = schema._resolve(resolved.get("items", {}), schema.load_schema("record"))
            yield from walk(items, f"{path}{name}[].")
        yield path

    assert len(list(walk(schema.load_schema("record"), ""))) > 20


def test_record_schema_forbids_unknown_fields_everywhere():
    def objects(spec):
        if spec.get("type") == "object":
            yield spec
        for child in spec.get("properties", {}).values():
            yield from objects(child)
        if isinstance(spec.get("items"), dict):
            yield from objects(spec["items"])
        for key in ("oneOf", "anyOf"):
            for branch in spec.get(key, []):
                yield from objects(branch)
        for child in spec.get("$defs", {}).values():
            yield from objects(child)

    found = list(objects(schema.load_schema("record")))
    assert found and all(o.get("additionalProperties") is False for o in found)


def test_reference_tables_cover_every_schema_file():
    tables = schema.reference_tables()
    assert [t["file"] for t in tables] == list(schema.SCHEMA_FILES.values())
    paths = {row["path"] for row in tables[0]["rows"]}
    assert {"legal_basis[].article", "procedure[].time_limit", "internal.risk_notes", "cases[].date"} <= paths
    internal = {row["path"] for row in tables[0]["rows"] if row["internal"]}
    assert "internal.contacts[].channel" in internal and "title" not in internal


def test_oversized_file_is_reported_not_read(tmp_path):
    root = registry_only(tmp_path / "kb")
    big = (FIXTURES / "valid" / "minimal.yml").read_text(encoding="utf-8").replace("id: minimal", "id: too-big")
    big += "# " + "很" * 400_000 + "\n"  # 1.2 MB, nearly all of it a comment
    (root / "solutions" / "too-big.yml").write_text(big, encoding="utf-8")
    size = (root / "solutions" / "too-big.yml").stat().st_size
    result = run_kb("--root", str(root), "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"solutions/too-big.yml:1: (文件): 文件过大（{size:,} 字节），单个文件不得超过 1 MB（1,048,576 字节）"
    ]


def _documents():
    from kb.records.load import read_document

    paths = [*sorted((FIXTURES / "valid").glob("*.yml")), *sorted((FIXTURES / "invalid").glob("*.yml")),
             *sorted((FIXTURES / "kb" / "solutions").glob("*.yml")), *sorted((ROOT / "solutions").glob("*.yml"))]
    return [read_document(p, FIXTURES) for p in paths]


@pytest.mark.parametrize("name", list(schema.SCHEMA_FILES))
def test_every_schema_compiles_to_a_fast_predicate(name):
    assert schema.fast_valid(name) is not None


def test_fast_predicate_agrees_with_jsonschema_on_every_example():
    for doc in _documents():
        if isinstance(doc.data, dict):
            full = not any(schema.validator("record").iter_errors(doc.data))
            assert schema.fast_valid("record")(doc.data) is full, doc.display


def test_url_pattern_and_url_explanation_agree():
    from kb.records.privacy import url_problem

    pattern = schema._compiled(schema.load_schema("record")["$defs"]["url"]["pattern"])
    for url in ["https://a.example/x?y=1#z", "http://例子.中国/", "https://", "https://a b", "https://u:p@a.example",
                "https://a.example/<x>", "http://[::1]/", "https://a.example/\u202e", "https://a.example/\n", "https://.x",
                "javascript:alert(1)", "HTTPS://A.EXAMPLE", "http:/x", "//x.example", "https://x.example/'", "ftp://x"]:
        assert (pattern.search(url) is not None) is (url_problem(url) is None), url


@pytest.mark.parametrize(
    "value, message",
    [
        ("2026-02-30", "“2026-02-30”不是有效日期：2026 年 2 月只有 28 天"),
        ("2024-02-30", "“2024-02-30”不是有效日期：2024 年 2 月只有 29 天"),
        ("2026-04-31", "“2026-04-31”不是有效日期：2026 年 4 月只有 30 天"),
        ("2026-13-01", "“2026-13-01”不是有效日期：月份应为 01 到 12"),
        ("2026-00-10", "“2026-00-10”不是有效日期：月份应为 01 到 12"),
        ("0000-01-01", "“0000-01-01”不是有效日期：年份不能为 0000"),
        ("26-1-1", "“26-1-1”应写成 YYYY-MM-DD（年份四位，月、日各两位），如 2025-04-16"),
        ("2026/01/01", "“2026/01/01”应写成 YYYY-MM-DD（年份四位，月、日各两位），如 2025-04-16"),
        ("2026年1月1日", "“2026年1月1日”应写成 YYYY-MM-DD（年份四位，月、日各两位），如 2025-04-16"),
        ("明天", "“明天”不是日期，应写成 YYYY-MM-DD，如 2025-04-16"),
        ("2026-01-01T10:00:00", "“2026-01-01T10:00:00”不是日期，应写成 YYYY-MM-DD，如 2025-04-16"),
        ("2026-01-01\n", "“2026-01-01\n”前后有多余的空格或换行，应写成 YYYY-MM-DD，如 2025-04-16"),
        ("２０２６-０１-０１", "“２０２６-０１-０１”不是日期，应写成 YYYY-MM-DD，如 2025-04-16"),
        ("2026-01-01", None),
        ("2024-02-29", None),
    ],
)
def test_date_messages(value, message):
    assert schema.date_problem(value) == message
    data = {"review": {"owner": "科室", "reviewed_on": value, "next_review": "2026-07-01"}}
    found = [m for path, m, _ in schema.check("record", data) if path == ("review", "reviewed_on")]
    assert found == ([message] if message else [])


@pytest.mark.parametrize("key", ["Title", "title ", "ｔｉｔｌｅ", "标题", "titel"])
def test_unknown_field_suggests_the_field_meant(key):
    found = [m for path, m, _ in schema.check("record", {key: "x"}) if path == (key,)]
    assert len(found) == 1 and "是否应为“title”" in found[0], found
