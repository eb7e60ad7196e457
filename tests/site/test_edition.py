"""An edition's views: changing one never changes the record, and the record's text is held once."""

from conftest import FIXTURES
from kb.knowledge import load_knowledge_base
from kb.site.edition import Edition


def test_a_view_is_a_copy_that_shares_the_records_text():
    kb = load_knowledge_base(FIXTURES / "kb").kb
    edition = Edition("internal", kb)
    record = edition.records[0]
    view = edition.views[0]
    before = repr(record.data)
    view["aliases"].append("改动")
    view["procedure"][0]["action"] = "改动"
    view["title"] += "（改）"
    assert repr(record.data) == before
    assert edition.views[1]["summary"] is edition.records[1].data["summary"]  # the same string, not a copy
