"""The XLSX download: every value read back by two independent readers, as typed."""

from __future__ import annotations

import csv
import json
import math
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl.utils.escape import unescape
from python_calamine import CalamineWorkbook

from opendata.convert.write import WRITERS
from opendata.convert.xlsx import CELL_LIMIT, TRUNCATED
from tests.conftest import run

STRINGS = [
    "a & b < c > d \"q\" 'p'",
    '=HYPERLINK("http://x.example","klik")',
    "+62 (kode negara)",
    "-1+2",
    "@SUM(A1)",
    "\t=1+1",
    "=1+1",
    "😀 Jl. Merdeka No. 5, Kecamatan Sukajadi — jumlah ≥ 5%",
    "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Lombok Barat",
    "ctl\x01\x07\x0b\x0c\x1f end",
    "line1\r\nline2\rline3\nline4",
    "_x0041_ stays literal",
    "  spaces kept  ",
    "</t></is></c><c><f>1+1</f></c>",
    "",
    None,
]
SCHEMA = pa.schema(
    [
        ("s", pa.string()),
        ("i", pa.int64()),
        ("x", pa.float64()),
        ("b", pa.bool_()),
        ("d", pa.date32()),
        ("t", pa.timestamp("s")),
    ],
    metadata={b"opendata.dataset": json.dumps({"modified": "2024-05-31"}).encode()},
)
INTS = [0, 1, -7, 2**53, -(2**53), 2**53 + 1, 2**63 - 1, -(2**63), 10**15 + 3, 2024]
FLOATS = [0.1, 1e20, -2.5, 1e-7, -0.0, 123456.789, float("nan"), float("inf"), -float("inf")]
DATES = [date(2024, 1, 2), date(1900, 1, 1), date(1900, 2, 28), date(1900, 3, 1)]
DATES += [date(9999, 12, 31), date(1899, 12, 31), date(1, 1, 1), date(1970, 1, 1)]
TIMES = [datetime(2024, 1, 2, 12, 34, 56), datetime(1900, 2, 28, 23, 59, 59)]
TIMES += [datetime(1900, 3, 1, 0, 0, 1), datetime(9999, 12, 31, 23, 59, 59)]
TIMES += [datetime(1899, 12, 31, 23, 0), datetime(2000, 1, 1), datetime(2023, 6, 30, 0, 0, 1)]


def column(values: list, size: int) -> list:
    """Repeat `values` to `size` items, with a null every seventh row."""
    return [None if i % 7 == 6 else values[i % len(values)] for i in range(size)]


def table(size: int = 40) -> pa.Table:
    columns = [STRINGS, INTS, FLOATS, [True, False], DATES, TIMES]
    arrays = [pa.array(column(v, size), f.type) for v, f in zip(columns, SCHEMA, strict=True)]
    return pa.Table.from_arrays(arrays, schema=SCHEMA)


def write(path: Path, source: pa.Table, batch_rows: int = 16) -> Path:
    with WRITERS["xlsx"](path, source.schema) as writer:
        for batch in source.to_batches(max_chunksize=batch_rows):
            writer.write(batch)
    return path


