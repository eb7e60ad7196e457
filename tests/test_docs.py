"""The docs cannot drift from the code: README names every command, the guides every deployment option."""

import re

from click.testing import CliRunner

from conftest import ROOT
from kb.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"


def readme_lines() -> list[str]:
    """Every command line of the README's fenced shell blocks (what .ci/run and the checks read)."""
    blocks = re.findall(r"```(?:bash|sh|shell|console)?\n(.*?)```", README, re.S)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def readme_test_command() -> str:
    return next(line for line in readme_lines() if "pytest" in line)


def test_readme_opens_with_the_two_commands():
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)
    assert blocks[0].strip() == "pip install -e . && mkdocs serve"
    assert blocks[1].strip() == "python3 scripts/test_setup.py && pytest" == readme_test_command()
    top = README[: README.index("## ")]
    assert "site_url" in top and "kb publish" in top  # before deploying: say where the site lives


def test_the_test_command_installs_what_the_tests_need():
    """On a fresh Debian machine the README's test command alone brings the browser, fonts and web server."""
    script = (ROOT / readme_test_command().split()[1]).read_text(encoding="utf-8")
    assert "apt-get" in script and "sudo" in script
    for package in ("chromium", "fonts-noto-cjk", "nginx", "openssl", "nodejs", "npm"):
        assert f'"{package}"' in script, package
    assert '"pip", "install"' in script and '".[test]"' in script
    assert '"npm", "ci"' in script  # axe-core at the version package-lock.json pins


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "README.md" in ci and '"pytest" in l' in ci and 'bash -c "$test_cmd"' in ci
    assert "apt-get" not in ci  # the README's command installs everything; CI adds nothing of its own


def test_every_cli_command_is_documented():
    developers = (DOCS / "developers.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"`kb {name}" in README, f"kb {name} is not in the README"
        assert f"| `kb {name}" in developers, f"kb {name} is not in the developers' command reference"


def test_every_deployment_option_is_in_the_operators_guide():
    operators = (DOCS / "operators.md").read_text(encoding="utf-8")
    for name in ("publish", "rollback", "nginx-config"):
        assert f"kb {name}" in operators
        for param in main.commands[name].params:
            for option in param.opts:
                if option.startswith("--"):
                    assert option in operators, f"kb {name} {option} is not in docs/operators.md"
    for topic in ("site_url", "openssl passwd -apr1", "htpasswd", "apache2-utils", "--allow", "satisfy",
                  "chinesecalendar", "solutions/_registry/laws.yml", "kb rollback"):
        assert topic in operators, topic


def test_guides_for_staff_are_in_the_internal_nav_and_not_the_public_one():
    def nav(config: str) -> str:
        text = (ROOT / config).read_text(encoding="utf-8")
        return text[text.index("\nnav:"):]

    for page in ("operators.md", "developers.md", "writing.md", "benchmarks.md", "usage.md"):
        assert re.search(rf"^\s+- [^:\n]+: {page}$", nav("mkdocs.internal.yml"), re.M), f"{page} is not in the internal nav"
        assert (DOCS / page).is_file()
        in_public = re.search(rf"^\s+- [^:\n]+: {page}$", nav("mkdocs.yml"), re.M)
        assert bool(in_public) == (page == "usage.md"), f"{page}: in the public nav only if it is for citizens"
    for link in re.findall(r"\]\((docs/[\w/]+\.md)", README):
        assert (ROOT / link).is_file(), link


def test_every_command_has_help():
    runner = CliRunner()
    for name in main.commands:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0 and result.output.strip()
