"""kb check on two processes: each record's own problems computed in a forked worker are the same, in the same
order, as on one process — with records that have problems of every kind (the invalid examples)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import FIXTURES, ROOT, registry_only


def _check(root, jobs: str) -> str:
    env = {**os.environ, "KB_JOBS": jobs, "KB_SHARE_SMALL": "1", "KB_CACHE": "off", "PYTHONPATH": str(ROOT / "scripts")}
    done = subprocess.run([sys.executable, "-m", "kb", "--root", str(root), "check"], capture_output=True, text=True,
                          env=env)
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def test_the_problems_on_two_processes_are_those_on_one(tmp_path):
    root = registry_only(tmp_path / "kb")
    for source in sorted((FIXTURES / "invalid").glob("*.yml"))[:60] + sorted((FIXTURES / "valid").glob("*.yml")):
        shutil.copy(source, root / "solutions" / source.name)
    one, two = _check(root, "1"), _check(root, "2")
    assert one.count("\n") > 60 and two == one
