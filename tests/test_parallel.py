"""kb.parallel: the work shared between processes gives what one process gives, in order."""

import os
import time

from kb import parallel


def test_slices_come_back_in_order_from_both_processes(monkeypatch):
    monkeypatch.setenv("KB_JOBS", "2")
    pids = []
    parts = parallel.chunked(lambda a, b: (os.getpid(), list(range(a, b))), 1000, min_chunk=10)
    pids = {pid for pid, _ in parts}
    assert [n for _, part in parts for n in part] == list(range(1000))
    assert len(parts) == 8 and len(pids) >= 1


def test_one_process_when_asked_or_when_the_work_is_small(monkeypatch):
    monkeypatch.setenv("KB_JOBS", "1")
    assert parallel.chunked(lambda a, b: os.getpid(), 1000) == [os.getpid()]
    monkeypatch.setenv("KB_JOBS", "2")
    assert parallel.chunked(lambda a, b: os.getpid(), 60, min_chunk=50) == [os.getpid()]
    assert parallel.chunked(lambda a, b: 1, 0) == []


def test_a_failing_worker_means_the_slice_is_computed_here(monkeypatch):
    monkeypatch.setenv("KB_JOBS", "2")
    here = os.getpid()

    def work(a, b):
        if os.getpid() != here:
            raise RuntimeError("a worker fails")
        return list(range(a, b))

    assert [n for part in parallel.chunked(work, 400, min_chunk=10) for n in part] == list(range(400))


def test_reading_records_on_two_processes_gives_the_same_documents(monkeypatch):
    from conftest import FIXTURES
    from kb.records.load import load_sources

    monkeypatch.setenv("KB_JOBS", "1")
    one = load_sources(FIXTURES / "kb")
    monkeypatch.setenv("KB_JOBS", "2")
    monkeypatch.setenv("KB_SHARE_SMALL", "1")
    two = load_sources(FIXTURES / "kb")
    assert len(one.records) == len(two.records) > 1
    for a, b in zip(one.records, two.records):
        assert (a.path, a.display, a.data, a.lines, a.key_lines, a.problems, a.refused, a.strings) == \
               (b.path, b.display, b.data, b.lines, b.key_lines, b.problems, b.refused, b.strings)


# -- Job: one computation in a forked child --------------------------------------------------

PARENT = os.getpid()


def test_job_returns_the_functions_value():
    job = parallel.Job(lambda: {"a": [1, 2, 3], "b": "文字"})
    assert job.result() == {"a": [1, 2, 3], "b": "文字"}
    assert job.result() == {"a": [1, 2, 3], "b": "文字"}  # asked twice, computed once


def test_a_failing_child_falls_back_to_computing_here():
    calls = []

    def function():
        calls.append(os.getpid())
        if len(calls) == 1 and calls[0] != PARENT:
            raise RuntimeError("child fails")
        return 42

    job = parallel.Job(function)
    assert job.result() == 42
    assert calls[-1] == PARENT


def test_cancel_stops_the_child():
    job = parallel.Job(lambda: sum(range(10**9)))
    job.cancel()
    assert job._process is None


def test_room_for_a_copy_reads_the_available_memory_against_this_process(tmp_path):
    page = os.sysconf("SC_PAGE_SIZE")
    statm = tmp_path / "statm"
    statm.write_text(f"100000 {1024 * 1024 * 1024 // page} 0 0 0 0 0\n", encoding="ascii")  # 1 GiB resident
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal: 8000000 kB\nMemAvailable: 524288 kB\n", encoding="ascii")  # 0.5 GiB
    assert not parallel.room_for_a_copy(str(meminfo), str(statm))
    meminfo.write_text("MemTotal: 8000000 kB\nMemAvailable: 4194304 kB\n", encoding="ascii")  # 4 GiB
    assert parallel.room_for_a_copy(str(meminfo), str(statm))
    assert parallel.room_for_a_copy(str(tmp_path / "missing"), str(statm))  # unknown: as before


def test_without_room_for_a_copy_everything_stays_here(monkeypatch):
    monkeypatch.setenv("KB_JOBS", "2")
    monkeypatch.setattr(parallel, "room_for_a_copy", lambda *a: False)
    parts = parallel.chunked(lambda a, b: os.getpid(), 1000, min_chunk=10)
    assert set(parts) == {os.getpid()}
    job = parallel.Job(os.getpid)
    assert not job.forked and job.result() == os.getpid()


def _tree(root, files=50):
    for i in range(files):
        (root / f"d{i % 5}").mkdir(parents=True, exist_ok=True)
        (root / f"d{i % 5}" / f"{i}.html").write_text("页", encoding="utf-8")


def _gone(parent, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not list(parent.glob(f"*{parallel.DISCARDED}*")):
            return True
        time.sleep(0.05)
    return False


def test_a_discarded_folder_is_gone_at_once_and_removed_in_the_background(tmp_path, monkeypatch):
    monkeypatch.delenv("KB_NO_FORK", raising=False)
    site = tmp_path / "site.kb-old"
    _tree(site)
    left = tmp_path / f"site.kb-old{parallel.DISCARDED}killed"  # what an earlier, killed removal left
    _tree(left, 5)
    keep = tmp_path / "site"
    _tree(keep, 5)
    parallel.discard(str(site))
    assert not site.exists()
    assert _gone(tmp_path)
    assert len(list(keep.rglob("*.html"))) == 5  # nothing else is touched
    parallel.discard(str(tmp_path / "no-such-folder"))  # nothing to do


def test_without_fork_a_discarded_folder_is_removed_before_the_call_returns(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_NO_FORK", "1")
    site = tmp_path / "site.kb-old"
    _tree(site)
    parallel.discard(str(site))
    assert list(tmp_path.iterdir()) == []


def test_releasing_free_memory_never_fails(monkeypatch):
    parallel.release_free_memory()  # glibc here: the real malloc_trim
    assert parallel._trim
    import ctypes

    def no_libc(*_args, **_kwargs):
        raise OSError("no C library")

    monkeypatch.setattr(parallel, "_trim", None)
    monkeypatch.setattr(ctypes, "CDLL", no_libc)
    parallel.release_free_memory()  # elsewhere: nothing to do
    assert parallel._trim is False
