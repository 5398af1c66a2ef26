"""Formula-like cells and small counts of people are shown as warnings, with row and column."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import run

DATASET = "datasets/dinas-uji/jumlah-sekolah"
CSV = f"{DATASET}/data/sekolah.csv"
FORMULAS = ("=1+1", "@SUM(A1)", "+62 812", "-2+3", "\tTAB")


def risky(root: Path, formulas: int = len(FORMULAS)) -> None:
    """Give the dataset formula-like cells in a text column and small counts of people."""
    schema = root / "schemas/sekolah.yaml"
    text = schema.read_text().replace("    constraints: {enum: [SD, SMP, SMA]}\n", "")
    schema.write_text(text.replace("name: jumlah\n", "name: jumlah_penduduk\n"))
    lines = (root / CSV).read_text().splitlines()
    lines[0] = lines[0].replace("jumlah", "jumlah_penduduk")
    lines += [f'5209,2020,"{cell}",{100 + i}' for i, cell in enumerate(FORMULAS[:formulas])]
    lines += ["5209,2021,SD,1", "5209,2022,SD,2"]
    (root / CSV).write_text("\n".join(lines) + "\n")


def summary_warnings(output: str) -> int:
    """Return the warnings row of the build summary table."""
    found = re.findall(r"^\W*warnings\W+(\d+)\W*$", output, flags=re.MULTILINE)
    assert len(found) == 1, output
    return int(found[0])


def test_build_shows_warnings_with_rows_columns_and_the_fix(catalogue, tmp_path: Path) -> None:
    root = catalogue("minimal")
    risky(root)
    rows = len((root / CSV).read_text().splitlines())
    result = run("build", root, "--out", tmp_path / "site")
    assert result.exit_code == 0, result.output
    place = "datasets/dinas-uji/jumlah-sekolah/data/sekolah.csv"
    first = rows - len(FORMULAS) - 2 + 1  # the first formula row, the header being row 1
    formula_rows = ", ".join(str(first + i) for i in range(len(FORMULAS)))
    assert (
        f'warning: {place}, column "jenjang", rows {formula_rows}: '
        "5 × starts with = + - @ or a tab: a spreadsheet may run it, "
        "e.g. '=1+1', '@SUM(A1)', '+62 812'"
    ) in result.output
    assert "Fix: Nothing to do if the text is meant" in result.output
    assert (
        f'warning: {place}, column "jumlah_penduduk", rows {rows - 1}, {rows}: '
        "2 × a count of 1 or 2 people can identify them, e.g. '1', '2'"
    ) in result.output
    assert "Fix: Counts of 1 or 2 people can identify them" in result.output
    assert summary_warnings(result.output) == 7  # five formula cells and two small counts
    published = (tmp_path / "site/dinas-uji/jumlah-sekolah/2024.1/sekolah.csv").read_text()
    assert '"=1+1"' in published or "=1+1" in published  # kept exactly, only warned about


def test_publish_and_validate_show_the_same_warnings(catalogue, tmp_path: Path) -> None:
    root = catalogue("minimal")
    risky(root, formulas=1)
    for args in (("publish", root, "--to", tmp_path / "site"), ("validate", root)):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert 'column "jenjang", row ' in result.output
        assert "1 × starts with = + - @ or a tab" in result.output
        assert 'column "jumlah_penduduk", rows ' in result.output


def test_a_clean_build_has_no_warnings(catalogue, tmp_path: Path) -> None:
    root = catalogue("minimal")
    result = run("build", root, "--out", tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.output
    assert summary_warnings(result.output) == 0


def test_spaces_before_a_formula_do_not_hide_it(catalogue, tmp_path: Path) -> None:
    """Spreadsheets trim leading spaces, then run the formula; a negative number is no formula."""
    root = catalogue("minimal")
    schema = root / "schemas/sekolah.yaml"
    schema.write_text(schema.read_text().replace("    constraints: {enum: [SD, SMP, SMA]}\n", ""))
    cells = ('  =HYPERLINK("http://x")', " @SUM(A1)", "   +1", "-", "-5", "  -3", " -1.5")
    lines = (root / CSV).read_text().splitlines()
    quoted = ['"' + cell.replace('"', '""') + '"' for cell in cells]
    lines += [f"5209,{2010 + i},{cell},{100 + i}" for i, cell in enumerate(quoted)]
    (root / CSV).write_text("\n".join(lines) + "\n")
    first = len(lines) - len(cells) + 1  # the row of the first added cell
    result = run("build", root, "--out", tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert (
        f'warning: {CSV}, column "jenjang", rows {first}, {first + 1}, {first + 2}: '
        "3 × starts with = + - @ or a tab: a spreadsheet may run it, "
        "e.g. '  =HYPERLINK(\"http://x\")', ' @SUM(A1)', '   +1'"
    ) in result.output
    assert summary_warnings(result.output) == 3  # not "-", "-5", "  -3" nor " -1.5"
