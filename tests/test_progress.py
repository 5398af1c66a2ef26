"""Progress bars on a terminal only; a summary table at the end of every build, failed or not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import run


def summary_rows(output: str) -> dict[str, str]:
    """Read the summary table back: its label → value rows."""
    rows = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip("│ ").split("│")]
        if len(cells) == 2 and cells[0]:
            rows[cells[0]] = cells[1]
    return rows


def test_a_build_ends_with_its_summary_and_draws_no_bars_off_a_terminal(
    catalogue, tmp_path: Path
) -> None:
    result = run("build", catalogue("minimal"), "--out", tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert "Build summary" in result.output
    rows = summary_rows(result.output)
    assert {k: rows[k] for k in ("datasets published", "datasets refused", "rows", "errors")} == {
        "datasets published": "1",
        "datasets refused": "0",
        "rows": "4",
        "errors": "0",
    }
    assert [k for k in rows if k.startswith("time: ")] == [
        "time: check and convert",
        "time: render",
        "time: publish",
    ]
    assert "━" not in result.output  # no progress bar in a log
    assert "\x1b[" not in result.output  # nor a terminal's control codes


def test_a_refused_build_still_shows_what_it_checked(catalogue, tmp_path: Path) -> None:
    result = run("build", catalogue("invalid-data"), "--out", tmp_path / "site", "--lang", "id")
    assert result.exit_code == 1
    assert "Ringkasan build" in result.output
    rows = summary_rows(result.output)
    assert rows["dataset diterbitkan"] == "0"
    assert rows["dataset ditolak"] == "1"
    assert rows["galat"] == "1"
    assert "1 galat validasi (type-error)." in result.output
    assert not (tmp_path / "site").exists()


def test_personal_data_counts_as_errors_and_valid_datasets_as_held_back(
    catalogue, tmp_path: Path
) -> None:
    result = run("build", catalogue("hostile-personal-data"), "--out", tmp_path / "site")
    assert result.exit_code == 1, result.output
    rows = summary_rows(result.output)
    assert (rows["datasets refused"], rows["valid datasets held back"]) == ("1", "1")
    assert rows["errors"] == "8"
    assert "Error: 8 problems found:" in result.output


def test_a_terminal_gets_a_bar_per_stage(catalogue, tmp_path: Path) -> None:
    controller, terminal = os.openpty()
    opendata = Path(sys.executable).with_name("opendata")  # the installed command
    with subprocess.Popen(
        [opendata, "build", catalogue("minimal"), "--out", tmp_path / "site", "--lang", "en"],
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    ) as build:
        os.close(terminal)
        drawn = b""
        while chunk := _read(controller):
            drawn += chunk
        assert build.wait(timeout=120) == 0
    os.close(controller)
    assert b"check and convert" in drawn
    assert b"render" in drawn
    assert b"publish" in drawn


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # the terminal closes when the build ends
        return b""
