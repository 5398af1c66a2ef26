"""`opendata add`: from a messy spreadsheet to a dataset that validates and publishes exactly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest
import yaml

from opendata.add.infer import Style, infer_field, style_of
from tests.conftest import run

ROWS = [  # kode, kecamatan, laki-laki, perempuan, luas, tanggal
    ("0052010100000001", "Praya", "41.234", "42.001", "61,26", "31/12/2023"),
    ("0052010200000002", "Jonggat", "38.112", "39.540", "1.234,5", "30/06/2023"),
    ("0052010300000003", "Batukliang", "7.009", "7.310", "50", "01/01/2024"),
]


def messy_workbook(path: Path) -> None:
    """A workbook as agencies send them: title rows, a merged header, a totals row, notes."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Catatan"
    sheet["A1"] = "Lembar ini berisi catatan."
    data = book.create_sheet("Penduduk")
    data.append(["JUMLAH PENDUDUK MENURUT KECAMATAN"])
    data.append(["Kabupaten Contoh, Tahun 2023"])
    data.append([])
    data.append(
        ["Kode Wilayah", "Kecamatan", None, "Jumlah Penduduk", None, "Luas (km²)", "Tanggal Data"]
    )
    data.append([None, None, None, "Laki-laki", "Perempuan", None, None])
    for kode, name, male, female, area, day in ROWS:
        data.append([kode, name, None, male, female, area, day])
    data.append([None, "Jumlah", None, "86.355", "88.851", "1.345,76", None])
    data.append([])
    data.append(["Sumber: Dinas Kependudukan, data contoh fiktif"])
    book.save(path)


@pytest.fixture
def portal(tmp_path: Path) -> Path:
    root = tmp_path / "portal"
    assert run("init", root, "--agency", "dukcapil").exit_code == 0
    return root


def test_messy_xlsx_to_published_values(portal: Path, tmp_path: Path) -> None:
    source = tmp_path / "Penduduk Kecamatan 2023.xlsx"
    messy_workbook(source)
    result = run("add", source, "--agency", "dukcapil", "--sheet", "Penduduk", "--root", portal)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Draft written: datasets/dukcapil/penduduk-kecamatan-2023/datapackage.yaml"
    assert '  skipped row 1 (title: "JUMLAH PENDUDUK MENURUT KECAMATAN")' in lines
    assert "  skipped row 5 (second header row, joined to row 4)" in lines
    assert '  skipped row 11 (note: "Sumber: Dinas Kependudukan, data contoh fiktif")' in lines
    assert '  skipped row 9 (totals: "Jumlah 86.355 88.851 1.345,76")' in lines
    assert "  skipped empty column C" in lines
    descriptor = portal / "datasets/dukcapil/penduduk-kecamatan-2023/datapackage.yaml"
    fields = yaml.safe_load(descriptor.read_text())["resources"][0]["schema"]["fields"]
    assert [(f["name"], f["type"]) for f in fields] == [
        ("kode_wilayah", "string"),
        ("kecamatan", "string"),
        ("jumlah_penduduk_laki_laki", "number"),
        ("jumlah_penduduk_perempuan", "number"),
        ("luas_km", "number"),
        ("tanggal_data", "date"),
    ]
    assert fields[0]["constraints"] == {"pattern": "^[0-9]{16}$"}
    assert fields[4]["decimalChar"] == "," and fields[4]["groupChar"] == "."
    assert fields[5]["format"] == "%d/%m/%Y"

    assert run("validate", portal).exit_code == 0
    out = tmp_path / "site"
    assert run("build", portal, "--out", out).exit_code == 0
    [parquet] = out.glob("dukcapil/penduduk-kecamatan-2023/*/*.parquet")
    published = pq.read_table(parquet).to_pylist()
    expected = [
        {
            "kode_wilayah": kode,
            "kecamatan": name,
            "jumlah_penduduk_laki_laki": float(male.replace(".", "")),
            "jumlah_penduduk_perempuan": float(female.replace(".", "")),
            "luas_km": float(area.replace(".", "").replace(",", ".")),
            "tanggal_data": dt.datetime.strptime(day, "%d/%m/%Y").date(),
        }
        for kode, name, male, female, area, day in ROWS
    ]
    assert published == expected


