"""A law not yet in force on the build's day: cited only as upcoming, never alone; warnings once it is in force."""

from __future__ import annotations

from conftest import fixture_copy, run_kb, set_law


def _mark_upcoming(root, law_id):
    for record in (root / "solutions").glob("*.yml"):
        text = record.read_text(encoding="utf-8")
        record.write_text(text.replace(f"  - law: {law_id}\n", f"  - law: {law_id}\n    upcoming: true\n"), encoding="utf-8")


def check(root, day):
    done = run_kb("--root", str(root), "check", "--today", day)
    return done.returncode, done.stdout


def test_a_citation_of_a_law_not_yet_in_force_must_say_so(tmp_path):
    root = fixture_copy(tmp_path)
    set_law(root, "jumin-shenfenzheng-fa", effective="2027-01-01")
    code, said = check(root, "2026-12-31")
    assert code == 1
    assert "legal_basis[0].law: 《中华人民共和国居民身份证法》自 2027-01-01 起施行，今天（2026-12-31）还没有施行" in said


def test_it_never_stands_alone_as_a_published_basis(tmp_path):
    root = fixture_copy(tmp_path)
    set_law(root, "jumin-shenfenzheng-fa", effective="2027-01-01", status="尚未施行")
    _mark_upcoming(root, "jumin-shenfenzheng-fa")
    code, said = check(root, "2026-12-31")
    # sample-home-visit cites only that law; the draft is not held to it
    alone = [line for line in said.splitlines() if "已发布的记录不能只以尚未施行的法律为依据" in line]
    assert code == 1 and len(alone) == 1 and alone[0].startswith("solutions/sample-home-visit.yml:")


def test_nothing_turns_red_the_day_it_takes_effect(tmp_path):
    root = fixture_copy(tmp_path)
    set_law(root, "jumin-shenfenzheng-fa", effective="2027-01-01", status="尚未施行")
    _mark_upcoming(root, "jumin-shenfenzheng-fa")
    code, said = check(root, "2027-01-01")
    assert code == 0
    assert "legal_basis[0].upcoming: 警告：《中华人民共和国居民身份证法》已于 2027-01-01 施行：请去掉 upcoming 标记" in said
    assert "status: 警告：《中华人民共和国居民身份证法》已于 2027-01-01 施行，登记表仍写“尚未施行”" in said
