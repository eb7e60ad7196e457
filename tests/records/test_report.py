"""report: errors and warnings share one line format; only errors count against a check."""

import pytest

from kb.records.report import Problem, errors_of, summary_line, warning, warnings_of


def test_a_warning_prints_like_an_error_with_a_mark():
    error = Problem("solutions/a.yml", 12, "legal_basis[0].article", "缺少条款号")
    note = warning("solutions/a.yml", 12, "legal_basis[0].article", "依据修订后待复核")
    assert str(error) == "solutions/a.yml:12: legal_basis[0].article: 缺少条款号"
    assert str(note) == "solutions/a.yml:12: legal_basis[0].article: 警告：依据修订后待复核"
    assert error.as_warning() == warning("solutions/a.yml", 12, "legal_basis[0].article", "缺少条款号")
    assert note.is_warning and not error.is_warning
    assert errors_of([error, note]) == [error] and warnings_of([error, note]) == [note]


def test_unknown_severity_is_refused():
    with pytest.raises(ValueError):
        Problem("a", 1, "b", "c", "fatal")


def test_summary_counts_errors_and_mentions_warnings():
    error = Problem("solutions/a.yml", 1, "id", "错")
    note = warning("solutions/b.yml", 2, "id", "提醒")
    assert summary_line([], 3) == "检查通过：3 个文件，没有发现问题。"
    assert summary_line([note], 3) == "检查通过：3 个文件，没有发现错误；另有 1 条警告（不影响检查结果和构建，请安排复核）。"
    assert summary_line([error, note], 3) == (
        "发现 1 个问题，涉及 1 个文件（共检查 3 个文件）。另有 1 条警告（不影响检查结果和构建，请安排复核）。")
