"""Shared test helpers: fixture catalogues copied into tmp_path and the real CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from opendata import i18n
from opendata.cli import cli

CATALOGUES = Path(__file__).parent / "catalogues"


def run(*args: str | Path) -> Result:
    """Invoke the real CLI; exceptions other than SystemExit fail the test."""
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def catalogue(tmp_path: Path):
    """Return a function that copies a named fixture catalogue into tmp_path."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(CATALOGUES / name, target, symlinks=True)
        return target

    return copy


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")  # 2024-06-01


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English unless a test asks otherwise, whatever the machine's locale."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    i18n.use("en")
