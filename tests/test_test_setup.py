"""scripts/test_setup.py decides what to install and how, and says what to do when it cannot.

This shared machine already has every package, and the tests must not install or remove
system packages, so dpkg-query, apt-get and sudo are replaced on PATH by small scripts that
keep a list of "installed" packages and log every call; the script under test runs unchanged.
On this machine the real script also runs as the first half of the README's test command.
"""

from __future__ import annotations

import importlib.util
import os
import stat
import sys
from pathlib import Path

import pytest

from conftest import ROOT

FAKE_DPKG = """#!/bin/sh
pkg=$(echo "$@" | awk '{print $NF}')
if grep -qx "$pkg" "$KB_FAKE_STATE/installed"; then printf 'install ok installed'; exit 0; fi
echo "dpkg-query: no packages found matching $pkg" >&2; exit 1
"""
FAKE_APT = """#!/bin/sh
echo "apt-get $*" >> "$KB_FAKE_STATE/calls"
[ -f "$KB_FAKE_STATE/apt-fails" ] && exit 100
if [ "$1" = install ]; then for a in "$@"; do case "$a" in -*|install) ;; *) echo "$a" >> "$KB_FAKE_STATE/installed";; esac; done; fi
exit 0
"""
FAKE_SUDO = """#!/bin/sh
echo "sudo $1" >> "$KB_FAKE_STATE/calls"
exec "$@"
"""


