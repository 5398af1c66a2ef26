"""Every command has help and is documented; every problem type is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendata.cli import cli
from opendata.errors import DATA_ERRORS, PROBLEMS
from tests.conftest import run

ROOT = Path(__file__).parent.parent
PROBLEMS_DOC = (ROOT / "docs/problems.md").read_text()


@pytest.mark.parametrize("slug", sorted(PROBLEMS) + sorted(DATA_ERRORS))
def test_problem_is_documented(slug: str) -> None:
    assert f"| `{slug}` |" in PROBLEMS_DOC


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_has_help_example_and_docs(name: str) -> None:
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Example: opendata " + name in result.output
    assert f"opendata {name}" in (ROOT / "README.md").read_text()
    for option in cli.commands[name].params:
        if option.param_type_name == "option":
            assert option.help, f"{name} {option.name} has no help"


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in block.strip().splitlines()] == [
        ["make", "site"],
        ["make", "test"],
    ]