def test_windows_1252_semicolon_csv(portal: Path, tmp_path: Path) -> None:
    source = tmp_path / "rumah sakit.csv"
    text = "Nama RS;Kelas;Tempat Tidur;BOR (%);Tanggal Izin;IGD\r\nRS St. Élisabeth;B;1.120;82,5;31/12/2023;Ya\r\nRSUD Praya – Lombok;C;156;71,25;01/02/2022;Tidak\r\n"
    source.write_bytes(text.encode("cp1252"))
    result = run("add", source, "--agency", "dukcapil", "--name", "rumah-sakit", "--root", portal)
    assert result.exit_code == 0, result.output
    assert "  found   encoding: cp1252" in result.output
    assert "  found   delimiter: semicolon" in result.output
    out = tmp_path / "site"
    assert run("build", portal, "--out", out).exit_code == 0
    [parquet] = out.glob("dukcapil/rumah-sakit/*/*.parquet")
    assert pq.read_table(parquet).to_pylist() == [
        {
            "nama_rs": "RS St. Élisabeth",
            "kelas": "B",
            "tempat_tidur": 1120.0,
            "bor": 82.5,
            "tanggal_izin": dt.date(2023, 12, 31),
            "igd": True,
        },
        {
            "nama_rs": "RSUD Praya – Lombok",
            "kelas": "C",
            "tempat_tidur": 156.0,
            "bor": 71.25,
            "tanggal_izin": dt.date(2022, 2, 1),
            "igd": False,
        },
    ]


def test_unknown_agency_suggests_the_nearest(portal: Path, tmp_path: Path) -> None:
    source = tmp_path / "x.csv"
    source.write_text("a,b\n1,2\n")
    result = run("add", source, "--agency", "dukcapl", "--root", portal)
    assert result.exit_code == 2
    assert (
        '- datasets/dukcapl: there is no agency "dukcapl". Did you mean "dukcapil"?'
        in result.output
    )


@pytest.mark.parametrize(
    ("name", "values", "expected"),
    [
        (
            "nik",
            ["3171015708450001", "3171015708450002"],
            {"type": "string", "constraints": {"pattern": "^[0-9]{16}$"}},
        ),
        (
            "kode_pos",
            ["08123", "83511"],
            {"type": "string", "constraints": {"pattern": "^[0-9]{5}$"}},
        ),
        (
            "no_hp",
            ["081234567890", "0819876543"],
            {"type": "string", "constraints": {"pattern": "^[0-9]{10,12}$"}},
        ),
        ("tahun", ["2023", "2024"], {"type": "year"}),
        ("jumlah", ["12", "-3"], {"type": "integer"}),
        ("nilai", ["12,5", "7"], {"type": "number", "decimalChar": ","}),
        ("tanggal", ["2024-01-31"], {"type": "date"}),
        ("tanggal", ["12/31/2023", "01/15/2024"], {"type": "date", "format": "%m/%d/%Y"}),
        ("tanggal", ["05-01-2024"], {"type": "date", "format": "%d-%m-%Y"}),
        (
            "status",
            ["Ya", "Tidak", "ya"],
            {"type": "boolean", "trueValues": ["Ya", "ya"], "falseValues": ["Tidak"]},
        ),
        ("catatan", ["baik", "-", ""], {"type": "string"}),
    ],
)
def test_inference_rules(name: str, values: list[str], expected: dict) -> None:
    style = Style(decimal_comma=True) if name == "nilai" else style_of([values])
    assert infer_field(name, values, style) == {"name": name, **expected}


def test_file_style_decides_what_a_dot_means() -> None:
    assert style_of([["1.234", "12,5"]]) == Style(decimal_comma=True)
    assert style_of([["1.234", "12.5"]]) == Style(decimal_comma=False)
    assert style_of([["1.234.567"]]) == Style(decimal_comma=True)
