"""The generated pages and the records rendered and read on two processes (kb/parallel.py): the same
site, byte for byte, as on one, in both editions and both URL styles."""

from conftest import same_build_without


def test_two_processes_build_the_same_site_as_one(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_SHARE_SMALL", "1")  # the fixture project is far below the size that is shared
    files = same_build_without(tmp_path, "KB_JOBS", values=("2", "1"))
    assert any(name.startswith("notice/") for name in files) and any(name.startswith("cards/") for name in files)