def expected(value: object) -> tuple[str, object]:
    """Return the (kind, value) a reader should find for a typed source value."""
    if value is None or value == "":
        return ("none", None)  # Excel has no empty text cell: "" reads as no value
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("number", value) if abs(value) <= 2**53 else ("text", str(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            return ("text", {"inf": "INF", "-inf": "-INF"}.get(str(value), "NaN"))
        return ("number", value)
    if isinstance(value, datetime):
        inside = datetime(1900, 1, 1) <= value
        return ("date", value) if inside else ("text", value.isoformat())
    if isinstance(value, date):
        inside = date(1900, 1, 1) <= value
        return (
            ("date", datetime(value.year, value.month, value.day))
            if inside
            else ("text", str(value))
        )
    if isinstance(value, str) and len(value.encode("utf-16-le")) // 2 > CELL_LIMIT:
        return ("text", "truncated")
    return ("text", value)


def found(value: object) -> tuple[str, object]:
    """Return a reader's value as (kind, value), whichever reader it came from."""
    if value is None or value == "":
        return ("none", None)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", value)
    if isinstance(value, datetime):
        return ("date", value)
    if isinstance(value, date):  # calamine gives a date when the time is midnight
        return ("date", datetime(value.year, value.month, value.day))
    return ("text", value)


def by_openpyxl(path: Path) -> list[list[tuple[str, object]]]:
    """Read every cell with openpyxl, which leaves Excel's _xHHHH_ escapes to the caller."""
    sheet = openpyxl.load_workbook(path).active
    rows = []
    for row in sheet.iter_rows(min_col=1, max_col=sheet.max_column):
        assert all(cell.data_type != "f" for cell in row)  # never a formula
        rows.append([found(unescape(c.value) if c.data_type == "s" else c.value) for c in row])
    return rows


def by_calamine(path: Path) -> list[list[tuple[str, object]]]:
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return [[found(value) for value in row] for row in sheet.to_python(skip_empty_area=False)]


@pytest.mark.parametrize("reader", [by_openpyxl, by_calamine])
def test_every_value_reads_back_as_its_type(tmp_path: Path, reader) -> None:
    source = table()
    rows = reader(write(tmp_path / "t.xlsx", source))
    assert rows[0] == [("text", name) for name in SCHEMA.names]
    want = [[expected(v) for v in row.values()] for row in source.to_pylist()]
    assert len(rows) == 1 + len(want)
    for number, (got, row) in enumerate(zip(rows[1:], want, strict=True), start=2):
        assert got == row, f"row {number}"
    assert ("number", 0.1) in [row[2] for row in rows]
    assert ("text", "=1+1") in [row[0] for row in rows]


def test_formulas_never_reach_the_sheet(tmp_path: Path) -> None:
    path = write(tmp_path / "t.xlsx", table())
    with zipfile.ZipFile(path) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    root = ElementTree.fromstring(sheet)
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    assert root.findall(f".//{main}f") == []
    types = {cell.get("t") for cell in root.iter(f"{main}c")}
    assert types == {"inlineStr", "b", None}  # text, booleans, numbers and dates


def test_identical_inputs_give_identical_bytes(tmp_path: Path) -> None:
    first = write(tmp_path / "a.xlsx", table(), batch_rows=16)
    second = write(tmp_path / "b.xlsx", table(), batch_rows=16)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as book:
        assert {info.date_time for info in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert book.namelist()[0] == "[Content_Types].xml"
        assert book.namelist()[-1] == "xl/worksheets/sheet1.xml"
        for name in book.namelist():
            ElementTree.fromstring(book.read(name))  # every part is well-formed XML
    properties = openpyxl.load_workbook(first).properties
    assert properties.created == properties.modified == datetime(2024, 5, 31)


def test_date_cells_carry_date_formats(tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(write(tmp_path / "t.xlsx", table())).active
    assert sheet["E2"].number_format == "yyyy-mm-dd" and sheet["E2"].is_date
    assert sheet["F2"].number_format == "yyyy-mm-dd hh:mm:ss" and sheet["F2"].is_date
    assert sheet["E7"].value == "1899-12-31" and sheet["E7"].data_type == "s"


def test_text_beyond_the_cell_limit_is_cut_with_a_marker(tmp_path: Path) -> None:
    texts = ["a" * CELL_LIMIT, "b" * (CELL_LIMIT + 1), "😀" * 16_384, "x" + "😀" * 16_400]
    schema = pa.schema([("s", pa.string())])
    path = write(tmp_path / "t.xlsx", pa.table({"s": texts}, schema=schema))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    cells = [row[0] for row in rows[1:]]
    assert cells[0] == texts[0]  # exactly at the limit: whole
    for cell, text in zip(cells[1:], texts[1:], strict=True):
        assert len(cell.encode("utf-16-le")) // 2 <= CELL_LIMIT
        assert cell.endswith(TRUNCATED) and text.startswith(cell.removesuffix(TRUNCATED))
    assert cells[3].removesuffix(TRUNCATED).endswith("😀")  # no half of a surrogate pair


def test_left_out_when_a_later_batch_passes_the_row_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(WRITERS["xlsx"], "max_rows", 33)  # the header and 32 rows fit
    assert write(tmp_path / "fits.xlsx", table(32), batch_rows=16).exists()
    assert not write(tmp_path / "big.xlsx", table(33), batch_rows=16).exists()


def test_built_workbook_matches_the_parquet_cell_for_cell(catalogue, tmp_path: Path) -> None:
    root = catalogue("minimal")
    schema = root / "schemas/sekolah.yaml"
    extra = (
        "  - {name: catatan, type: string}\n  - {name: tanggal, type: date}\n"
        "  - {name: aktif, type: boolean}\n  - {name: nilai, type: number}\n"
    )
    schema.write_text(schema.read_text().replace("primaryKey:", extra + "primaryKey:"))
    data = root / "datasets/dinas-uji/jumlah-sekolah/data/sekolah.csv"
    extra_names = ["catatan", "tanggal", "aktif", "nilai"]
    notes = [s for s in STRINGS if s and "\x01" not in s and "\r" not in s]
    with data.open("w", encoding="utf-8", newline="") as file:
        out = csv.writer(file, lineterminator="\n")
        out.writerow(["kode_wilayah", "tahun", "jenjang", "jumlah", *extra_names])
        for i, note in enumerate(notes):
            day = f"2024-{i % 12 + 1:02d}-15"
            out.writerow([5201 + i, 2024, "SD", i * 10**9, note, day, i % 2 == 0, 0.1 * i])
    site = tmp_path / "site"
    result = run("build", root, "--out", site)
    assert result.exit_code == 0, result.output
    [workbook] = site.rglob("sekolah.xlsx")
    source = pq.read_table(workbook.with_suffix(".parquet"))
    want = [[expected(v) for v in row.values()] for row in source.to_pylist()]
    assert len(want) == len(notes) and [row[4] for row in want] == [("text", n) for n in notes]
    for reader in (by_openpyxl, by_calamine):
        rows = reader(workbook)
        assert rows[0] == [("text", name) for name in source.column_names]
        assert rows[1:] == want
