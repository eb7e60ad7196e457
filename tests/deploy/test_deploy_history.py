"""kb publish / kb rollback in sequence: rollback goes back along what was live, pruning never takes
what a rollback would go to. The builds are stand-ins (a file per edition), so hundreds of sequences run
in seconds; tests/test_deploy.py runs the real builds."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from kb.deploy import publish as deploy


@pytest.fixture(autouse=True)
def stand_in_builds(monkeypatch):
    def build(project, config, out):
        out.mkdir(parents=True)
        (out / "index.html").write_text(config, encoding="utf-8")
        return 0, ""

    monkeypatch.setattr(deploy, "_build", build)
    monkeypatch.setattr(deploy, "_check_project", lambda project: None)


class Clock:
    """A publish a minute, from a fixed day (never today)."""

    def __init__(self):
        self.at = dt.datetime(2026, 3, 1, 9, 0, 0)

    def __call__(self) -> dt.datetime:
        self.at += dt.timedelta(minutes=1)
        return self.at


def live(www: Path) -> str:
    return os.readlink(www / "current").removeprefix("releases/")


def on_disk(www: Path) -> set[str]:
    return {p.name for p in (www / "releases").iterdir() if not p.name.startswith(".")}


# Each sequence: P = publish, R = rollback; the expected live release after each step, naming the
# releases by the order they were published (1 = the first), and the releases left on disk at the end.
SEQUENCES = [
    ("P P R", [1, 2, 1], {1, 2}),
    ("P P R P R", [1, 2, 1, 3, 1], {1, 3}),  # issue #26: not back to 2, the release abandoned
    ("P P P R R", [1, 2, 3, 2, 1], {1, 2, 3}),
    ("P P P R P R R", [1, 2, 3, 2, 4, 2, 1], {1, 2, 4}),
    ("P R", [1, "error"], {1}),
    ("P P R R", [1, 2, 1, "error"], {1, 2}),
    ("P P P P P P P", [1, 2, 3, 4, 5, 6, 7], {3, 4, 5, 6, 7}),  # --keep 5
    ("P P P P P P P R R R R R", [1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, "error"], {3, 4, 5, 6, 7}),
]


@pytest.mark.parametrize("steps, lives, left", SEQUENCES)
def test_sequences_of_publish_and_rollback(tmp_path, steps, lives, left):
    www, clock, made = tmp_path / "www", Clock(), []
    for step, expected in zip(steps.split(), lives):
        if step == "P":
            made.append(deploy.publish(tmp_path, www, say=lambda line: None, now=clock).release.name)
        elif expected == "error":
            before = live(www)
            with pytest.raises(deploy.DeployError, match="已是最早的版本"):
                deploy.rollback(www)
            assert live(www) == before
            continue
        else:
            deploy.rollback(www)
        assert live(www) == made[expected - 1], steps
    assert on_disk(www) == {made[n - 1] for n in left}


def test_a_target_published_before_the_history_rolls_back_by_name(tmp_path):
    www, clock = tmp_path / "www", Clock()
    names = [deploy.publish(tmp_path, www, say=lambda line: None, now=clock).release.name for _ in range(3)]
    (www / deploy.HISTORY).unlink()
    assert deploy.rollback(www) == (names[2], names[1])
    assert deploy.rollback(www) == (names[1], names[0])


def test_a_history_behind_current_is_caught_up(tmp_path):
    """A publish that switched but died before writing the history; a link changed by hand."""
    www, clock = tmp_path / "www", Clock()
    first, second = (deploy.publish(tmp_path, www, say=lambda line: None, now=clock).release.name for _ in range(2))
    (www / deploy.HISTORY).write_text(f"{first}\n", encoding="utf-8")
    assert deploy.rollback(www) == (second, first)
    # a rollback that switched but died before rewriting the history: current wins
    deploy._switch(deploy.Target(www), second)
    (www / deploy.HISTORY).write_text(f"{first}\n{second}\nnot-a-release\n", encoding="utf-8")
    deploy._switch(deploy.Target(www), first)
    assert deploy._history(deploy.Target(www)) == [first]


class PublishAndRollback(RuleBasedStateMachine):
    """Against a model: a stack of what was live, cut to --keep at each publish."""

    def __init__(self):
        super().__init__()
        import tempfile

        self.tmp = Path(tempfile.mkdtemp(prefix="kb-deploy-"))
        self.www = self.tmp / "www"
        self.clock = Clock()
        self.stack: list[str] = []
        self.abandoned: set[str] = set()

    def teardown(self):
        import shutil

        shutil.rmtree(self.tmp, ignore_errors=True)

    @rule(keep=st.integers(min_value=1, max_value=4))
    def publish(self, keep):
        result = deploy.publish(self.tmp, self.www, keep=keep, say=lambda line: None, now=self.clock)
        assert result.previous == (self.stack[-1] if self.stack else None)
        self.stack = (self.stack + [result.release.name])[-keep:]
        assert set(result.removed).isdisjoint(self.stack)
        self.abandoned = set()

    @precondition(lambda self: self.stack)
    @rule()
    def rollback(self):
        if len(self.stack) < 2:
            with pytest.raises(deploy.DeployError):
                deploy.rollback(self.www)
            return
        was, now = deploy.rollback(self.www)
        assert (was, now) == (self.stack[-1], self.stack[-2])
        self.abandoned.add(self.stack.pop())

    @invariant()
    def live_is_the_top_and_every_rollback_target_is_there(self):
        if not self.stack:
            return
        assert live(self.www) == self.stack[-1]
        assert (self.www / "current" / "public" / "index.html").is_file()
        assert on_disk(self.www) == set(self.stack) | self.abandoned


TestPublishAndRollback = PublishAndRollback.TestCase
TestPublishAndRollback.settings = settings(max_examples=60, stateful_step_count=15, deadline=None,
                                           suppress_health_check=[HealthCheck.function_scoped_fixture])
