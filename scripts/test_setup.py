"""Install everything the tests need, on a fresh Debian machine too; the README's test command runs it before pytest.

    python3 scripts/test_setup.py && pytest

- Debian packages (apt-get, with sudo when not root): ``chromium`` and ``fonts-noto-cjk``
  for the browser tests (tests/browser.py drives /usr/bin/chromium; browsers are never
  downloaded), ``nginx`` for the web-server tests (tests/deploy/test_nginx.py), ``libreoffice-writer-nogui``
  for the Word documents as an office suite lays them out (tests/office/test_docx_libreoffice.py) and ``openssl``
  for their htpasswd file. When they cannot be installed, a Chinese message says what to
  install and the exit code is 1.
- ``nodejs`` and ``npm`` from Debian when there is no ``node`` or ``npm`` on the PATH, then
  ``npm ci`` (the versions in package-lock.json) when ``node_modules`` lacks them: axe-core for
  the accessibility tests (tests/a11y.py); it is injected by the tests, never part of the site.
- The project with its test dependencies (``pip install -e ".[test]"``) into the Python
  environment that runs this script: run it with the virtual environment's python.

Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Debian package -> why the tests need it
PACKAGES = {
    "chromium": "浏览器测试（无头 Chromium）",
    "fonts-noto-cjk": "浏览器测试里的中文字体（卡片打印、页面排版）",
    "nginx": "Web 服务器测试（kb nginx-config）",
    "openssl": "生成 htpasswd 口令文件（nginx 测试）",
    "libreoffice-writer-nogui": "在办公软件里检查导出的 Word 文档（LibreOffice 转 PDF：目录页码、表格列宽、页数）",
}
#: Debian package -> (the program it brings, why): installed only when that program is not on the PATH
PROGRAMS = {
    "nodejs": ("node", "运行 npm 和 axe-core 的安装脚本（无障碍测试）"),
    "npm": ("npm", "按 package-lock.json 安装 axe-core（无障碍测试）"),
}


def say(message: str) -> None:
    print(f"[测试准备] {message}", flush=True)


def installed(package: str) -> bool:
    """Whether a Debian package is installed (dpkg's own record, not a guess from file names)."""
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return result.returncode == 0 and result.stdout.strip().endswith(" installed")


def as_root(command: list[str]) -> list[str] | None:
    """The command run as root: directly when we are root, through sudo otherwise; None when neither is possible."""
    if os.geteuid() == 0:
        return command
    if shutil.which("sudo"):
        return ["sudo", *command]
    return None


def why(package: str) -> str:
    return PACKAGES[package] if package in PACKAGES else PROGRAMS[package][1]


def manual_hint(missing: list[str]) -> str:
    lines = [f"  {name}：{why(name)}" for name in missing]
    return ("缺少测试需要的 Debian 软件包：\n" + "\n".join(lines)
            + f"\n请用 root 运行：apt-get update && apt-get install -y {' '.join(missing)}\n然后重新运行测试命令。")


def debian_packages() -> bool:
    if not shutil.which("dpkg-query") or not shutil.which("apt-get"):
        needed = {"chromium": "/usr/bin/chromium", "nginx": "nginx", "openssl": "openssl", "soffice": "soffice",
                  "node": "node", "npm": "npm"}
        absent = [name for name, program in needed.items() if not shutil.which(program)]
        if absent:
            say(f"这台机器不是 Debian（没有 apt-get）。测试需要：{'、'.join(absent)}，以及中文字体 Noto CJK；请用本机的包管理器安装。")
            return False
        return True
    missing = [name for name in PACKAGES if not installed(name)]
    missing += [name for name, (program, _) in PROGRAMS.items() if not shutil.which(program)]
    if not missing:
        say("Debian 软件包齐全：" + "、".join(PACKAGES) + "；node 和 npm 已有")
        return True
    say("安装 Debian 软件包：" + " ".join(missing) + "（" + "；".join(why(name) for name in missing) + "）")
    update, install = as_root(["apt-get", "update", "-qq"]), as_root(["apt-get", "install", "-y", "-qq", *missing])
    if update is None or install is None:
        say("当前不是 root，也没有 sudo，无法自动安装。\n" + manual_hint(missing))
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (update, install):
        if subprocess.run(command, env=env).returncode != 0:
            say(f"命令失败：{' '.join(command)}\n" + manual_hint(missing))
            return False
    still = [name for name in missing if not installed(name)]
    if still:
        say(manual_hint(still))
        return False
    return True


def python_packages() -> bool:
    if sys.prefix == sys.base_prefix and not os.environ.get("KB_ALLOW_SYSTEM_PIP"):
        say("请在虚拟环境里运行（不往系统 Python 里装包）：\n"
            "  python3 -m venv .venv && . .venv/bin/activate\n然后重新运行测试命令。")
        return False
    say(f"安装本项目和测试依赖到 {sys.prefix}（pip install -e \".[test]\"）")
    command = [sys.executable, "-m", "pip", "install", "-q", "-e", ".[test]"]
    if subprocess.run(command, cwd=ROOT).returncode != 0:
        say(f"pip 安装失败：{' '.join(command)}（上面是 pip 的输出）")
        return False
    return True


def node_packages() -> bool:
    """``npm ci`` when node_modules lacks a package of package-lock.json or holds another version of it."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    stale = []
    for path, entry in lock.get("packages", {}).items():
        if not path:
            continue
        installed_json = ROOT / path / "package.json"
        try:
            version = json.loads(installed_json.read_text(encoding="utf-8")).get("version")
        except (OSError, ValueError):
            version = None
        if version != entry.get("version"):
            stale.append(f"{path.removeprefix('node_modules/')}@{entry.get('version')}")
    if not stale:
        say("npm 测试依赖齐全（package-lock.json）")
        return True
    say("安装 npm 测试依赖：" + " ".join(stale) + "（npm ci，版本按 package-lock.json）")
    command = ["npm", "ci", "--no-audit", "--no-fund"]
    if not shutil.which("npm") or subprocess.run(command, cwd=ROOT).returncode != 0:
        say(f"npm 安装失败：{' '.join(command)}（在 {ROOT} 里运行；需要 Debian 软件包 nodejs 和 npm）")
        return False
    return True


def main() -> int:
    ok = debian_packages() and python_packages() and node_packages()
    if ok:
        say("准备好了，开始运行 pytest。")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
