"""Hostile workbooks: ZIP bombs and XML entity bombs are refused before parsing, in bounded memory."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run

openpyxl = pytest.importorskip("openpyxl")

DATASET = "datasets/dinas-uji/jumlah-sekolah"
PLACE = f"{DATASET}/data/sekolah.xlsx"
SHEET = "xl/worksheets/sheet1.xml"
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>
"""


def _workbook(root: Path) -> Path:
    """Turn the minimal catalogue's CSV into an XLSX resource; return the workbook's path."""
    folder = root / DATASET
    book = openpyxl.Workbook()
    for line in (folder / "data/sekolah.csv").read_text().splitlines():
        book.active.append([int(c) if c.isdigit() else c for c in line.split(",")])
    path = folder / "data/sekolah.xlsx"
    book.save(path)
    (folder / "data/sekolah.csv").unlink()
    dp = folder / "datapackage.yaml"
    dp.write_text(dp.read_text().replace("data/sekolah.csv", "data/sekolah.xlsx"))
    return path


def _rewrite(path: Path, member: str, write) -> None:
    """Copy the workbook, giving `member` the content `write(stream)` produces."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            if info.filename == member:
                with out.open(member, "w") as stream:
                    write(stream)
            else:
                out.writestr(info, source.read(info))


def _zeros(size: int):
    def write(stream) -> None:
        chunk = b"\0" * (1 << 20)
        for _ in range(size >> 20):
            stream.write(chunk)

    return write


def _lie_about_size(path: Path, member: str, declared: int) -> None:
    """Patch the local and central headers so `member` claims `declared` bytes unpacked."""
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    name = member.encode()
    for start in _all(data, b"PK\x01\x02"):
        if data[start + 46 : start + 46 + len(name)] == name:
            struct.pack_into("<I", data, start + 24, declared)
    path.write_bytes(bytes(data))


def _all(data: bytearray, mark: bytes):
    at = data.find(mark)
    while at >= 0:
        yield at
        at = data.find(mark, at + 1)


MEASURE = """
import sys
from click.testing import CliRunner
from opendata.cli import cli
result = CliRunner().invoke(cli, ["validate", sys.argv[1]])
print(result.exit_code)
print(result.output)
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so this process would report
# the peak of the test run that started it.
status = open("/proc/self/status").read().split("VmHWM:")[1]
print("PEAK", int(status.split()[0]) // 1024)
"""


def _validate_measured(root: Path) -> tuple[int, str, int]:
    """Validate in a fresh process; return exit code, output and peak memory in MiB."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    code, *output, peak = done.stdout.strip().splitlines()
    return int(code), "\n".join(output), int(peak.split()[1])


def test_valid_workbook_still_reads(catalogue) -> None:
    root = catalogue("minimal")
    _workbook(root)
    assert run("validate", root).exit_code == 0


def test_honest_zip_bomb_is_refused_from_its_declared_size(catalogue, tmp_path) -> None:
    root = catalogue("minimal")
    path = _workbook(root)
    _rewrite(path, SHEET, _zeros(300 << 20))
    assert path.stat().st_size < 2 << 20
    code, output, peak = _validate_measured(root)
    assert code == 1
    assert (
        f'- {PLACE}: "{SHEET}" unpacks to 300 MiB (at most 256 MiB). Open the file in a '
        "spreadsheet program and save it again as XLSX; never publish a file you did not make."
    ) in output.splitlines()
    assert peak < 400, f"peak memory {peak} MiB"
    out = tmp_path / "site"
    assert run("build", root, "--out", out).exit_code == 1
    assert not out.exists()


def test_compression_ratio_bomb_is_refused(catalogue) -> None:
    root = catalogue("minimal")
    path = _workbook(root)
    _rewrite(path, SHEET, _zeros(64 << 20))
    code, output, peak = _validate_measured(root)
    assert code == 1
    assert f'- {PLACE}: "{SHEET}" is compressed ' in output
    assert "times (at most 200): a ZIP bomb, not a spreadsheet." in output
    assert peak < 400


def test_zip_that_lies_about_its_sizes_is_refused_without_unpacking_it(catalogue) -> None:
    root = catalogue("minimal")
    path = _workbook(root)
    _rewrite(path, SHEET, _zeros(64 << 20))
    _lie_about_size(path, SHEET, 4096)  # declares 4 KiB, holds 64 MiB
    code, output, peak = _validate_measured(root)
    assert code == 1
    assert f"- {PLACE}: the workbook's ZIP archive is damaged or its sizes are false (" in output
    assert peak < 400


def test_xml_entity_bomb_is_refused_before_parsing(catalogue) -> None:
    root = catalogue("minimal")
    path = _workbook(root)
    _rewrite(path, SHEET, lambda stream: stream.write(LAUGHS.encode()))
    code, output, peak = _validate_measured(root)
    assert code == 1
    assert (
        f'- {PLACE}: "{SHEET}" declares XML entities (a DTD): an XML bomb, not a spreadsheet.'
    ) in output
    assert peak < 400
