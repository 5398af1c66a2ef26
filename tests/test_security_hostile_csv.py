"""Hostile CSV files: clear errors naming the line, in bounded memory; disguised files named."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from opendata.load import load
from opendata.read import read, sniff
from tests.conftest import run

DATA = "datasets/dinas-uji/jumlah-sekolah/data/sekolah.csv"
HEADER = "kode_wilayah,tahun,jenjang,jumlah\n"
ROW = "5201,2023,SD,412\n"
MEASURE = """
import sys
from click.testing import CliRunner
from opendata.cli import cli
result = CliRunner().invoke(cli, ["build", sys.argv[1], "--out", sys.argv[2]])
print(result.exit_code)
print(result.output)
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so this process would report
# the peak of the test run that started it.
status = open("/proc/self/status").read().split("VmHWM:")[1]
print("PEAK", int(status.split()[0]) // 1024)
"""


def _write(path: Path, *parts: str, repeat: tuple[str, int] = ("", 0)) -> None:
    """Write the parts, then `repeat[0]` `repeat[1]` times, streaming to keep tests small."""
    with path.open("w", encoding="utf-8") as file:
        for part in parts:
            file.write(part)
        text, times = repeat
        block = text * 10_000
        for _ in range(times // 10_000):
            file.write(block)


def _build_measured(root: Path, out: Path) -> tuple[int, list[str], int]:
    """Build in a fresh process; return exit code, output lines and peak memory in MiB."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(root), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    code, *output, peak = done.stdout.strip().splitlines()
    return int(code), output, int(peak.split()[1])


def test_fifty_megabyte_field_names_its_line(catalogue, tmp_path) -> None:
    root = catalogue("minimal")
    _write(root / DATA, HEADER, ROW, "5201,2023,", repeat=("SD", 25_000_000))
    with (root / DATA).open("a") as file:
        file.write(",412\n" + ROW)
    code, lines, peak = _build_measured(root, tmp_path / "site")
    assert code == 1
    assert (
        f"- {DATA}: the row starting on line 3 is longer than 4 MiB. Split very long values "
        "(such as whole documents) into a separate file; a cell of a table holds a value, not "
        "a document."
    ) in lines
    assert peak < 400, f"peak memory {peak} MiB"
    assert not (tmp_path / "site").exists()


def test_twenty_thousand_columns_are_refused(catalogue, tmp_path) -> None:
    root = catalogue("minimal")
    header = ",".join(f"kolom_{i}" for i in range(20_000)) + "\n"
    _write(root / DATA, header, ",".join("1" for _ in range(20_000)) + "\n")
    code, lines, peak = _build_measured(root, tmp_path / "site")
    assert code == 1
    assert (
        f"- {DATA}: the header on line 1 has 20000 columns (at most 5000). Publish such a "
        "table in long form: one row per item and a column naming it."
    ) in lines
    assert peak < 400
    assert not (tmp_path / "site").exists()


def test_unclosed_quote_early_in_a_large_file_names_its_line(catalogue, tmp_path) -> None:
    root = catalogue("minimal")
    _write(root / DATA, HEADER, ROW, '5201,2023,"SD,412\n', repeat=(ROW, 2_000_000))
    assert (root / DATA).stat().st_size > 30 << 20
    code, lines, peak = _build_measured(root, tmp_path / "site")
    assert code == 1
    assert (
        f"- {DATA}: a quoted value opened on line 3 runs past 4 MiB: most likely its closing "
        'quote is missing. Close the quote, or write a quote inside a value as two quotes ("").'
    ) in lines
    assert peak < 400
    assert not (tmp_path / "site").exists()


def test_unclosed_quote_in_a_small_file_names_its_line(catalogue) -> None:
    root = catalogue("minimal")
    _write(root / DATA, HEADER, ROW, ROW, '5201,2024,"SD,415\n', ROW)
    result = run("validate", root)
    assert result.exit_code == 1
    assert (
        f'- {DATA}: a quote (") opened on line 4 is never closed, so the rest of the file '
        'would be one value. Close the quote, or write a quote inside a value as two quotes ("").'
    ) in result.output.splitlines()


def test_quoted_values_with_line_breaks_and_quotes_still_read(catalogue) -> None:
    """Quotes across chunk boundaries, doubled quotes, line breaks in values: no false alarm."""
    root = catalogue("minimal")
    body = '5201,2023,"S""D\nbaris dua",412\n' * 3
    _write(root / DATA, HEADER, body, repeat=('5202,2024,"SMA, ""X""",37\n', 300_000))
    resource = load(root).datasets[0].resources[0]
    table = read(resource, sniff(resource, place=DATA), place=DATA)
    assert sum(batch.num_rows for batch in table.batches) == 300_003


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        (
            "sekolah.csv",
            b"PK\x03\x04" + b"\0" * 64,
            "the file is a ZIP archive (an XLSX workbook is one), not CSV text.",
        ),
        ("sekolah.csv", b"%PDF-1.7\n", "the file is a PDF document, not CSV text."),
        (
            "sekolah.csv",
            b"<!DOCTYPE html><html><body>Login</body></html>",
            "the file is an HTML or XML page, not CSV text.",
        ),
        (
            "sekolah.xlsx",
            b"<!doctype html><html>Not found</html>",
            "the file is an HTML or XML page, not an XLSX workbook.",
        ),
        (
            "sekolah.xlsx",
            HEADER.encode() + ROW.encode(),
            "the file is text (perhaps CSV), not an XLSX workbook.",
        ),
        (
            "sekolah.xlsx",
            b"\xd0\xcf\x11\xe0" + b"\0" * 64,
            "the file is an Excel 97-2003 (.xls) workbook, not an XLSX workbook.",
        ),
        (
            "sekolah.csv",
            b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
            "the file is a PNG image, not CSV text.",
        ),
        ("sekolah.xlsx", b"\xff\xd8\xff\xe0" + b"\0" * 64, "the file is a JPEG image, not an XLSX"),
        (
            "sekolah.csv",
            b"Rar!\x1a\x07\x00" + b"\0" * 64,
            "the file is a RAR archive, not CSV text.",
        ),
    ],
)
def test_content_not_matching_its_extension(catalogue, tmp_path, name, content, what) -> None:
    root = catalogue("minimal")
    folder = root / "datasets/dinas-uji/jumlah-sekolah"
    (folder / "data/sekolah.csv").unlink()
    (folder / "data" / name).write_bytes(content)
    dp = folder / "datapackage.yaml"
    dp.write_text(dp.read_text().replace("data/sekolah.csv", f"data/{name}"))
    result = run("validate", root)
    assert result.exit_code == 1
    assert f"- datasets/dinas-uji/jumlah-sekolah/data/{name}: {what}" in result.output
    assert run("build", root, "--out", tmp_path / "site").exit_code == 1
    assert not (tmp_path / "site").exists()
