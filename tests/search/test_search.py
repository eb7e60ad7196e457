"""search: what the index holds for traditional, variant, pinyin and rare-character search."""

import json
import os
import shutil
import subprocess
import sys

from conftest import FIXTURES, make_project
from kb.site.edition import Edition
from kb.knowledge import load_knowledge_base
from kb.search.index import LANG_FILE, PINYIN_WEIGHTS, WEIGHTS, SearchIndexBuilder, char_terms

RARE = FIXTURES / "search" / "sample-rare-characters.yml"


def _kb(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb", root)
    shutil.copy(RARE, root / "solutions" / RARE.name)
    return load_knowledge_base(root).kb


def _terms(builder: SearchIndexBuilder, record_id: str) -> dict[str, int]:
    docs = builder.documents()
    return next(d["terms"] for d in docs if d["location"].rstrip("/").endswith(record_id))


def test_characters_beyond_the_bmp_are_terms(tmp_path):
    builder = SearchIndexBuilder(Edition("public", _kb(tmp_path)))
    terms = _terms(builder, "sample-rare-characters")
    assert terms["𫖯𠀀"] == WEIGHTS["title"]  # a bigram of two Extension B/C characters
    assert "字𫖯" in terms and "𠀀的" in terms
    assert "𬌗" in terms and "𱍐" in terms  # unigrams of aliases (Extension E, H)
    assert char_terms("含𫖯𠀀的") == {"含𫖯", "𫖯𠀀", "𠀀的"}


def test_pinyin_terms_weigh_less_than_the_characters_they_spell(tmp_path):
    builder = SearchIndexBuilder(Edition("public", _kb(tmp_path)))
    terms = _terms(builder, "sample-home-visit")
    assert terms["身份"] >= WEIGHTS["title"]
    assert PINYIN_WEIGHTS["title"] <= terms["shen'fen"] < terms["身份"]
    assert terms["^sfz"] < terms["身份"]
    assert terms["^lrhsfz"] == PINYIN_WEIGHTS["alias"]  # the alias 老人换身份证 whole
    assert "fu'he" in _terms(builder, "sample-rare-characters")  # 𫖯𠀀 read fu he
    # only titles, aliases and synonyms are spelled out: not the procedure
    assert not any("'" in t and t.startswith("cai'ji") for t in terms)


def test_records_are_folded_before_indexing(tmp_path):
    kb = _kb(tmp_path)
    kb.records[[r.id for r in kb.records].index("sample-home-visit")].data["aliases"].append("老人換身分證")
    terms = _terms(SearchIndexBuilder(Edition("public", kb)), "sample-home-visit")
    assert "身份" in terms and not any(t in terms for t in ("換身", "身分", "分證"))


def test_the_worker_table_is_small_and_written_with_the_index(tmp_path):
    files = SearchIndexBuilder(Edition("public", _kb(tmp_path))).build()
    manifest = json.loads(files["search/search_index.json"])["config"]["kb"]
    lang = json.loads(files[f"{manifest['base']}{manifest['lang']}"])
    assert manifest["lang"] == LANG_FILE
    assert lang["chars"]["證"] == "证" and lang["variants"]["身分证"] == "身份证"
    assert "lv" in lang["syllables"] and "shen" in lang["syllables"]
    assert len(files[f"{manifest['base']}{manifest['lang']}"]) < 16_000


def test_a_build_imports_no_jieba_and_prints_no_warning(tmp_path):
    """jieba imports pkg_resources, which setuptools 80–81 deprecate with a warning;
    the index uses jieba-rs, and without jieba Material's search plugin does not import it."""
    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"  # a deployable site: the missing-site_url warning is another test's
    text = config.read_text(encoding="utf-8").replace("kb-feedback@example.gov.cn", "kb-feedback@zwfw.test")
    config.write_text(text + "\nsite_url: https://kb.example.gov.cn/\n", encoding="utf-8")  # and a real feedback address
    env = {**os.environ, "PYTHONWARNINGS": "default"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True, text=True,
                            env={**env, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "Warning" not in output and "WARNING" not in output and "pkg_resources" not in output, output
    assert "Building prefix dict" not in output  # jieba's own loading message
    probe = "import sys, kb.search.index, material.plugins.search.plugin as p; print('jieba' in sys.modules, p.jieba)"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert loaded.stdout.split() == ["False", "None"], loaded.stdout + loaded.stderr


def test_a_hand_written_page_that_replaces_a_guide_replaces_its_entry(tmp_path):
    """docs/guides/<id>.md is published instead of the generated guide: the index lists what is published."""
    project = make_project(tmp_path / "project")
    (project / "docs" / "guides").mkdir(parents=True, exist_ok=True)
    (project / "docs" / "guides" / "sample-home-visit.md").write_text(
        "# 手写的上门换证说明\n\n窗口人员另行编写的说明。\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    site = project / "site"
    manifest = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]["kb"]
    base = site / manifest["base"]
    docs = [doc for n in range(-(-manifest["docs"] // manifest["chunk"]))
            for doc in json.loads((base / f"d{n}.json").read_text(encoding="utf-8"))]
    assert len(docs) == manifest["docs"]
    entries = [doc for doc in docs if doc[0] == "guides/sample-home-visit/"]
    assert [doc[1] for doc in entries] == ["手写的上门换证说明"]
    assert "窗口人员另行编写的说明" in entries[0][2]
    # the record's own words are gone with its entry (this alias is in no other text)
    terms = {term for shard in base.glob("t*.json") for term in json.loads(shard.read_text(encoding="utf-8"))}
    assert "窗口人员另行编写的说明"[:2] in terms and "瘫痪在床办身份证" not in terms


def test_a_guides_situations_fees_result_and_items_are_searched_but_not_linked():
    """The site's box finds a guide by what its guide says (工本费, 补领); the ledger's link leaves these out."""
    from conftest import ROOT
    from kb.search.index import GUIDE_FIELD

    edition = Edition("internal", load_knowledge_base(ROOT).kb)
    site = _terms(SearchIndexBuilder(edition), "idcard-home-visit")
    link = _terms(SearchIndexBuilder(edition, omit=frozenset({GUIDE_FIELD})), "idcard-home-visit")
    view = edition.by_id["idcard-home-visit"]
    assert any("工本费" in fee["name"] for fee in view["fees"])
    assert site["工本"] >= WEIGHTS[GUIDE_FIELD] and "工本" not in link  # two fees name it
    assert set(link) < set(site)
