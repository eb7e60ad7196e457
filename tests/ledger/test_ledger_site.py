"""The internal site's cases/ pages from extra.kb.ledgers; nothing of a ledger in the public edition."""

from __future__ import annotations

import json

import pytest

from conftest import make_project, mkdocs_build
from ledger_helpers import row, write_csv

SECRET = "甲乙丙标记"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("ledger") / "project")
    write_csv(project / "ledger.csv", [
        row(编号="C-1", 一类事编号="sample-home-visit", 诉求摘要=f"老人卧床换身份证。{SECRET}"),
        row(编号="C-2", 受理日期="2026-09-30", 答复日期="2026-10-12", 办结日期="", 结果="", 诉求摘要="<script>alert(1)</script>公交卡余额退不出来"),
        row(编号="C-3", 受理日期="2026-10-12", 答复日期="", 办结日期="", 结果="", 诉求摘要="又来问公交卡余额退不出来"),
    ])
    (project / "totals.json").write_text(json.dumps({"total": 594, "resolved": 585, "classes": 18, "linked": 560}))
    (project / "mkdocs.ledger.yml").write_text(
        "INHERIT: mkdocs.internal.yml\nextra:\n  kb:\n    ledgers: [\"*.csv\"]\n    today: 2026-11-30\n", encoding="utf-8")
    (project / "mkdocs.public-ledger.yml").write_text(
        "INHERIT: mkdocs.yml\nextra:\n  kb:\n    ledgers: [\"ledger.csv\"]\n    ledger_totals: totals.json\n",
        encoding="utf-8")
    for config, out in (("mkdocs.ledger.yml", "internal"), ("mkdocs.public-ledger.yml", "public")):
        done = mkdocs_build(project, "-q", "-f", config, "-d", str(project / out))
        assert done.returncode == 0, done.stderr
    return project


def test_the_internal_edition_has_the_cases_pages(built):
    overview = (built / "internal/cases/index.html").read_text(encoding="utf-8")
    assert 'data-kb-cases-total="3"' in overview and "ledger.csv" in overview and 'role="img"' in overview
    overdue = (built / "internal/cases/overdue/index.html").read_text(encoding="utf-8")
    assert 'data-kb-overdue="C-2"' in overdue and 'data-kb-overdue="C-3"' in overdue
    candidates = (built / "internal/cases/candidates/index.html").read_text(encoding="utf-8")
    assert "公交卡余额退不出来" in candidates and "kb new " in candidates
    assert "<script>alert(1)</script>" not in candidates and "&lt;script&gt;alert(1)&lt;/script&gt;" in candidates
    guide = (built / "internal/guides/sample-home-visit/index.html").read_text(encoding="utf-8")
    assert 'data-kb-cases-served="1"' in guide


def test_the_public_edition_never_reads_a_ledger(built):
    public = built / "public"
    assert not (public / "cases").exists()
    leaks = [p for p in public.rglob("*") if p.is_file() and (SECRET.encode() in p.read_bytes()
                                                               or b"C-2" in p.read_bytes())]
    assert leaks == []
    stats = (public / "stats/index.html").read_text(encoding="utf-8")
    assert "收集诉求 594 件，已解决 585 件，形成一类事 18 类" in stats
    assert 'data-kb-cases-served' not in (public / "guides/sample-home-visit/index.html").read_text(encoding="utf-8")


def test_without_ledgers_the_internal_pages_say_how_to_add_one(tmp_path):
    project = make_project(tmp_path / "p")
    done = mkdocs_build(project, "-q", "-f", "mkdocs.internal.yml")
    assert done.returncode == 0, done.stderr
    assert "还没有接入台账" in (project / "site-internal/cases/index.html").read_text(encoding="utf-8")


def test_a_bad_ledger_stops_the_internal_build_with_the_cells(tmp_path):
    project = make_project(tmp_path / "p")
    write_csv(project / "ledger.csv", [row(诉求摘要="手机13812345678")])
    (project / "mkdocs.ledger.yml").write_text("INHERIT: mkdocs.internal.yml\nextra:\n  kb:\n    ledgers: [ledger.csv]\n",
                                              encoding="utf-8")
    done = mkdocs_build(project, "-q", "-f", "mkdocs.ledger.yml")
    assert done.returncode != 0 and "ledger.csv:2: 诉求摘要: 含有个人信息" in done.stderr
    assert not (project / "site-internal").exists()