def load_setup():
    spec = importlib.util.spec_from_file_location("kb_test_setup", ROOT / "scripts" / "test_setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def machine(tmp_path, monkeypatch):
    """A fake Debian: which packages are installed, whether we are root, whether sudo exists."""
    state, bin_dir = tmp_path / "state", tmp_path / "bin"
    state.mkdir()
    bin_dir.mkdir()
    (state / "installed").write_text("openssl\nnginx\n", encoding="utf-8")  # chromium and the fonts are missing
    for name, text in (("dpkg-query", FAKE_DPKG), ("apt-get", FAKE_APT), ("sudo", FAKE_SUDO)):
        (bin_dir / name).write_text(text, encoding="utf-8")
        (bin_dir / name).chmod(0o755 | stat.S_IXUSR)
    monkeypatch.setenv("KB_FAKE_STATE", str(state))
    # only the fakes and the basic tools (awk, grep): no real apt-get, sudo or dpkg-query
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in ("sh", "awk", "grep", "echo", "printf", "cat", "mkdir"):
        for directory in ("/usr/bin", "/bin"):
            if os.path.exists(f"{directory}/{tool}"):
                (tools / tool).symlink_to(f"{directory}/{tool}")
                break
    monkeypatch.setenv("PATH", f"{bin_dir}:{tools}")
    setup = load_setup()

    class Machine:
        module = setup

        def calls(self) -> list[str]:
            path = state / "calls"
            return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

        def installed(self) -> set[str]:
            return set((state / "installed").read_text(encoding="utf-8").split())

        def as_user(self, sudo: bool = True):
            monkeypatch.setattr(os, "geteuid", lambda: 1000)
            if not sudo:
                (bin_dir / "sudo").unlink()

        def apt_fails(self):
            (state / "apt-fails").write_text("", encoding="utf-8")

        def has_programs(self, *names, **scripts):
            """Put programs on the PATH: by name (doing nothing) or with the shell script they run."""
            for name, body in [*((n, "exit 0") for n in names), *scripts.items()]:
                (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
                (bin_dir / name).chmod(0o755)

    monkeypatch.setattr(os, "geteuid", lambda: 0)
    return Machine()


def test_as_root_it_installs_exactly_what_is_missing(machine, capsys):
    assert machine.module.debian_packages() is True
    assert machine.calls() == ["apt-get update -qq", "apt-get install -y -qq chromium fonts-noto-cjk libreoffice-writer-nogui nodejs npm"]
    assert {"chromium", "fonts-noto-cjk", "libreoffice-writer-nogui", "nodejs", "npm"} <= machine.installed()
    out = capsys.readouterr().out
    assert "安装 Debian 软件包：chromium fonts-noto-cjk libreoffice-writer-nogui nodejs npm" in out and "浏览器测试" in out and "axe-core" in out


def test_as_a_user_it_goes_through_sudo(machine):
    machine.as_user(sudo=True)
    assert machine.module.debian_packages() is True
    assert machine.calls() == ["sudo apt-get", "apt-get update -qq", "sudo apt-get",
                               "apt-get install -y -qq chromium fonts-noto-cjk libreoffice-writer-nogui nodejs npm"]


def test_without_root_or_sudo_it_says_what_to_install(machine, capsys):
    machine.as_user(sudo=False)
    assert machine.module.debian_packages() is False
    assert machine.calls() == []
    out = capsys.readouterr().out
    assert "当前不是 root，也没有 sudo" in out
    assert "apt-get update && apt-get install -y chromium fonts-noto-cjk libreoffice-writer-nogui nodejs npm" in out
    assert "chromium：浏览器测试" in out and "fonts-noto-cjk：浏览器测试里的中文字体" in out
    assert "npm：按 package-lock.json 安装 axe-core" in out


def test_a_failing_apt_get_is_reported_not_hidden(machine, capsys):
    machine.apt_fails()
    assert machine.module.debian_packages() is False
    out = capsys.readouterr().out
    assert "命令失败：apt-get update -qq" in out and "apt-get install -y chromium fonts-noto-cjk libreoffice-writer-nogui nodejs npm" in out


def test_nothing_is_installed_when_nothing_is_missing(machine, capsys):
    (Path(os.environ["KB_FAKE_STATE"]) / "installed").write_text("\n".join(machine.module.PACKAGES), encoding="utf-8")
    machine.has_programs("node", "npm")  # from Debian or from elsewhere: either serves
    assert machine.module.debian_packages() is True
    assert machine.calls() == [] and "Debian 软件包齐全" in capsys.readouterr().out


def test_node_and_npm_come_from_debian_only_when_absent(machine):
    (Path(os.environ["KB_FAKE_STATE"]) / "installed").write_text("\n".join(machine.module.PACKAGES) + "\n",
                                                               encoding="utf-8")
    machine.has_programs("node")
    assert machine.module.debian_packages() is True
    assert machine.calls() == ["apt-get update -qq", "apt-get install -y -qq npm"]


def test_npm_ci_runs_when_node_modules_lacks_the_locked_version(machine, tmp_path, monkeypatch, capsys):
    root = tmp_path / "root"
    root.mkdir()
    (root / "package-lock.json").write_text(
        '{"packages": {"": {}, "node_modules/axe-core": {"version": "4.10.3"}}}', encoding="utf-8")
    monkeypatch.setattr(machine.module, "ROOT", root)
    machine.has_programs(npm='echo "npm $*" >> "$KB_FAKE_STATE/calls"; mkdir -p node_modules/axe-core; '
                             'echo \'{"version": "4.10.3"}\' > node_modules/axe-core/package.json')
    assert machine.module.node_packages() is True
    assert machine.calls() == ["npm ci --no-audit --no-fund"]
    assert "axe-core@4.10.3" in capsys.readouterr().out
    assert machine.module.node_packages() is True  # now in place: nothing more to do
    assert machine.calls() == ["npm ci --no-audit --no-fund"]
    (root / "node_modules" / "axe-core" / "package.json").write_text('{"version": "4.9.0"}', encoding="utf-8")
    assert machine.module.node_packages() is True  # another version: installed again
    assert len(machine.calls()) == 2


def test_a_failing_npm_ci_is_reported(machine, tmp_path, monkeypatch, capsys):
    root = tmp_path / "root"
    root.mkdir()
    (root / "package-lock.json").write_text('{"packages": {"node_modules/axe-core": {"version": "4.10.3"}}}',
                                            encoding="utf-8")
    monkeypatch.setattr(machine.module, "ROOT", root)
    machine.has_programs(npm="exit 1")
    assert machine.module.node_packages() is False
    assert "npm 安装失败：npm ci" in capsys.readouterr().out


def test_python_packages_go_into_a_virtual_environment_only(machine, monkeypatch, capsys):
    monkeypatch.setattr(sys, "prefix", sys.base_prefix)
    monkeypatch.delenv("KB_ALLOW_SYSTEM_PIP", raising=False)
    assert machine.module.python_packages() is False
    assert "python3 -m venv .venv && . .venv/bin/activate" in capsys.readouterr().out

