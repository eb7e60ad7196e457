"""The docs cannot drift from the code: README names every command and both editions."""

import re

from click.testing import CliRunner

from conftest import ROOT
from kb.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)
    assert blocks[0].strip() == "pip install -e . && mkdocs serve"
    assert blocks[1].strip() == "pip install -e '.[test]' && pytest"


def test_every_cli_command_is_documented():
    for name in main.commands:
        assert f"`kb {name}" in README, f"kb {name} is not in the README"


def test_every_command_has_help():
    runner = CliRunner()
    for name in main.commands:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0 and result.output.strip()


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pytest" in ci and "README.md" in ci and "chromium" in ci
