"""schema: valid and invalid example records, each invalid one with its exact messages."""

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, registry_only, run_kb
from kb import schema

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
    assert result.stdout.startswith("检查通过：4 个文件")


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
