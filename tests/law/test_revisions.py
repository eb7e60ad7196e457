"""revisions: which citations a recorded revision touches, laws not yet in force, how old a source check is."""

from datetime import date

import pytest

from kb.law import revisions
from kb.law.revisions import article_key, flags_for, law_state, merged

LAW = {"id": "jumin-shenfenzheng-fa", "title": "《中华人民共和国居民身份证法》", "effective": "2012-01-01"}


def record(reviewed_on="2026-11-01", status="published", articles=("第十一条第一款", "第三条第三款")):
    return {
        "id": "sample", "status": status, "review": {"reviewed_on": reviewed_on},
        "legal_basis": [{"law": "jumin-shenfenzheng-fa", "article": a} for a in articles]
        + [{"law": "other-law", "article": "第十一条"}],
    }


def laws(*revs):
    return {"jumin-shenfenzheng-fa": {**LAW, "revisions": list(revs)}, "other-law": {"id": "other-law", "title": "《另一部法》"}}


def test_article_key_is_the_article_part():
    assert article_key("第十一条第一款") == "第十一条"
    assert article_key("第二十六条第二款第三项") == "第二十六条"
    assert article_key("第八条") == "第八条"


def test_a_revision_of_a_cited_article_after_the_review_flags_that_citation_only():
    flags = flags_for(record(), laws({"adopted": "2026-11-25", "effective": "2027-03-01", "articles": ["第十一条"]}))
    assert [(f.index, f.article, f.adopted) for f in flags] == [(0, "第十一条第一款", "2026-11-25")]
    assert flags[0].articles_listed


def test_a_revision_without_an_article_list_touches_every_citation_of_that_law():
    flags = flags_for(record(), laws({"adopted": "2026-11-25", "effective": "2027-03-01"}))
    assert [f.index for f in flags] == [0, 1]  # not the other law's 第十一条
    assert not flags[0].articles_listed
    assert "登记表未列出修改了哪些条文" in flags[0].sentence(date(2026, 11, 30))


def test_a_revision_dated_before_or_on_the_review_flags_nothing():
    before = laws({"adopted": "2026-10-01", "effective": "2026-12-01"})
    assert flags_for(record("2026-11-01"), before) == []
    same_day = laws({"adopted": "2026-11-01", "effective": "2027-01-01"})
    assert flags_for(record("2026-11-01"), same_day) == []
    assert len(flags_for(record("2026-10-31"), same_day)) == 2


def test_a_revision_of_other_articles_flags_nothing():
    assert flags_for(record(), laws({"adopted": "2026-11-25", "effective": "2027-03-01", "articles": ["第十二条"]})) == []


def test_the_newest_touching_revision_is_the_one_reported():
    flags = flags_for(record("2026-01-01"), laws(
        {"adopted": "2026-11-25", "effective": "2027-03-01", "articles": ["第十二条"]},
        {"adopted": "2026-06-01", "effective": "2026-07-01", "articles": ["第十一条"]},
        {"adopted": "2026-03-01", "effective": "2026-04-01", "articles": ["第十一条"]},
    ))
    assert [(f.article, f.adopted) for f in flags] == [("第十一条第一款", "2026-06-01")]


def test_retired_records_are_not_flagged():
    assert flags_for(record(status="retired"), laws({"adopted": "2026-11-25", "effective": "2027-03-01"})) == []


def test_sentence_says_whether_the_revision_is_in_force_and_which_articles_are_cited():
    flag = flags_for(record(articles=("第十一条第一款", "第十一条第二款")),
                     laws({"adopted": "2026-11-25", "effective": "2027-03-01", "articles": ["第十一条"]}))
    assert len(flag) == 2
    (first, cited), = merged(flag)
    assert cited == ["第十一条第一款", "第十一条第二款"]
    before = first.sentence(date(2026, 11, 30), cited)
    assert before == ("《中华人民共和国居民身份证法》第十一条（本提示引用第十一条第一款、第十一条第二款）于 2026-11-25 修订"
                      "（2027-03-01 起施行），本工作提示最近一次复核在 2026-11-01，尚未按修订后的条文复核")
    assert "2027-03-01 已施行" in first.sentence(date(2027, 3, 1), cited)


def test_law_state_follows_the_day():
    law = {**LAW, "effective": "2027-01-01",
           "revisions": [{"adopted": "2026-08-28", "effective": "2027-01-01"}]}
    before = law_state(law, date(2026, 12, 31))
    assert not before.in_force and before.label == "尚未施行（2027-01-01 起施行）"
    assert before.pending_revision == law["revisions"][0]
    on_the_day = law_state(law, date(2027, 1, 1))
    assert on_the_day.in_force and on_the_day.label == "" and on_the_day.pending_revision is None


@pytest.mark.parametrize("checked, today, stale", [
    ("2025-11-30", date(2026, 11, 30), False),  # exactly a year: still fine
    ("2025-11-30", date(2026, 12, 1), True),
    ("2024-02-29", date(2025, 2, 28), False),  # a year after 29 February is 28 February
    ("2024-02-29", date(2025, 3, 1), True),
])
def test_a_source_check_is_stale_after_a_year(checked, today, stale):
    law = {**LAW, "verified": {"source": "国家法律法规数据库", "publisher": "全国人大常委会办公厅", "checked_on": checked}}
    assert revisions.check_is_stale(law, today) is stale


def test_a_law_without_a_check_is_not_stale_but_reported_elsewhere():
    assert revisions.check_is_stale(LAW, date(2030, 1, 1)) is False
