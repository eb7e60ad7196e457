"""The Word documents as an office suite shows them: converted to PDF by LibreOffice (Debian's, headless).

Offices open the documents in WPS, Word or LibreOffice. python-docx only writes XML, so what
a reader sees is checked here in a real office suite: the compilation's table of contents has
every entry with the page its record starts on (no "update field" needed), and the procedure
table keeps its column widths (具体做法 is the wide column, not one of five equal ones).
The conversion of the project's own records takes about 5 s on a 2-core machine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest

from conftest import ROOT
from kb.site.edition import Edition
from kb.knowledge import load_knowledge_base
from kb.office.docx_export import write_documents

SOFFICE = shutil.which("soffice")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(SOFFICE is None, reason="没有 LibreOffice（scripts/test_setup.py 会安装）")]


def to_pdf(documents: list, tmp) -> None:
    """Convert with LibreOffice, in a profile of its own (never the user's)."""
    command = [SOFFICE, f"-env:UserInstallation=file://{tmp / 'lo-profile'}", "--headless", "--convert-to", "pdf",
               "--outdir", str(tmp / "pdf"), *map(str, documents)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    from pypdf import PdfReader

    tmp = tmp_path_factory.mktemp("libreoffice")
    loaded = load_knowledge_base(ROOT)
    assert loaded.ok
    written = write_documents(loaded.kb, "public", tmp / "docx", today=date(2026, 12, 1))
    views = {v["id"]: v for v in Edition("public", loaded.kb).views}
    to_pdf([written.compilation, tmp / "docx" / "idcard-home-visit.docx"], tmp)
    pages = [p.extract_text() for p in PdfReader(tmp / "pdf" / (written.compilation.stem + ".pdf")).pages]
    single = [p.extract_text() for p in PdfReader(tmp / "pdf" / "idcard-home-visit.pdf").pages]
    return views, pages, single


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_table_of_contents_shows_every_record_with_the_page_it_starts_on(converted):
    views, pages, _ = converted
    titles = [v["title"] for v in views.values()]
    first = next(i for i, text in enumerate(pages) if _flat(text).startswith(_flat(titles[0])))
    contents = "".join(pages[:first])  # the pages before the first record
    flat = _flat(contents)
    starts = []
    for n, title in enumerate(titles, 1):
        # lines flattened: the page number runs into the next entry's number, which ends it
        match = re.search(re.escape(f"{n}．{_flat(title)}") + r"[.\s]*([0-9]+?)(?=" + str(n + 1) + "．|—|$)", flat)
        assert match, f"目录里没有“{n}．{title}”和页码"
        starts.append(int(match.group(1)))
    for title, start in zip(titles, starts):
        page = pages[start - 1]
        assert _flat(page).startswith(_flat(title)), f"“{title}”不在目录说的第 {start} 页开头"
        assert f"— {start} —" in page  # the footer's own number agrees
    assert starts == sorted(starts)


def test_a_record_takes_few_pages_and_the_procedure_table_is_wide_where_it_needs_to_be(converted):
    views, pages, single = converted
    titles = [_flat(v["title"]) for v in views.values()]
    starts = [next(i for i, text in enumerate(pages) if _flat(text).startswith(t)) for t in titles]
    lengths = [b - a for a, b in zip(starts, starts[1:] + [len(pages)])]
    # GB/T 9704 type (三号 on 28 pt lines, 22 lines of 28 characters a page) holds about 600
    # characters a page of body text, fewer around tables (小四 in columns); with equal columns
    # 具体做法 wrapped every six characters and one record ran to 6 pages. A record is as long as
    # the guide it holds (fees, copies, situations and the rest of issue 24 made them longer), so
    # what is checked is how full its pages are, and a bound that a runaway layout would pass.
    chars = [sum(len(_flat(p)) for p in pages[a:a + n]) for a, n in zip(starts, lengths)]
    density = [round(c / n) for c, n in zip(chars, lengths)]
    assert min(density) >= 340 and max(lengths) <= 8, list(zip(lengths, density))
    assert len(single) == lengths[list(views).index("idcard-home-visit")]
    # 具体做法 (70 of the 156 mm) holds a line of well over six characters of 小四
    action = views["idcard-home-visit"]["procedure"][0]["action"]
    assert action[:14] in "".join(single), "具体做法的第一行不足 14 个字"
    lines = [line for line in "\n".join(single).splitlines() if line.startswith("1 ") and "登记" in line]
    assert lines and len(lines[0]) > 20
