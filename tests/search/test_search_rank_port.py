"""kb.search.rank, the Python port of the search worker's ranking, ranks as the page does.

Both read the same index files of a built public site; every query of tests/search_queries.yml is
ranked by the worker in headless Chromium (its own search() function) and by the port: the same
documents in the same order, with the same scores (to rounding of the last bits of a float).
"""

from __future__ import annotations

import pytest
import yaml

from browser import browser, visit
from conftest import ROOT, make_project, mkdocs_build
from kb.search.rank import Ranker

pytestmark = pytest.mark.browser


def _queries() -> list[str]:
    data = yaml.safe_load((ROOT / "tests" / "search_queries.yml").read_text(encoding="utf-8"))
    found = [str(q) for groups in data.values() for queries in groups.values() for q in queries]
    # and what a ledger's summary looks like: a sentence, punctuation, function words, 繁体
    return found + ["群众反映：父亲瘫痪在床，身份证过期了没法去派出所换。", "來電反映老人換身份證", "公交卡余额退不出来怎么办？"]


def test_the_port_ranks_the_query_set_as_the_page_does(tmp_path):
    project = make_project(tmp_path / "project", solutions=ROOT / "solutions")
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    ranker = Ranker.from_site(project / "site")
    differ, answered = [], 0
    with browser() as chromium, visit(chromium, project / "site") as page:
        page.search("身份证")
        worker = page.page.workers[0]
        script = "q => search(q).then(r => r.items.map(([i]) => [i.location, i.score]))"
        queries = _queries()
        for query in queries:
            on_page = worker.evaluate(script, query)
            answered += bool(on_page)
            ported = [(ranker.locations[h.doc], h.score) for h in ranker.search(query)]
            same = len(on_page) == len(ported) and all(
                a[0] == b[0] and abs(a[1] - b[1]) <= 1e-9 * max(1.0, abs(a[1])) for a, b in zip(on_page, ported))
            if not same:
                differ.append(f"{query}: page {on_page[:3]} port {ported[:3]}")
    assert len(queries) >= 100 and answered >= 0.95 * len(queries)
    assert differ == [], "\n".join(differ)
