"""The whole site, byte for byte: a refactor or a speed-up must not change one byte of either edition.

``KB_SAME_SITE_REF=<commit>`` compares the working tree's site with the site of an earlier commit, e.g. the one
before a refactor: ``KB_SAME_SITE_REF=218dd4e pytest tests/mkdocs_adapter/test_same_site.py``. Without it, two
builds of the working tree are compared: the build is reproducible, which is what makes such a comparison mean
something (and what a release's checksum relies on).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from conftest import ROOT

CONFIGS = ("mkdocs.yml", "mkdocs.internal.yml")


def _build(project: Path, config: str, out: Path) -> dict[str, bytes]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project / "scripts")}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(out)],
                          cwd=project, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return {f.relative_to(out).as_posix(): f.read_bytes() for f in sorted(out.rglob("*")) if f.is_file()}


def _checkout(ref: str, dest: Path) -> Path:
    archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest


@pytest.mark.slow
@pytest.mark.parametrize("config", CONFIGS)
def test_the_site_is_the_same_as_at_the_reference_commit(tmp_path, config):
    ref = os.environ.get("KB_SAME_SITE_REF", "")
    if ref and subprocess.run(["git", "rev-parse", "--verify", "-q", ref], cwd=ROOT, capture_output=True).returncode:
        pytest.fail(f"KB_SAME_SITE_REF={ref} is not a commit of this repository")
    before = _build(_checkout(ref, tmp_path / "ref") if ref else ROOT, config, tmp_path / "site-ref")
    after = _build(ROOT, config, tmp_path / "site-now")
    assert sorted(after) == sorted(before), (sorted(set(after) ^ set(before))[:20])
    changed = [name for name in sorted(after) if after[name] != before[name]]
    assert changed == [], f"{len(changed)} files differ from {ref or 'another build'}: {changed[:20]}"
