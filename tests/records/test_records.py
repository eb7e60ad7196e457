"""Every record in solutions/: its legal basis and its procedure, one test per record."""

import re

import pytest

from conftest import ROOT
from kb.records.load import load_sources
from kb.knowledge import load_knowledge_base

LOADED = load_knowledge_base(ROOT)
SOURCES = load_sources(ROOT)
LAWS = {law["id"]: law for law in (SOURCES.registry["laws"].data or {}).get("laws", [])}
RECORD_IDS = sorted(doc.stem for doc in SOURCES.records)
PUBLISHED_IDS = sorted(doc.stem for doc in SOURCES.records if isinstance(doc.data, dict) and doc.data.get("status") == "published")
ARTICLE = re.compile(r"^第[一二三四五六七八九十百千零〇0-9]+条(第[一二三四五六七八九十0-9]+款)?(第[一二三四五六七八九十0-9]+项)?$")


def record(record_id: str) -> dict:
    return next(doc.data for doc in SOURCES.records if doc.stem == record_id)


def test_the_knowledge_base_is_clean():
    assert [str(p) for p in LOADED.problems] == []


def test_there_are_records():
    assert len(RECORD_IDS) >= 3


@pytest.mark.parametrize("record_id", RECORD_IDS)
def test_legal_basis(record_id):
    data = record(record_id)
    assert data["legal_basis"], "no legal basis"
    for entry in data["legal_basis"]:
        law = LAWS.get(entry["law"])
        assert law is not None, f"unknown law {entry['law']}"
        assert law["status"] != "已废止" or data["status"] != "published"
        assert ARTICLE.match(entry["article"]), entry["article"]
        assert len(entry["provision"]) >= 8


@pytest.mark.parametrize("record_id", RECORD_IDS)
def test_procedure(record_id):
    data = record(record_id)
    assert data["procedure"], "no procedure"
    for step in data["procedure"]:
        assert step["action"] and step["department"] and step["title"]
        limit = step["time_limit"]
        assert limit == "即办" or (isinstance(limit["value"], int) and limit["unit"] in ("工作日", "自然日", "小时"))


@pytest.mark.parametrize("record_id", PUBLISHED_IDS)
def test_published_records_are_complete_for_readers(record_id):
    data = record(record_id)
    assert len(data["aliases"]) >= 2 and data["sources"]
    assert len(data.get("faq", [])) >= 2, "a published record answers at least two common questions"
    assert len(data.get("self_check", [])) >= 2, "a published record has at least two training questions"
